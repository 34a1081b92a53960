package io.twinrouter.bank;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.bank.json.PyJson;
import io.twinrouter.bank.json.PyRepr;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference scorer's view of one chat message: its billable text (spec 5.2), which tokens are
 * counted on, and its fingerprint (spec 5.4), which decides whether a previous prompt is a cached
 * prefix.
 */
public final class MessageText {
  private static final String[] FINGERPRINT_KEYS = {
    "role", "content", "tool_calls", "tool_call_id", "name"
  };

  private MessageText() {}

  /**
   * The billable text: content parts, then each tool call's name and arguments, joined with LF.
   *
   * @param field the message's path for errors, e.g. {@code messages[3]}
   */
  public static String text(JsonNode message, String field) {
    List<String> parts = new ArrayList<>();
    contentParts(message.get("content"), parts);
    JsonNode toolCalls = message.get("tool_calls");
    if (PyRepr.truthy(toolCalls)) {
      if (toolCalls.isNumber() || toolCalls.isBoolean()) {
        throw new FieldProblem(field + ".tool_calls", "must be a list");
      }
      // A dict or string iterates as keys or characters, none of which is a dict: nothing added.
      if (toolCalls.isArray()) {
        for (int i = 0; i < toolCalls.size(); i++) {
          toolCallParts(toolCalls.get(i), field + ".tool_calls[" + i + "]", parts);
        }
      }
    }
    return String.join("\n", parts);
  }

  private static void contentParts(JsonNode content, List<String> parts) {
    if (content == null) {
      return;
    }
    if (content.isTextual()) {
      parts.add(content.textValue());
    } else if (content.isArray()) {
      for (JsonNode block : content) {
        if (block.isObject()) {
          JsonNode text = block.get("text");
          if (PyRepr.truthy(text)) {
            parts.add(PyRepr.str(text));
          }
        } else if (block.isTextual()) {
          parts.add(block.textValue());
        }
      }
    }
  }

  private static void toolCallParts(JsonNode tc, String field, List<String> parts) {
    JsonNode fn = tc;
    String fnField = field;
    if (tc.isObject() && tc.has("function")) {
      fn = tc.get("function");
      fnField = field + ".function";
    }
    if (!fn.isObject()) {
      return;
    }
    JsonNode name = fn.get("name");
    if (name == null) {
      parts.add("");
    } else if (name.isTextual()) {
      parts.add(name.textValue());
    } else {
      throw new FieldProblem(fnField + ".name", "must be a string, got " + PyJson.dumps(name));
    }
    JsonNode args = fn.get("arguments");
    if (args != null && args.isObject()) {
      parts.add(PyJson.dumps(args));
    } else if (PyRepr.truthy(args)) {
      parts.add(PyRepr.str(args));
    }
  }

  /**
   * The canonical form two messages share when one can be a cached prefix of the other: the
   * sorted-key JSON of role, content (normalised to a string), tool_calls, tool_call_id and name.
   */
  public static String fingerprint(JsonNode message) {
    ObjectNode fp = JsonNodeFactory.instance.objectNode();
    for (String key : FINGERPRINT_KEYS) {
      if (message.has(key)) {
        JsonNode value = message.get(key);
        fp.set(key, key.equals("content")
            ? JsonNodeFactory.instance.textNode(normalisedContent(value))
            : value);
      }
    }
    return PyJson.dumpsSorted(fp);
  }

  private static String normalisedContent(JsonNode content) {
    if (content.isTextual()) {
      return content.textValue();
    }
    if (content.isNull()) {
      return "";
    }
    if (content.isArray()) {
      List<String> parts = new ArrayList<>();
      contentParts(content, parts);
      return String.join("\n", parts);
    }
    return PyRepr.str(content);
  }
}
