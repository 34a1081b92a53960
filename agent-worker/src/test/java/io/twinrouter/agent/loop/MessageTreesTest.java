package io.twinrouter.agent.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageTreesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Map<String, Object> message(String role, String content) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("role", role);
    m.put("content", content);
    m.put("extra", Map.of("timestamp", 1.5));
    return m;
  }

  @Test
  void growingConversationsGiveTheTreesAndHashesOfAFreshConversion() {
    MessageTrees trees = new MessageTrees();
    List<Map<String, Object>> messages = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      messages.add(message(i % 2 == 0 ? "user" : "assistant", "message " + i));
      assertEquals(messages.stream().map(m -> (Object) JSON.valueToTree(m)).toList(),
          List.copyOf(trees.trees(messages)));
      assertEquals(HarnessCache.fingerprint(messages), trees.prefixHash(messages));
    }
  }

  @Test
  void anotherMessageAtAPositionIsConvertedAgainFromThere() {
    MessageTrees trees = new MessageTrees();
    List<Map<String, Object>> a = new ArrayList<>(List.of(
        message("system", "s"), message("user", "u"), message("assistant", "a")));
    String hashA = trees.prefixHash(a);
    // an equal-looking list whose second message is another object with other content
    List<Map<String, Object>> b = new ArrayList<>(List.of(a.get(0), message("user", "v")));
    assertEquals(HarnessCache.fingerprint(b), trees.prefixHash(b));
    assertEquals(JSON.valueToTree(b.get(1)), trees.trees(b).get(1));
    assertEquals(2, trees.trees(b).size());
    // and back to the first list
    assertEquals(hashA, trees.prefixHash(a));
    assertNotEquals(hashA, trees.prefixHash(b));
    assertEquals(HarnessCache.fingerprint(List.of()), trees.prefixHash(List.of()));
  }
}
