package io.twinrouter.agent.loop;

import io.twinrouter.sandbox.ExecResult;
import java.time.Duration;
import java.util.Map;

/**
 * Renders a command's result for the model (live-track spec 2.1.2): the whole output below the
 * limit, otherwise a warning with the first and last half-limit characters and the elided count.
 * Lengths count Unicode code points, as Python's {@code len} does.
 */
public final class ObservationRenderer {

  private final Templates templates;
  private final int limitChars;
  private final Duration commandTimeout;

  /** @param commandTimeout the limit commands run under, named when one outlives it */
  public ObservationRenderer(Templates templates, int limitChars, Duration commandTimeout) {
    this.templates = templates;
    this.limitChars = limitChars;
    this.commandTimeout = commandTimeout;
  }

  /** mini's {@code exception_info}: why the command could not finish; empty when it did. */
  public String exceptionInfo(ExecResult result) {
    return result.timedOut()
        ? "An error occurred while executing the command: the command did not finish within "
            + commandTimeout.toSeconds() + " seconds and was killed"
        : "";
  }

  /** The observation of one command; its output is stdout then stderr (merged as they came). */
  public String render(ExecResult result) {
    String out = result.combinedOutput();
    String exceptionInfo = exceptionInfo(result);
    String exceptionLine = exceptionInfo.isEmpty()
        ? "" : Templates.render(templates.exceptionLine(), Map.of("exception_info", exceptionInfo));
    String rc = Integer.toString(result.exitCode());
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
