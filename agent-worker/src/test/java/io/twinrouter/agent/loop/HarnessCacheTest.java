package io.twinrouter.agent.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.twinrouter.router.ModelCacheView;
import org.junit.jupiter.api.Test;

class HarnessCacheTest {

  private static Map<String, Object> msg(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** The expected digest was computed with Python's json.dumps(sort_keys, ensure_ascii=False). */
  @Test
  void fingerprintEqualsTheReferenceDigest() {
    var call = msg("id", "c1", "type", "function",
        "function", msg("name", "bash", "arguments", "{\"command\": \"ls\"}"));
    List<Map<String, Object>> messages = List.of(
        msg("role", "system", "content", "You are helpful.", "extra", msg("x", 1)),
        msg("role", "user", "content", "Fix ünïcode \"bug\"\n\ttab"),
        msg("role", "assistant", "content", "ok", "tool_calls", List.of(call),
            "extra", msg("cost", 0.1)),
        msg("role", "tool", "tool_call_id", "c1", "content", "a\nb", "extra", msg("returncode", 0)));
    assertEquals("59311fb32030004cd9b499c794cbbb58c8a61d8836c4386a92583dfde2edf718",
        HarnessCache.fingerprint(messages));
  }

  @Test
  void viewsStartEmptyForEveryPoolModelAndRecordTheLastCall() {
    HarnessCache cache = new HarnessCache(List.of("a", "b"));
    assertEquals(List.of("a", "b"), List.copyOf(cache.snapshot().keySet()));
    assertNull(cache.snapshot().get("a").lastCallTs());
    assertFalse(cache.lookup("a").hit());
    assertEquals("cold_start_first_call", cache.lookup("a").reason());

    cache.record("b", List.of(msg("role", "user", "content", "x")), 1234, 1700000000.5);
    ModelCacheView b = cache.snapshot().get("b");
    assertEquals(1700000000.5, b.lastCallTs());
    assertEquals(1234, b.prefixTokenCount());
    assertEquals(64, b.prefixHash().length());
    assertTrue(cache.lookup("b").hit());
    assertEquals(1234, cache.lookup("b").cachedPrefixTokenCount());
    assertFalse(cache.lookup("a").hit());
  }
}
