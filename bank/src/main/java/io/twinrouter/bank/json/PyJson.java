package io.twinrouter.bank.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps(value, ensure_ascii=False)} on a parsed JSON tree: separators {@code
 * ", "} and {@code ": "}, keys in file order (or sorted, for {@code sort_keys=True}), non-ASCII
 * written raw, floats in repr form. Message fingerprints and tool-call arguments must match the
 * reference byte for byte, so this is not Jackson's own serialiser.
 */
public final class PyJson {
  private PyJson() {}

  public static String dumps(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, false, out);
    return out.toString();
  }

  public static String dumpsSorted(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, true, out);
    return out.toString();
  }

  public static void write(JsonNode node, boolean sortKeys, StringBuilder out) {
    switch (node.getNodeType()) {
      case STRING -> writeString(node.textValue(), out);
      case NUMBER -> writeNumber(node, out);
      case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
      case ARRAY -> {
        out.append('[');
        boolean first = true;
        for (JsonNode child : node) {
          if (!first) {
            out.append(", ");
          }
          first = false;
          write(child, sortKeys, out);
        }
        out.append(']');
      }
      case OBJECT -> {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> e : entries(node, sortKeys)) {
          if (!first) {
            out.append(", ");
          }
          first = false;
          writeString(e.getKey(), out);
          out.append(": ");
          write(e.getValue(), sortKeys, out);
        }
        out.append('}');
      }
      default -> out.append("null");
    }
  }

  static void writeNumber(JsonNode node, StringBuilder out) {
    if (node.isIntegralNumber()) {
      out.append(node.bigIntegerValue());
    } else {
      out.append(PyFloat.json(node.doubleValue()));
    }
  }

  /** Python sorts keys by code point; String.compareTo sorts by UTF-16 unit, so compare here. */
  static List<Map.Entry<String, JsonNode>> entries(JsonNode node, boolean sort) {
    List<Map.Entry<String, JsonNode>> list = new ArrayList<>(node.size());
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      list.add(it.next());
    }
    if (sort) {
      list.sort((a, b) -> compareCodePoints(a.getKey(), b.getKey()));
    }
    return list;
  }

  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  public static void writeString(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(Character.forDigit(c >> 4, 16))
                .append(Character.forDigit(c & 0xF, 16));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
