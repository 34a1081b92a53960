package io.twinrouter.agent.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.sandbox.ExecResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ObservationRendererTest {

  private final ObservationRenderer renderer = new ObservationRenderer(Templates.defaults(), 10_000,
      Duration.ofSeconds(60));

  @Test
  void outputBelowTheLimitIsShownWhole() {
    String out = "x".repeat(9_999);
    String r = renderer.render(new ExecResult(0, out, "", Duration.ofMillis(5), false));
    assertEquals("<returncode>0</returncode>\n<output>\n" + out + "</output>", r);
  }

  @Test
  void outputAtTheLimitIsCutWithNothingElided() {
    String out = "a".repeat(5_000) + "b".repeat(5_000);
    String r = renderer.render(new ExecResult(1, out, "", Duration.ofMillis(5), false));
    assertTrue(r.startsWith("<returncode>1</returncode>\n<warning>\n"), r.substring(0, 80));
    assertTrue(r.contains("<output_head>\n" + "a".repeat(5_000) + "\n</output_head>"));
    assertTrue(r.contains("<elided_chars>\n0 characters elided\n</elided_chars>"));
    assertTrue(r.contains("<output_tail>\n" + "b".repeat(5_000) + "\n</output_tail>"));
    assertFalse(r.contains("<output>"));
  }

  @Test
  void longOutputKeepsHeadAndTail() {
    String out = "h".repeat(5_000) + "m".repeat(20_000) + "t".repeat(5_000);
    String r = renderer.render(new ExecResult(0, out, "", Duration.ofMillis(5), false));
    assertTrue(r.contains("<elided_chars>\n20000 characters elided\n</elided_chars>"));
    assertFalse(r.contains("mmmmm"), "the middle is elided");
    assertTrue(r.contains("<output_head>\n" + "h".repeat(5_000) + "\n</output_head>"));
  }

  @Test
  void lengthsCountCodePointsAsPythonDoes() {
    String out = "\uD83D\uDE00".repeat(9_999); // 9,999 code points, 19,998 UTF-16 units
    assertTrue(renderer.render(new ExecResult(0, out, "", Duration.ofMillis(1), false)).contains("<output>"));
  }

  @Test
  void aCommandThatCouldNotFinishShowsTheException() {
    ExecResult timedOut = new ExecResult(ExecResult.TIMED_OUT, "partial\n", "", Duration.ofSeconds(60),
        false);
    String r = renderer.render(timedOut);
    assertTrue(r.startsWith("<exception>An error occurred while executing the command: the command"
        + " did not finish within 60 seconds and was killed</exception>"), r);
    assertTrue(r.contains("</exception>\n<returncode>-1</returncode>\n<output>\npartial\n</output>"), r);
  }
}
