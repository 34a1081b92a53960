package io.twinrouter.agent.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What makes two messages "the same" for prompt caching: role, content as text, tool calls,
 * tool_call_id and name (live-track spec 3.5's semantic prefix), so cache_control marks and
 * string-versus-block formatting do not break a cache hit. Hashed to a SHA-256 hex key.
 */
final class MessageKey {
  private MessageKey() {}

  static String of(JsonNode m) {
    String text =
        m.path("role").asText() + "\u0000" + textOf(m.get("content")) + "\u0000"
            + m.path("tool_calls").toString() + "\u0000" + m.path("tool_call_id").asText("")
            + "\u0000" + m.path("name").asText("");
    return Draw.hex(text, 64);
  }

  /** A string as is; a list of blocks reduced to its newline-joined text fields. */
  static String textOf(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    if (content.isArray()) {
      List<String> parts = new ArrayList<>();
      for (JsonNode b : content) {
        if (b.has("text")) {
          parts.add(b.get("text").asText());
        }
      }
      return String.join("\n", parts);
    }
    return content.toString();
  }
}
