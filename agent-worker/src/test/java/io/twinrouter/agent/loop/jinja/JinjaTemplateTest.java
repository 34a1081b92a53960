package io.twinrouter.agent.loop.jinja;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import io.twinrouter.common.Json;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The subset renders byte for byte as Jinja2 does: {@code rendered-by-jinja2.json} holds sources,
 * variables and what {@code jinja2.Template(src, undefined=StrictUndefined).render(**vars)} gave
 * (Jinja2 3.1.6), and where python3 has jinja2 the same cases are rendered by it again.
 */
class JinjaTemplateTest {

  record Case(String name, String source, Map<String, Object> vars, String expected) {}

  private static List<Case> cases() throws Exception {
    try (InputStream in = JinjaTemplateTest.class.getResourceAsStream(
        "/jinja/rendered-by-jinja2.json")) {
      return Json.MAPPER.readValue(in, new TypeReference<List<Case>>() {});
    }
  }

  @Test
  void rendersAsJinja2Did() throws Exception {
    List<Case> cases = cases();
    assertTrue(cases.size() >= 9);
    for (Case c : cases) {
      assertEquals(c.expected(), JinjaTemplate.parse(c.source()).render(c.vars()), c.name());
    }
  }

  @Test
  void rendersAsTheInstalledJinja2Does() throws Exception {
    Process probe = new ProcessBuilder("python3", "-c", "import jinja2").start();
    Assumptions.assumeTrue(probe.waitFor() == 0, "python3 has no jinja2 here");
    String script = "import json, sys\n"
        + "from jinja2 import StrictUndefined, Template\n"
        + "cases = json.load(sys.stdin)\n"
        + "print(json.dumps([Template(c['source'], undefined=StrictUndefined)"
        + ".render(**c['vars']) for c in cases]))\n";
    Process p = new ProcessBuilder("python3", "-c", script).redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(Json.MAPPER.writeValueAsBytes(cases()));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    List<String> python = List.of(Json.MAPPER.readValue(out, String[].class));
    List<Case> cases = cases();
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      assertEquals(python.get(i), JinjaTemplate.parse(c.source()).render(c.vars()), c.name());
    }
  }

  private static JinjaException refused(String source) {
    return assertThrows(JinjaException.class, () -> JinjaTemplate.parse(source));
  }

  @Test
  void refusesWhatIsOutsideTheSubsetWithItsLine() {
    JinjaException call = refused("first\nsecond {{ task.strip() }}");
    assertEquals(2, call.line());
    assertTrue(call.getMessage().contains("calls are not supported"), call.getMessage());

    JinjaException macro = refused("a\nb\n{% macro m() %}x{% endmacro %}");
    assertEquals(3, macro.line());
    assertTrue(macro.getMessage().contains("unsupported statement '{% macro m() %}'"));

    assertTrue(refused("{{ task | wordwrap }}").getMessage().contains("unsupported filter"));
    assertEquals(2, refused("x\n{% if a %}open").line());
    assertTrue(refused("{% endif %}").getMessage().contains("nothing open to close"));
    assertEquals(3, refused("\n\n{{ a\n}").line(), "never closed");
  }

  @Test
  void anUndefinedVariableFailsAsStrictUndefinedDoes() {
    JinjaTemplate t = JinjaTemplate.parse("hello\n{{ taks }}");
    JinjaException e = assertThrows(JinjaException.class, () -> t.render(Map.of("task", "x")));
    assertEquals(2, e.line());
    assertEquals("'taks' is undefined", e.getMessage());
    assertEquals("yes", JinjaTemplate.parse("{% if taks is defined %}no{% else %}yes{% endif %}")
        .render(Map.of()));
  }
}
