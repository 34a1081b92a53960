package io.twinrouter.agent.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinrouter.common.Json;
import io.twinrouter.router.PrefixFingerprint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One case's messages as JSON trees (what routers receive) and as their canonical prefix-hash
 * text (what the harness cache hashes), each made once per message. Routers get the whole
 * conversation before every call and the cache hashes it after every call; converting it anew
 * each time made every step cost more than the one before. A message never changes once the
 * loop has appended it, so its conversions are kept while the same message object sits at the
 * same position, and made again from the first position that differs.
 *
 * <p>The trees are shared with routers, which must treat their context as read-only (the static
 * track hands them the bank's own trees the same way). Not thread-safe: only the case's actor
 * touches it.
 */
final class MessageTrees {

  private static final ObjectMapper JSON = Json.MAPPER;

  private final List<Map<String, Object>> sources = new ArrayList<>();
  private final List<JsonNode> trees = new ArrayList<>();
  private final List<String> canonical = new ArrayList<>();

  /** The trees of {@code messages}, in order. */
  List<JsonNode> trees(List<Map<String, Object>> messages) {
    sync(messages);
    return List.copyOf(trees);
  }

  /** {@link PrefixFingerprint#prefixHash} of {@code messages}. */
  String prefixHash(List<Map<String, Object>> messages) {
    sync(messages);
    return PrefixFingerprint.prefixHashOfCanonical(canonical);
  }

  private void sync(List<Map<String, Object>> messages) {
    int same = 0;
    while (same < messages.size() && same < sources.size()
        && sources.get(same) == messages.get(same)) {
      same++;
    }
    truncate(same);
    for (int i = same; i < messages.size(); i++) {
      Map<String, Object> m = messages.get(i);
      JsonNode tree = JSON.valueToTree(m);
      sources.add(m);
      trees.add(tree);
      canonical.add(PrefixFingerprint.canonicalMessage(tree));
    }
  }

  private void truncate(int size) {
    sources.subList(size, sources.size()).clear();
    trees.subList(size, trees.size()).clear();
    canonical.subList(size, canonical.size()).clear();
  }
}
