package io.twinrouter.agent.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.agent.model.MessageContent;

/**
 * What makes two messages "the same" for prompt caching: role, content as text, tool calls,
 * tool_call_id and name (live-track spec 3.5's semantic prefix), so cache_control marks and
 * string-versus-block formatting do not break a cache hit. Hashed to a SHA-256 hex key.
 */
final class MessageKey {
  private MessageKey() {}

  // Not router.PrefixFingerprint: that hashes a whole prefix with content as sent; the simulated
  // cache needs one key per message, blind to block formatting and cache_control marks.
  static String of(JsonNode m) {
    String text =
        m.path("role").asText() + "\u0000" + MessageContent.text(m.get("content")) + "\u0000"
            + m.path("tool_calls").toString() + "\u0000" + m.path("tool_call_id").asText("")
            + "\u0000" + m.path("name").asText("");
    return Draw.hex(text, 64);
  }
}
