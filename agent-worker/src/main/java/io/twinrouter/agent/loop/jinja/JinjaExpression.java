package io.twinrouter.agent.loop.jinja;

import io.twinrouter.agent.loop.jinja.PyValues.Undefined;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The expressions of the supported Jinja2 subset, parsed with Jinja's precedence (or, and, not,
 * comparisons and tests, {@code + -}, {@code ~}, {@code * / // %}, unary minus, then postfix
 * attribute, index and slice, then filters): names with dotted access, string and number
 * literals, {@code true/false/none}, parentheses and list literals; the filters {@code length},
 * {@code count}, {@code trim}, {@code lower}, {@code upper}, {@code string}, {@code int},
 * {@code default}, {@code join}, {@code first}, {@code last}; {@code a if b else c}; the tests
 * {@code defined},
 * {@code undefined}, {@code none}. Anything else is refused with its line.
 */
interface JinjaExpression {

  /** @param names a variable's value, or {@link Undefined} */
  Object eval(Function<String, Object> names);

  static JinjaExpression parse(String source, int line) {
    Parser p = new Parser(tokens(source, line), line);
    JinjaExpression e = p.expression();
    p.expectEnd();
    return e;
  }

  /** A value that must be defined to be used ({@code StrictUndefined}). */
  static Object defined(Object v, int line) {
    if (v instanceof Undefined u) {
      throw new JinjaException(line, "'" + u.name() + "' is undefined");
    }
    return v;
  }

  Pattern TOKEN = Pattern.compile("\\s*(?:(\\d+\\.\\d+|\\d+)|([A-Za-z_][A-Za-z0-9_]*)"
      + "|('(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\")|(//|==|!=|<=|>=|[-+*/%<>()\\[\\].,|:~=]))");

