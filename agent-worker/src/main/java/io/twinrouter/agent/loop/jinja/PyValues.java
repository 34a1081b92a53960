package io.twinrouter.agent.loop.jinja;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Python's meaning of the values a template sees (strings, whole numbers as {@code Long}, floats,
 * booleans, {@code null} for None, lists and maps): truth, {@code str()}, {@code len()}, indexing
 * and slicing by code point, arithmetic and comparison, so a template renders as Jinja2 renders it.
 */
final class PyValues {

  /** Jinja's undefined value; any use of it but a test fails, as with {@code StrictUndefined}. */
  record Undefined(String name) {}

  private PyValues() {}

  static boolean truth(Object v) {
    if (v == null || v instanceof Undefined) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Long l) {
      return l != 0;
    }
    if (v instanceof Double d) {
      return d != 0.0;
    }
    if (v instanceof String s) {
      return !s.isEmpty();
    }
    if (v instanceof Collection<?> c) {
      return !c.isEmpty();
    }
    if (v instanceof Map<?, ?> m) {
      return !m.isEmpty();
    }
    return true;
  }

  /** Python's {@code str(v)}. */
  static String str(Object v) {
    if (v == null) {
      return "None";
    }
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (v instanceof Double d) {
      return floatRepr(d);
    }
    if (v instanceof List<?> l) {
      List<String> parts = new ArrayList<>();
      l.forEach(x -> parts.add(repr(x)));
      return "[" + String.join(", ", parts) + "]";
    }
    if (v instanceof Map<?, ?> m) {
      List<String> parts = new ArrayList<>();
      m.forEach((k, x) -> parts.add(repr(k) + ": " + repr(x)));
      return "{" + String.join(", ", parts) + "}";
    }
    return String.valueOf(v);
  }

  private static String repr(Object v) {
    if (v instanceof String s) {
      return "'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'";
    }
    return str(v);
  }

  /** Python's float repr: {@code 3.0}, {@code 0.25}, {@code 1e-05}, {@code inf}, {@code nan}. */
  static String floatRepr(double d) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    if (d == 0) {
      return 1 / d < 0 ? "-0.0" : "0.0";
    }
    BigDecimal b = shortest(d);
    int exponent = b.precision() - b.scale() - 1;
    if (exponent < -4 || exponent >= 16) {
      String digits = b.unscaledValue().abs().toString();
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return (d < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
          + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
    }
    String plain = b.toPlainString();
    return plain.contains(".") ? plain : plain + ".0";
  }

  /** Java's numbers as the two kinds a template knows, whole numbers and floats. */
  static Object normal(Object v) {
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Float f) {
      return f.doubleValue();
    }
    return v;
  }

  /** The fewest significant digits that read back as {@code d}, as Python's repr finds them. */
  private static BigDecimal shortest(double d) {
    BigDecimal exact = new BigDecimal(d);
    for (int digits = 1; digits < 17; digits++) {
      BigDecimal r = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (r.doubleValue() == d) {
        return r.stripTrailingZeros();
      }
    }
    return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
  }

  static long length(Object v, int line) {
    if (v instanceof String s) {
      return s.codePointCount(0, s.length());
    }
    if (v instanceof Collection<?> c) {
      return c.size();
    }
    if (v instanceof Map<?, ?> m) {
      return m.size();
    }
    throw new JinjaException(line, "object of type " + typeName(v) + " has no length");
  }

  static Object index(Object target, Object key, int line) {
    if (target instanceof Map<?, ?> m) {
      return m.containsKey(key) ? normal(m.get(key)) : new Undefined(str(key));
    }
    if (key instanceof Long i && (target instanceof String || target instanceof List<?>)) {
      List<?> items = items(target);
      long k = i < 0 ? items.size() + i : i;
      if (k < 0 || k >= items.size()) {
        return new Undefined("[" + i + "]");
      }
      Object item = items.get((int) k);
      return target instanceof String ? new String(Character.toChars((Integer) item)) : normal(item);
    }
    throw new JinjaException(line, typeName(target) + " cannot be indexed by " + typeName(key));
  }

  /** {@code target[from:to]} with Python's clamping; bounds are {@code Long} or null. */
  static Object slice(Object target, Object from, Object to, int line) {
    if (!(target instanceof String || target instanceof List<?>)) {
      throw new JinjaException(line, typeName(target) + " cannot be sliced");
    }
    List<?> items = items(target);
    int n = items.size();
    int a = bound(from, 0, n, line);
    int b = bound(to, n, n, line);
    if (target instanceof String s) {
      if (a >= b) {
        return "";
      }
      return s.substring(s.offsetByCodePoints(0, a), s.offsetByCodePoints(0, b));
    }
    return a >= b ? List.of() : List.copyOf(items.subList(a, b));
  }

  private static int bound(Object v, int absent, int n, int line) {
    if (v == null) {
      return absent;
    }
    if (!(v instanceof Long l)) {
      throw new JinjaException(line, "slice indices must be integers, got " + typeName(v));
    }
    long k = l < 0 ? n + l : l;
    return (int) Math.max(0, Math.min(k, n));
  }

  /** A string as its code points (Integers), a list as itself, a map as its keys. */
  static List<?> items(Object v) {
    if (v instanceof String s) {
      return s.codePoints().boxed().toList();
    }
    if (v instanceof List<?> l) {
      return l;
    }
    if (v instanceof Map<?, ?> m) {
      return List.copyOf(m.keySet());
    }
    return null;
  }

  static Object arithmetic(String op, Object a, Object b, int line) {
    if (op.equals("+") && a instanceof String x && b instanceof String y) {
      return x + y;
    }
    if (op.equals("+") && a instanceof List<?> x && b instanceof List<?> y) {
      List<Object> r = new ArrayList<>(x);
      r.addAll(y);
      return r;
    }
    if (!isNumber(a) || !isNumber(b)) {
      throw new JinjaException(line, "unsupported operand types for " + op + ": " + typeName(a)
          + " and " + typeName(b));
    }
    if (a instanceof Long x && b instanceof Long y && !op.equals("/")) {
      return switch (op) {
        case "+" -> x + y;
        case "-" -> x - y;
        case "*" -> x * y;
        case "//" -> Math.floorDiv(x, nonZero(y, line));
        case "%" -> Math.floorMod(x, nonZero(y, line));
        default -> throw new JinjaException(line, "unknown operator " + op);
      };
    }
    double x = ((Number) a).doubleValue();
    double y = ((Number) b).doubleValue();
    return switch (op) {
      case "+" -> x + y;
      case "-" -> x - y;
      case "*" -> x * y;
      case "/" -> x / nonZero(y, line);
      case "//" -> Math.floor(x / nonZero(y, line));
      case "%" -> x - y * Math.floor(x / nonZero(y, line));
      default -> throw new JinjaException(line, "unknown operator " + op);
    };
  }

  private static long nonZero(long y, int line) {
    if (y == 0) {
      throw new JinjaException(line, "division by zero");
    }
    return y;
  }

  private static double nonZero(double y, int line) {
    if (y == 0) {
      throw new JinjaException(line, "division by zero");
    }
    return y;
  }

  static boolean compare(String op, Object a, Object b, int line) {
    switch (op) {
      case "==":
        return equal(a, b);
      case "!=":
        return !equal(a, b);
      case "in":
        return contains(b, a, line);
      case "not in":
        return !contains(b, a, line);
      default:
        break;
    }
    int c;
    if (isNumber(a) && isNumber(b)) {
      c = Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
    } else if (a instanceof String x && b instanceof String y) {
      c = x.compareTo(y);
    } else {
      throw new JinjaException(line, "'" + op + "' not supported between " + typeName(a) + " and "
          + typeName(b));
    }
    return switch (op) {
      case "<" -> c < 0;
      case "<=" -> c <= 0;
      case ">" -> c > 0;
      case ">=" -> c >= 0;
      default -> throw new JinjaException(line, "unknown operator " + op);
    };
  }

  private static boolean equal(Object a, Object b) {
    if (isNumber(a) && isNumber(b)) {
      return ((Number) a).doubleValue() == ((Number) b).doubleValue();
    }
    return a == null ? b == null : a.equals(b);
  }

  private static boolean contains(Object container, Object item, int line) {
    if (container instanceof String s && item instanceof String x) {
      return s.contains(x);
    }
    if (container instanceof Map<?, ?> m) {
      return m.containsKey(item);
    }
    if (container instanceof List<?> l) {
      return l.stream().anyMatch(e -> equal(e, item));
    }
    throw new JinjaException(line, "'in' needs a string, list or mapping, not " + typeName(container));
  }

  static boolean isNumber(Object v) {
    return v instanceof Long || v instanceof Double;
  }

  static String typeName(Object v) {
    if (v == null) {
      return "NoneType";
    }
    if (v instanceof Undefined u) {
      return "undefined '" + u.name() + "'";
    }
    return switch (v.getClass().getSimpleName()) {
      case "String" -> "str";
      case "Long" -> "int";
      case "Double" -> "float";
      case "Boolean" -> "bool";
      default -> v instanceof List<?> ? "list" : v instanceof Map<?, ?> ? "dict" : "object";
    };
  }
}
