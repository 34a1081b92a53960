package io.twinrouter.agent.grading;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes maps, lists, strings and booleans as Python's {@code json.dumps(obj, indent=n)} does
 * (", " and ": " separators, non-ASCII as \\uXXXX), so a {@code report.json} compares byte for
 * byte with SWE-bench's. Null indent gives the compact one-line form.
 */
public final class PyJson {

  private PyJson() {}

  public static String write(Object value, Integer indent) {
    StringBuilder b = new StringBuilder();
    write(b, value, indent, 0);
    return b.toString();
  }

  private static void write(StringBuilder b, Object v, Integer indent, int depth) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
      b.append(v);
    } else if (v instanceof CharSequence s) {
      string(b, s.toString());
    } else if (v instanceof Map<?, ?> m) {
      container(b, '{', '}', m.entrySet().iterator(), m.isEmpty(), indent, depth);
    } else if (v instanceof List<?> l) {
      container(b, '[', ']', l.iterator(), l.isEmpty(), indent, depth);
    } else {
      throw new IllegalArgumentException("not JSON-writable: " + v.getClass());
    }
  }

  private static void container(
      StringBuilder b, char open, char close, Iterator<?> it, boolean empty, Integer indent,
      int depth) {
    b.append(open);
    if (empty) {
      b.append(close);
      return;
    }
    boolean first = true;
    while (it.hasNext()) {
      Object item = it.next();
      if (!first) {
        b.append(indent == null ? ", " : ",");
      }
      first = false;
      newline(b, indent, depth + 1);
      if (item instanceof Map.Entry<?, ?> e) {
        string(b, String.valueOf(e.getKey()));
        b.append(": ");
        write(b, e.getValue(), indent, depth + 1);
      } else {
        write(b, item, indent, depth + 1);
      }
    }
    newline(b, indent, depth);
    b.append(close);
  }

  private static void newline(StringBuilder b, Integer indent, int depth) {
    if (indent != null) {
      b.append('\n').append(" ".repeat(indent * depth));
    }
  }

  private static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        default -> {
          if (c < 0x20 || c > 0x7E) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
