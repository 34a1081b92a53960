package io.twinrouter.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Iterator;

/**
 * How an upstream call finds the step it belongs to. A routing proxy forwards the agent's
 * conversation but none of its headers or ids, so the agent appends a marker naming the step,
 * {@code [twinrouter-step:<32 hex>]}, to the content of the last message it sends the proxy; the
 * gateway looks for it in every message of each forwarded request (a proxy's classifier that
 * quotes the last message carries it too) and removes every copy before calling the model, so
 * the model sees, and bills, the agent's conversation byte for byte. The token is random: steps of
 * many cases at once never share one, and a token cannot be guessed from a case's content.
 */
public final class StepMarker {

  private static final SecureRandom RANDOM = new SecureRandom();

  private StepMarker() {}

  static String newToken() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  static String text(String token) {
    return "[twinrouter-step:" + token + "]";
  }

  /**
   * Appends the marker to the last message whose content is text or a list of blocks: after a
   * blank line to text, as a text block of its own to a list. The messages are the request's own
   * copies (shallow: the content is replaced, never modified in place).
   */
  public static void place(ArrayNode messages, String token) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (!(messages.get(i) instanceof ObjectNode m)) {
        continue;
      }
      JsonNode content = m.get("content");
      if (content != null && content.isTextual()) {
        m.put("content", content.asText() + "\n\n" + text(token));
        return;
      }
      if (content instanceof ArrayNode blocks) {
        ArrayNode copy = blocks.deepCopy();
        copy.addObject().put("type", "text").put("text", text(token));
        m.set("content", copy);
        return;
      }
    }
    throw new IllegalArgumentException("no message has a text content to carry the step marker");
  }

  /**
   * The token of the first marker in the messages' contents, with every marker removed from
   * them (a block that held only a marker is dropped); null when there is none.
   */
  static String take(ArrayNode messages) {
    String token = null;
    for (JsonNode node : messages) {
      if (!(node instanceof ObjectNode m)) {
        continue;
      }
      JsonNode content = m.get("content");
      if (content != null && content.isTextual()) {
        Found f = strip(content.asText());
        if (f != null) {
          token = token == null ? f.token : token;
          m.put("content", f.rest);
        }
      } else if (content instanceof ArrayNode blocks) {
        for (Iterator<JsonNode> it = blocks.iterator(); it.hasNext(); ) {
          JsonNode block = it.next();
          JsonNode text = block.get("text");
          Found f = text != null && text.isTextual() ? strip(text.asText()) : null;
          if (f == null) {
            continue;
          }
          token = token == null ? f.token : token;
          if (f.rest.isEmpty()) {
            it.remove();
          } else {
            ((ObjectNode) block).set("text", TextNode.valueOf(f.rest));
          }
        }
      }
    }
    return token;
  }

  private record Found(String token, String rest) {}

  private static final String OPEN = "[twinrouter-step:";
  private static final int TOKEN_CHARS = 32;

  /**
   * The first marker's token and the text without any marker (each with the blank line before
   * it); null when the text holds none. A plain scan rather than a regular expression: every
   * message of every forwarded call passes here, and an expression with an optional prefix tried
   * at each position of a long conversation cost the gateway milliseconds per call.
   */
  private static Found strip(String text) {
    int at = markerAt(text, 0);
    if (at < 0) {
      return null;
    }
    String token = text.substring(at + OPEN.length(), at + OPEN.length() + TOKEN_CHARS);
    StringBuilder rest = new StringBuilder(text.length());
    int from = 0;
    for (; at >= 0; at = markerAt(text, from)) {
      int cut = at >= 2 && text.startsWith("\n\n", at - 2) ? at - 2 : at;
      rest.append(text, from, cut);
      from = at + OPEN.length() + TOKEN_CHARS + 1;
    }
    return new Found(token, rest.append(text, from, text.length()).toString());
  }

  /** Where the next whole marker starts at or after {@code from}, else -1. */
  private static int markerAt(String text, int from) {
    for (int at = text.indexOf(OPEN, from); at >= 0; at = text.indexOf(OPEN, at + 1)) {
      int end = at + OPEN.length() + TOKEN_CHARS;
      if (end < text.length() && text.charAt(end) == ']' && isHex(text, at + OPEN.length(), end)) {
        return at;
      }
    }
    return -1;
  }

  private static boolean isHex(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
