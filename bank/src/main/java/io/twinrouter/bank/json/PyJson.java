package io.twinrouter.bank.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps} on a parsed JSON tree: separators {@code ", "} and {@code ": "} (or
 * {@code ","} and newlines with an indent), keys in file order (or sorted, for {@code
 * sort_keys=True}), floats in repr form, non-ASCII written raw ({@code ensure_ascii=False}) or as
 * {@code \\uXXXX}. Message fingerprints, tool-call arguments, summaries and SWE-bench's {@code
 * report.json} must match the reference byte for byte, so this is not Jackson's own serialiser.
 */
public final class PyJson {
  private static final Leaves RAW = new JsonLeaves(false);
  private static final Leaves ASCII = new JsonLeaves(true);

  private PyJson() {}

  /** {@code json.dumps(node, ensure_ascii=False)}. */
  public static String dumps(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, false, out);
    return out.toString();
  }

  /** {@code json.dumps(node, ensure_ascii=False, sort_keys=True)}. */
  public static String dumpsSorted(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, true, out);
    return out.toString();
  }

  /** {@code json.dumps(node, indent=indent, ensure_ascii=ensureAscii)}; a null indent is one line. */
  public static String dumps(JsonNode node, Integer indent, boolean ensureAscii) {
    StringBuilder out = new StringBuilder();
    writeTree(node, ensureAscii ? ASCII : RAW, false, indent, 0, out);
    return out.toString();
  }

  /**
   * {@code json.dumps(value, indent=indent)} (so {@code ensure_ascii=True}) of plain Java values:
   * maps (keys in iteration order), lists, strings, booleans, ints, longs and null.
   */
  public static String dumpsValue(Object value, Integer indent) {
    return dumps(tree(value), indent, true);
  }

  public static void write(JsonNode node, boolean sortKeys, StringBuilder out) {
    writeTree(node, RAW, sortKeys, null, 0, out);
  }

  /** How one Python function spells keys and scalars; containers are laid out by writeTree. */
  interface Leaves {
    void key(String key, StringBuilder out);

    void scalar(JsonNode node, StringBuilder out);
  }

  static void writeTree(
      JsonNode node, Leaves leaves, boolean sortKeys, Integer indent, int depth, StringBuilder out) {
    switch (node.getNodeType()) {
      case ARRAY -> {
        out.append('[');
        boolean first = true;
        for (JsonNode child : node) {
          first = separate(first, indent, depth, out);
          writeTree(child, leaves, sortKeys, indent, depth + 1, out);
        }
        close(first, indent, depth, ']', out);
      }
      case OBJECT -> {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> e : entries(node, sortKeys)) {
          first = separate(first, indent, depth, out);
          leaves.key(e.getKey(), out);
          out.append(": ");
          writeTree(e.getValue(), leaves, sortKeys, indent, depth + 1, out);
        }
        close(first, indent, depth, '}', out);
      }
      default -> leaves.scalar(node, out);
    }
  }

  private static boolean separate(boolean first, Integer indent, int depth, StringBuilder out) {
    if (!first) {
      out.append(indent == null ? ", " : ",");
    }
    newline(indent, depth + 1, out);
    return false;
  }

  /** Python writes an empty container as {@code []} or {@code {}} even with an indent. */
  private static void close(boolean empty, Integer indent, int depth, char bracket, StringBuilder out) {
    if (!empty) {
      newline(indent, depth, out);
    }
    out.append(bracket);
  }

  private static void newline(Integer indent, int depth, StringBuilder out) {
    if (indent != null) {
      out.append('\n');
      for (int i = indent * depth; i > 0; i--) {
        out.append(' ');
      }
    }
  }

  private record JsonLeaves(boolean ensureAscii) implements Leaves {
    @Override
    public void key(String key, StringBuilder out) {
      writeString(key, ensureAscii, out);
    }

    @Override
    public void scalar(JsonNode node, StringBuilder out) {
      switch (node.getNodeType()) {
        case STRING -> writeString(node.textValue(), ensureAscii, out);
        case NUMBER -> writeNumber(node, out);
        case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
        default -> out.append("null");
      }
    }
  }

  static void writeNumber(JsonNode node, StringBuilder out) {
    if (node.isInt() || node.isLong()) {
      out.append(node.longValue()); // the same digits, without a BigInteger per number
    } else if (node.isIntegralNumber()) {
      out.append(node.bigIntegerValue());
    } else {
      out.append(PyFloat.json(node.doubleValue()));
    }
  }

  private static JsonNode tree(Object v) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (v == null) {
      return f.nullNode();
    } else if (v instanceof Boolean b) {
      return f.booleanNode(b);
    } else if (v instanceof Integer i) {
      return f.numberNode(i);
    } else if (v instanceof Long l) {
      return f.numberNode(l);
    } else if (v instanceof CharSequence s) {
      return f.textNode(s.toString());
    } else if (v instanceof Map<?, ?> m) {
      ObjectNode o = f.objectNode();
      m.forEach((k, value) -> o.set(String.valueOf(k), tree(value)));
      return o;
    } else if (v instanceof List<?> l) {
      ArrayNode a = f.arrayNode(l.size());
      l.forEach(item -> a.add(tree(item)));
      return a;
    }
    throw new IllegalArgumentException("not JSON-writable: " + v.getClass());
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

  /** A JSON string with {@code ensure_ascii=False}: only controls, quote and backslash escaped. */
  public static void writeString(String s, StringBuilder out) {
    writeString(s, false, out);
  }

  /**
   * A JSON string as Python writes it; with {@code ensureAscii} everything outside space..tilde is
   * a lower-case {@code \\uXXXX} escape (characters beyond the BMP as their surrogate pair).
   */
  public static void writeString(String s, boolean ensureAscii, StringBuilder out) {
    out.append('"');
    int plain = 0; // start of the run of characters written as they are, appended in one go
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && !(ensureAscii && c > 0x7E)) {
        continue;
      }
      out.append(s, plain, i);
      plain = i + 1;
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> out.append("\\u")
            .append(Character.forDigit(c >> 12, 16))
            .append(Character.forDigit((c >> 8) & 0xF, 16))
            .append(Character.forDigit((c >> 4) & 0xF, 16))
            .append(Character.forDigit(c & 0xF, 16));
      }
    }
    out.append(s, plain, s.length()).append('"');
  }
}