  private static List<String> tokens(String s, int line) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(s);
    int pos = 0;
    while (pos < s.length()) {
      if (s.substring(pos).isBlank()) {
        break;
      }
      if (!m.find(pos) || m.start() != pos) {
        throw new JinjaException(line, "unsupported template syntax at '" + s.substring(pos).strip()
            + "'");
      }
      out.add(m.group().strip());
      pos = m.end();
    }
    return out;
  }

  /** A recursive-descent parser over the tokens of one expression. */
  final class Parser {
    private final List<String> toks;
    private final int line;
    private int i;

    Parser(List<String> toks, int line) {
      this.toks = toks;
      this.line = line;
    }

    String peek() {
      return i < toks.size() ? toks.get(i) : "";
    }

    boolean accept(String t) {
      if (peek().equals(t)) {
        i++;
        return true;
      }
      return false;
    }

    void expect(String t) {
      if (!accept(t)) {
        throw new JinjaException(line, "expected '" + t + "' but found '" + peek() + "'");
      }
    }

    void expectEnd() {
      if (i < toks.size()) {
        throw new JinjaException(line, "unsupported template syntax at '" + peek() + "'");
      }
    }

    String name() {
      String t = peek();
      if (!t.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new JinjaException(line, "expected a name but found '" + t + "'");
      }
      i++;
      return t;
    }

    JinjaExpression expression() {
      JinjaExpression value = or();
      if (!accept("if")) {
        return value;
      }
      JinjaExpression condition = or();
      JinjaExpression otherwise = accept("else") ? expression() : n -> new Undefined("else");
      return n -> PyValues.truth(defined(condition.eval(n), line)) ? value.eval(n)
          : otherwise.eval(n);
    }

    private JinjaExpression or() {
      JinjaExpression left = and();
      while (accept("or")) {
        JinjaExpression l = left;
        JinjaExpression r = and();
        left = n -> PyValues.truth(defined(l.eval(n), line)) || PyValues.truth(defined(r.eval(n), line));
      }
      return left;
    }

    private JinjaExpression and() {
      JinjaExpression left = not();
      while (accept("and")) {
        JinjaExpression l = left;
        JinjaExpression r = not();
        left = n -> PyValues.truth(defined(l.eval(n), line)) && PyValues.truth(defined(r.eval(n), line));
      }
      return left;
    }

    private JinjaExpression not() {
      if (accept("not")) {
        JinjaExpression e = not();
        return n -> !PyValues.truth(defined(e.eval(n), line));
      }
      return comparison();
    }

    private JinjaExpression comparison() {
      JinjaExpression left = sum();
      while (true) {
        String op = peek();
        if (op.equals("not") && i + 1 < toks.size() && toks.get(i + 1).equals("in")) {
          i += 2;
          op = "not in";
        } else if (List.of("==", "!=", "<", "<=", ">", ">=", "in").contains(op)) {
          i++;
        } else if (op.equals("is")) {
          i++;
          left = test(left);
          continue;
        } else {
          return left;
        }
        JinjaExpression l = left;
        JinjaExpression r = sum();
        String o = op;
        left = n -> PyValues.compare(o, defined(l.eval(n), line), defined(r.eval(n), line), line);
      }
    }

    private JinjaExpression test(JinjaExpression subject) {
      boolean negated = accept("not");
      String test = name();
      JinjaExpression t = switch (test) {
        case "defined" -> n -> !(subject.eval(n) instanceof Undefined);
        case "undefined" -> n -> subject.eval(n) instanceof Undefined;
        case "none" -> n -> defined(subject.eval(n), line) == null;
        default -> throw new JinjaException(line, "unsupported test '" + test + "'");
      };
      return negated ? n -> !(Boolean) t.eval(n) : t;
    }

    private JinjaExpression sum() {
      JinjaExpression left = concat();
      while (peek().equals("+") || peek().equals("-")) {
        left = binary(left, toks.get(i++), this::concat);
      }
      return left;
    }

    private JinjaExpression concat() {
      JinjaExpression left = product();
      while (accept("~")) {
        JinjaExpression l = left;
        JinjaExpression r = product();
        left = n -> PyValues.str(defined(l.eval(n), line)) + PyValues.str(defined(r.eval(n), line));
      }
      return left;
    }

    private JinjaExpression product() {
      JinjaExpression left = unary();
      while (List.of("*", "/", "//", "%").contains(peek())) {
        left = binary(left, toks.get(i++), this::unary);
      }
      return left;
    }

    private JinjaExpression binary(JinjaExpression l, String op,
        java.util.function.Supplier<JinjaExpression> next) {
      JinjaExpression r = next.get();
      return n -> PyValues.arithmetic(op, defined(l.eval(n), line), defined(r.eval(n), line), line);
    }

    private JinjaExpression unary() {
      if (accept("-")) {
        JinjaExpression e = unary();
        return n -> PyValues.arithmetic("-", 0L, defined(e.eval(n), line), line);
      }
      return filters(postfix(primary()));
    }

    private JinjaExpression primary() {
      String t = peek();
      if (t.isEmpty()) {
        throw new JinjaException(line, "expression ends too early");
      }
      i++;
      if (t.equals("(")) {
        JinjaExpression e = expression();
        expect(")");
        return e;
      }
      if (t.equals("[")) {
        List<JinjaExpression> items = new ArrayList<>();
        while (!accept("]")) {
          if (!items.isEmpty()) {
            expect(",");
          }
          items.add(expression());
        }
        return n -> items.stream().map(e -> defined(e.eval(n), line)).toList();
      }
      if (t.startsWith("'") || t.startsWith("\"")) {
        String s = unquote(t);
        return n -> s;
      }
      if (Character.isDigit(t.charAt(0))) {
        Object v = t.contains(".") ? (Object) Double.valueOf(t) : (Object) Long.valueOf(t);
        return n -> v;
      }
      switch (t) {
        case "true", "True":
          return n -> Boolean.TRUE;
        case "false", "False":
          return n -> Boolean.FALSE;
        case "none", "None":
          return n -> null;
        default:
          break;
      }
      if (!t.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new JinjaException(line, "unsupported template syntax at '" + t + "'");
      }
      return n -> n.apply(t);
    }

    private JinjaExpression postfix(JinjaExpression e) {
      while (true) {
        if (accept(".")) {
          String attr = name();
          JinjaExpression target = e;
          e = n -> PyValues.index(defined(target.eval(n), line), attr, line);
        } else if (accept("[")) {
          e = subscript(e);
        } else if (peek().equals("(")) {
          throw new JinjaException(line, "calls are not supported in templates");
        } else {
          return e;
        }
      }
    }

    private JinjaExpression subscript(JinjaExpression target) {
      JinjaExpression from = peek().equals(":") ? null : expression();
      if (accept("]")) {
        return n -> PyValues.index(defined(target.eval(n), line), defined(from.eval(n), line), line);
      }
      expect(":");
      JinjaExpression to = peek().equals("]") ? null : expression();
      expect("]");
      return n -> PyValues.slice(defined(target.eval(n), line),
          from == null ? null : defined(from.eval(n), line),
          to == null ? null : defined(to.eval(n), line), line);
    }

    private JinjaExpression filters(JinjaExpression e) {
      while (accept("|")) {
        String filter = name();
        List<JinjaExpression> args = new ArrayList<>();
        if (accept("(")) {
          while (!accept(")")) {
            if (!args.isEmpty()) {
              expect(",");
            }
            args.add(expression());
          }
        }
        e = filter(e, filter, args);
      }
      return e;
    }

    private JinjaExpression filter(JinjaExpression e, String filter, List<JinjaExpression> args) {
      Function<Map.Entry<Function<String, Object>, Integer>, Object> arg =
          x -> defined(args.get(x.getValue()).eval(x.getKey()), line);
      int arity = switch (filter) {
        case "default", "d", "join" -> 1;
        case "length", "count", "trim", "lower", "upper", "string", "int", "first", "last" -> 0;
        default -> throw new JinjaException(line, "unsupported filter '" + filter + "'");
      };
      if (args.size() > arity) {
        throw new JinjaException(line, "filter '" + filter + "' takes at most " + arity
            + " argument(s)");
      }
      return n -> switch (filter) {
        case "default", "d" -> {
          Object v = e.eval(n);
          yield v instanceof Undefined ? (args.isEmpty() ? "" : arg.apply(Map.entry(n, 0))) : v;
        }
        case "length", "count" -> PyValues.length(defined(e.eval(n), line), line);
        case "trim" -> PyValues.str(defined(e.eval(n), line)).strip();
        case "lower" -> PyValues.str(defined(e.eval(n), line)).toLowerCase(Locale.ROOT);
        case "upper" -> PyValues.str(defined(e.eval(n), line)).toUpperCase(Locale.ROOT);
        case "string" -> PyValues.str(defined(e.eval(n), line));
        case "int" -> toInt(defined(e.eval(n), line));
        case "first" -> PyValues.index(defined(e.eval(n), line), 0L, line);
        case "last" -> PyValues.index(defined(e.eval(n), line), -1L, line);
        default -> { // join
          String sep = args.isEmpty() ? "" : PyValues.str(arg.apply(Map.entry(n, 0)));
          List<String> parts = new ArrayList<>();
          Object source = defined(e.eval(n), line);
          List<?> items = PyValues.items(source);
          if (items == null) {
            throw new JinjaException(line, "join needs a list");
          }
          items.forEach(x -> parts.add(source instanceof String
              ? new String(Character.toChars((Integer) x)) : PyValues.str(PyValues.normal(x))));
          yield String.join(sep, parts);
        }
      };
    }

    private static Object toInt(Object v) {
      if (v instanceof Long) {
        return v;
      }
      if (v instanceof Double d) {
        return (long) d.doubleValue();
      }
      try {
        return Long.valueOf(PyValues.str(v).strip());
      } catch (NumberFormatException e) {
        return 0L;
      }
    }

    private String unquote(String t) {
      StringBuilder sb = new StringBuilder();
      for (int k = 1; k < t.length() - 1; k++) {
        char c = t.charAt(k);
        if (c == '\\' && k + 2 < t.length()) {
          char x = t.charAt(++k);
          sb.append(switch (x) {
            case 'n' -> '\n';
            case 't' -> '\t';
            default -> x;
          });
        } else {
          sb.append(c);
        }
      }
      return sb.toString();
    }
  }
}
