package io.twinrouter.agent.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of an OpenAI-style message {@code content}: a string as is, a list of blocks reduced to
 * its newline-joined {@code text} fields, absent or null as empty. The model client reads replies
 * with it and the simulated pool keys and counts prompts with it, so both see the same text.
 */
public final class MessageContent {
  private MessageContent() {}

  public static String text(JsonNode content) {
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
