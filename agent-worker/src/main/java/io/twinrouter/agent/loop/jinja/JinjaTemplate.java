package io.twinrouter.agent.loop.jinja;

import io.twinrouter.agent.loop.jinja.JinjaLexer.Kind;
import io.twinrouter.agent.loop.jinja.JinjaLexer.Piece;
import io.twinrouter.agent.loop.jinja.PyValues.Undefined;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A template in the subset of Jinja2 that mini-swe-agent's configs use, rendered as
 * {@code jinja2.Template(source, undefined=StrictUndefined).render(vars)} renders it: output
 * {@code {{ }}}, {@code {% if %}/{% elif %}/{% else %}}, {@code {% for x in xs %}} (with
 * {@code loop.index}, {@code index0}, {@code first}, {@code last}, {@code length}),
 * {@code {% set x = expr %}}, comments and whitespace control. Parsing refuses anything else,
 * naming the template line; rendering refuses an undefined variable. Immutable, thread-safe.
 */
public final class JinjaTemplate {

  private static final Pattern FOR = Pattern.compile("for\\s+([A-Za-z_]\\w*)\\s+in\\s+(.+)",
      Pattern.DOTALL);
  private static final Pattern SET = Pattern.compile("set\\s+([A-Za-z_]\\w*)\\s*=\\s*(.+)",
      Pattern.DOTALL);

  private sealed interface Node permits Text, Output, If, For, Set {}

  private record Text(String text) implements Node {}

  private record Output(JinjaExpression expression, int line) implements Node {}

  private record Branch(JinjaExpression condition, int line, List<Node> body) {}

  private record If(List<Branch> branches, List<Node> otherwise) implements Node {}

  private record For(String variable, JinjaExpression items, int line, List<Node> body)
      implements Node {}

  private record Set(String variable, JinjaExpression value) implements Node {}

  private final List<Node> body;

  private JinjaTemplate(List<Node> body) {
    this.body = body;
  }

  /** @throws JinjaException naming the line of the first construct outside the subset */
  public static JinjaTemplate parse(String source) {
    List<Piece> pieces = JinjaLexer.lex(source);
    int[] at = {0};
    List<Node> body = block(pieces, at, List.of());
    if (at[0] < pieces.size()) {
      Piece p = pieces.get(at[0]);
      throw new JinjaException(p.line(), "'{% " + p.content() + " %}' without its opening tag");
    }
    return new JinjaTemplate(body);
  }

  /** @throws JinjaException when a variable the template uses is undefined, with its line */
  public String render(Map<String, ?> vars) {
    StringBuilder out = new StringBuilder();
    Map<String, Object> scope = new HashMap<>(vars);
    render(body, scope, out);
    return out.toString();
  }

  private static List<Node> block(List<Piece> pieces, int[] at, List<String> enders) {
    List<Node> nodes = new ArrayList<>();
    while (at[0] < pieces.size()) {
      Piece p = pieces.get(at[0]);
      if (p.kind() == Kind.TEXT) {
        nodes.add(new Text(p.content()));
        at[0]++;
        continue;
      }
      if (p.kind() == Kind.EXPRESSION) {
        nodes.add(new Output(JinjaExpression.parse(p.content(), p.line()), p.line()));
        at[0]++;
        continue;
      }
      String keyword = p.content().split("\\s+", 2)[0];
      if (enders.contains(keyword)) {
        return nodes;
      }
      at[0]++;
      switch (keyword) {
        case "if" -> nodes.add(ifNode(pieces, at, p));
        case "for" -> nodes.add(forNode(pieces, at, p));
        case "set" -> {
          Matcher m = SET.matcher(p.content());
          if (!m.matches()) {
            throw new JinjaException(p.line(), "unsupported set statement '" + p.content() + "'");
          }
          nodes.add(new Set(m.group(1), JinjaExpression.parse(m.group(2), p.line())));
        }
        default -> throw new JinjaException(p.line(), "unsupported statement '{% " + p.content()
            + " %}'" + (keyword.startsWith("end") || keyword.equals("elif")
                || keyword.equals("else") ? " (nothing open to close)" : ""));
      }
    }
    if (!enders.isEmpty()) {
      throw new JinjaException(pieces.isEmpty() ? 1 : pieces.get(pieces.size() - 1).line(),
          "template ends before {% " + enders.get(enders.size() - 1) + " %}");
    }
    return nodes;
  }

