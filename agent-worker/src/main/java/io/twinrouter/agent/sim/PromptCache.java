package io.twinrouter.agent.sim;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated providers' prompt cache. Per (model, conversation) it keeps the last request's
 * message keys, their prompt-token count, and when it was seen; a new request whose messages
 * start with that list, within the TTL, reads those tokens from the cache. A conversation is
 * identified by its first two messages (system and instance prompt). Bounded: the least recently
 * used conversations are forgotten first.
 */
final class PromptCache {
  private static final int MAX_ENTRIES = 20_000;

  private record Entry(List<String> keys, long promptTokens, long atMillis) {}

  private final Duration ttl;
  private final Clock clock;
  private final Map<String, Entry> entries =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
          return size() > MAX_ENTRIES;
        }
      };

  PromptCache(Duration ttl, Clock clock) {
    this.ttl = ttl;
    this.clock = clock;
  }

  /**
   * Records the request and answers how many of its prompt tokens were cached.
   *
   * @param keys the request's message keys, in order
   * @param promptTokens the request's total prompt tokens
   */
  synchronized long lookupAndStore(String modelId, List<String> keys, long promptTokens) {
    String conversation = modelId + "|" + String.join("|", keys.subList(0, Math.min(2, keys.size())));
    long now = clock.millis();
    Entry previous = entries.get(conversation);
    long cached = 0;
    if (previous != null
        && now - previous.atMillis <= ttl.toMillis()
        && previous.keys.size() <= keys.size()
        && keys.subList(0, previous.keys.size()).equals(previous.keys)) {
      cached = Math.min(previous.promptTokens, promptTokens);
    }
    entries.put(conversation, new Entry(List.copyOf(keys), promptTokens, now));
    return cached;
  }
}
