package io.twinrouter.agent.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Prompt-cache marks for pool models whose {@code cache_control_style} is {@code anthropic}:
 * mini's {@code default_end} placement (live-track spec 2.1.2). Every existing mark is cleared and
 * only the last message gets an ephemeral mark; a tool message carries the mark on the message
 * itself, any other message on its (single) text block.
 */
public final class CacheControl {
  public static final String ANTHROPIC = "anthropic";

  private CacheControl() {}

  /** Deep copies of the messages with the marks placed; the input is not modified. */
  public static List<ObjectNode> defaultEnd(List<ObjectNode> messages) {
    List<ObjectNode> out = new ArrayList<>(messages.size());
    for (ObjectNode m : messages) {
      ObjectNode copy = m.deepCopy();
      clearMarks(copy);
      out.add(copy);
    }
    if (!out.isEmpty()) {
      mark(out.get(out.size() - 1));
    }
    return out;
  }

  private static void clearMarks(ObjectNode message) {
    message.remove("cache_control");
    JsonNode content = message.get("content");
    if (content instanceof ArrayNode blocks) {
      for (JsonNode b : blocks) {
        if (b instanceof ObjectNode block) {
          block.remove("cache_control");
        }
      }
    }
  }

  private static void mark(ObjectNode message) {
    ObjectNode ephemeral = JsonNodeFactory.instance.objectNode().put("type", "ephemeral");
    if ("tool".equals(message.path("role").asText())) {
      message.set("cache_control", ephemeral);
      return;
    }
    JsonNode content = message.get("content");
    if (content != null && content.isTextual()) {
      ArrayNode blocks = message.putArray("content");
      blocks.addObject().put("type", "text").put("text", content.asText()).set("cache_control", ephemeral);
    } else if (content instanceof ArrayNode blocks && !blocks.isEmpty()
        && blocks.get(blocks.size() - 1) instanceof ObjectNode last) {
      last.set("cache_control", ephemeral);
    } else {
      message.set("cache_control", ephemeral);
    }
  }
}