  private static Node ifNode(List<Piece> pieces, int[] at, Piece open) {
    List<Branch> branches = new ArrayList<>();
    List<String> enders = List.of("elif", "else", "endif");
    Piece head = open;
    String condition = open.content().substring(2).strip();
    while (true) {
      List<Node> body = block(pieces, at, enders);
      branches.add(new Branch(JinjaExpression.parse(condition, head.line()), head.line(), body));
      Piece end = pieces.get(at[0]++);
      String keyword = end.content().split("\\s+", 2)[0];
      if (keyword.equals("elif")) {
        head = end;
        condition = end.content().substring(4).strip();
      } else if (keyword.equals("else")) {
        List<Node> otherwise = block(pieces, at, List.of("endif"));
        at[0]++;
        return new If(branches, otherwise);
      } else {
        return new If(branches, List.of());
      }
    }
  }

  private static Node forNode(List<Piece> pieces, int[] at, Piece open) {
    Matcher m = FOR.matcher(open.content());
    if (!m.matches()) {
      throw new JinjaException(open.line(), "unsupported for statement '" + open.content() + "'");
    }
    List<Node> body = block(pieces, at, List.of("endfor", "else"));
    Piece end = pieces.get(at[0]++);
    if (!end.content().equals("endfor")) {
      throw new JinjaException(end.line(), "'{% else %}' in a for loop is not supported");
    }
    return new For(m.group(1), JinjaExpression.parse(m.group(2), open.line()), open.line(), body);
  }

  private static void render(List<Node> nodes, Map<String, Object> scope, StringBuilder out) {
    Function<String, Object> names =
        name -> scope.containsKey(name) ? PyValues.normal(scope.get(name)) : new Undefined(name);
    for (Node node : nodes) {
      if (node instanceof Text t) {
        out.append(t.text());
      } else if (node instanceof Output o) {
        out.append(PyValues.str(JinjaExpression.defined(o.expression().eval(names), o.line())));
      } else if (node instanceof Set s) {
        scope.put(s.variable(), s.value().eval(names));
      } else if (node instanceof If f) {
        renderIf(f, scope, names, out);
      } else if (node instanceof For f) {
        renderFor(f, scope, names, out);
      }
    }
  }

  private static void renderIf(If f, Map<String, Object> scope, Function<String, Object> names,
      StringBuilder out) {
    for (Branch b : f.branches()) {
      if (PyValues.truth(JinjaExpression.defined(b.condition().eval(names), b.line()))) {
        render(b.body(), scope, out);
        return;
      }
    }
    render(f.otherwise(), scope, out);
  }

  private static void renderFor(For f, Map<String, Object> scope, Function<String, Object> names,
      StringBuilder out) {
    Object items = JinjaExpression.defined(f.items().eval(names), f.line());
    List<?> list = PyValues.items(items);
    if (list == null) {
      throw new JinjaException(f.line(), PyValues.typeName(items) + " is not iterable");
    }
    for (int k = 0; k < list.size(); k++) {
      Object item = list.get(k);
      Map<String, Object> inner = new HashMap<>(scope); // a loop's sets stay inside it
      inner.put(f.variable(), items instanceof String
          ? new String(Character.toChars((Integer) item)) : item);
      Map<String, Object> loop = new LinkedHashMap<>();
      loop.put("index", (long) k + 1);
      loop.put("index0", (long) k);
      loop.put("first", k == 0);
      loop.put("last", k == list.size() - 1);
      loop.put("length", (long) list.size());
      inner.put("loop", loop);
      render(f.body(), inner, out);
    }
  }
}
