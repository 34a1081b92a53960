package io.twinrouter.router;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The plain text of chat messages, as the heuristic and kNN routers read it. One message renders
 * as {@code role:} on a line, then its content (a string as is; of a block list, the {@code text}
 * of each block and each bare string, one per line; other content ignored), then one line per
 * tool call, {@code name arguments} (arguments as sent: a JSON string as is, an object as compact
 * JSON). Messages are separated by a blank line. This is a reading aid, not the scorer's billable
 * text (static-track spec 5.2), which the bank module computes.
 */
public final class MessageText {
  private MessageText() {}

  /** The text of a message list (a JSON array, or anything else read as no messages). */
  public static String of(JsonNode messages) {
    StringBuilder sb = new StringBuilder();
    if (messages != null && messages.isArray()) {
      for (JsonNode m : messages) {
        append(sb, m);
      }
    }
    return sb.toString();
  }

  public static String of(List<JsonNode> messages) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode m : messages) {
      append(sb, m);
    }
    return sb.toString();
  }

  private static void append(StringBuilder sb, JsonNode m) {
    if (sb.length() > 0) {
      sb.append("\n\n");
    }
    sb.append(role(m)).append(":\n").append(content(m));
    for (JsonNode call : m.path("tool_calls")) {
      JsonNode fn = call.has("function") ? call.get("function") : call;
      sb.append('\n').append(fn.path("name").asText(""));
      JsonNode args = fn.get("arguments");
      if (args != null && !args.isNull()) {
        sb.append(' ').append(args.isTextual() ? args.asText() : args.toString());
      }
    }
  }

  public static String role(JsonNode message) {
    return message.path("role").asText("");
  }

  /** The content of one message as text; empty when it has none. */
  public static String content(JsonNode message) {
    JsonNode c = message.get("content");
    if (c == null || c.isNull()) {
      return "";
    }
    if (c.isTextual()) {
      return c.asText();
    }
    if (!c.isArray()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode block : c) {
      String part =
          block.isTextual() ? block.asText()
              : block.path("text").isValueNode() ? block.path("text").asText() : null;
      if (part != null) {
        if (sb.length() > 0) {
          sb.append('\n');
        }
        sb.append(part);
      }
    }
    return sb.toString();
  }
}
