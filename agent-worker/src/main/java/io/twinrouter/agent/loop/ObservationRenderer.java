package io.twinrouter.agent.loop;

import java.util.Map;

/**
 * Renders a command's result for the model (live-track spec 2.1.2): the whole output below the
 * limit, otherwise a warning with the first and last half-limit characters and the elided count.
 * Lengths count Unicode code points, as Python's {@code len} does.
 */
public final class ObservationRenderer {

  private final Templates templates;
  private final int limitChars;

  public ObservationRenderer(Templates templates, int limitChars) {
    this.templates = templates;
    this.limitChars = limitChars;
  }

  public String render(ShellResult result) {
    String out = result.output();
    String exceptionLine = result.exceptionInfo().isEmpty()
        ? "" : Templates.render(templates.exceptionLine(),
            Map.of("exception_info", result.exceptionInfo()));
    String rc = Integer.toString(result.returncode());
    int length = out.codePointCount(0, out.length());
    if (length < limitChars) {
      return Templates.render(templates.observation(),
          Map.of("exception_line", exceptionLine, "returncode", rc, "output", out));
    }
    int half = limitChars / 2;
    String head = out.substring(0, out.offsetByCodePoints(0, half));
    String tail = out.substring(out.offsetByCodePoints(out.length(), -half));
    return Templates.render(templates.observationLong(), Map.of(
        "exception_line", exceptionLine,
        "returncode", rc,
        "output_head", head,
        "output_tail", tail,
        "elided_chars", Integer.toString(length - limitChars)));
  }
}
