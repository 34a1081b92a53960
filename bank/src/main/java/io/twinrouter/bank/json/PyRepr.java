package io.twinrouter.bank.json;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Python's {@code str()} of a parsed JSON value: strings as they are, everything else in repr form
 * ({@code ['ls', '-la']}, {@code {'k': 1}}, {@code True}, {@code None}, float repr).
 */
public final class PyRepr {
  private PyRepr() {}

  public static String str(JsonNode node) {
    if (node.isTextual()) {
      return node.textValue();
    }
    StringBuilder out = new StringBuilder();
    repr(node, out);
    return out.toString();
  }

  public static void repr(JsonNode node, StringBuilder out) {
    PyJson.writeTree(node, LEAVES, false, null, 0, out);
  }

  private static final PyJson.Leaves LEAVES = new PyJson.Leaves() {
    @Override
    public void key(String key, StringBuilder out) {
      reprString(key, out);
    }

    @Override
    public void scalar(JsonNode node, StringBuilder out) {
      switch (node.getNodeType()) {
        case STRING -> reprString(node.textValue(), out);
        case NUMBER -> {
          if (node.isIntegralNumber()) {
            out.append(node.bigIntegerValue());
          } else {
            out.append(PyFloat.repr(node.doubleValue()));
          }
        }
        case BOOLEAN -> out.append(node.booleanValue() ? "True" : "False");
        default -> out.append("None");
      }
    }
  };

  /** CPython's unicode_repr: single quotes unless the text has ' and no ". */
  public static void reprString(String s, StringBuilder out) {
    char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    out.append(quote);
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == quote || cp == '\\') {
        out.append('\\').appendCodePoint(cp);
      } else if (cp == '\t') {
        out.append("\\t");
      } else if (cp == '\n') {
        out.append("\\n");
      } else if (cp == '\r') {
        out.append("\\r");
      } else if (cp < 0x20 || cp == 0x7F) {
        hex(out, "\\x", cp, 2);
      } else if (cp < 0x7F) {
        out.appendCodePoint(cp);
      } else if (isPrintable(cp)) {
        out.appendCodePoint(cp);
      } else if (cp <= 0xFF) {
        hex(out, "\\x", cp, 2);
      } else if (cp <= 0xFFFF) {
        hex(out, "\\u", cp, 4);
      } else {
        hex(out, "\\U", cp, 8);
      }
    }
    out.append(quote);
  }

  private static void hex(StringBuilder out, String prefix, int cp, int width) {
    String h = Integer.toHexString(cp);
    out.append(prefix).append("0".repeat(width - h.length())).append(h);
  }

  /** Python's str.isprintable for one code point: not Cc, Cf, Cs, Co, Cn, Zl, Zp, or Zs but ' '. */
  static boolean isPrintable(int cp) {
    if (cp == ' ') {
      return true;
    }
    switch (Character.getType(cp)) {
      case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
          Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
          Character.SPACE_SEPARATOR -> {
        return false;
      }
      default -> {
        return true;
      }
    }
  }

  /** Python truthiness of a JSON value: null, false, 0, 0.0, "", [] and {} are false. */
  public static boolean truthy(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return false;
    }
    return switch (node.getNodeType()) {
      case BOOLEAN -> node.booleanValue();
      case NUMBER -> node.isIntegralNumber()
          ? node.bigIntegerValue().signum() != 0
          : node.doubleValue() != 0.0;
      case STRING -> !node.textValue().isEmpty();
      case ARRAY, OBJECT -> node.size() > 0;
      default -> true;
    };
  }
}
