package io.twinrouter.agent.loop;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Helpers for the JSON-shaped maps and lists messages are made of. */
public final class JsonValues {

  private JsonValues() {}

  /** A message content as text: a string as is; a list of blocks as their newline-joined text. */
  public static String text(Object content) {
    if (content == null) {
      return "";
    }
    if (content instanceof String s) {
      return s;
    }
    if (content instanceof List<?> blocks) {
      List<String> parts = new ArrayList<>();
      for (Object b : blocks) {
        if (b instanceof Map<?, ?> bm && bm.get("text") instanceof String t) {
          parts.add(t);
        }
      }
      return String.join("\n", parts);
    }
    return String.valueOf(content);
  }
}
