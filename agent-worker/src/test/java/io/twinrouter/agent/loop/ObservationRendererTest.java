package io.twinrouter.agent.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ObservationRendererTest {

  private final ObservationRenderer renderer = new ObservationRenderer(Templates.defaults(), 10_000);

  @Test
  void outputBelowTheLimitIsShownWhole() {
    String out = "x".repeat(9_999);
    String r = renderer.render(new ShellResult(out, 0, "", 5));
    assertEquals("<returncode>0</returncode>\n<output>\n" + out + "</output>", r);
  }

  @Test
  void outputAtTheLimitIsCutWithNothingElided() {
    String out = "a".repeat(5_000) + "b".repeat(5_000);
    String r = renderer.render(new ShellResult(out, 1, "", 5));
    assertTrue(r.startsWith("<returncode>1</returncode>\n<warning>\n"), r.substring(0, 80));
    assertTrue(r.contains("<output_head>\n" + "a".repeat(5_000) + "\n</output_head>"));
    assertTrue(r.contains("<elided_chars>\n0 characters elided\n</elided_chars>"));
    assertTrue(r.contains("<output_tail>\n" + "b".repeat(5_000) + "\n</output_tail>"));
    assertFalse(r.contains("<output>"));
  }

  @Test
  void longOutputKeepsHeadAndTail() {
    String out = "h".repeat(5_000) + "m".repeat(20_000) + "t".repeat(5_000);
    String r = renderer.render(new ShellResult(out, 0, "", 5));
    assertTrue(r.contains("<elided_chars>\n20000 characters elided\n</elided_chars>"));
    assertFalse(r.contains("mmmmm"), "the middle is elided");
    assertTrue(r.contains("<output_head>\n" + "h".repeat(5_000) + "\n</output_head>"));
  }

  @Test
  void lengthsCountCodePointsAsPythonDoes() {
    String out = "\uD83D\uDE00".repeat(9_999); // 9,999 code points, 19,998 UTF-16 units
    assertTrue(renderer.render(new ShellResult(out, 0, "", 1)).contains("<output>"));
  }

  @Test
  void aCommandThatCouldNotFinishShowsTheException() {
    ShellResult timedOut = ShellResult.timedOut("partial\n", 60, 60_000);
    String r = renderer.render(timedOut);
    assertTrue(r.startsWith("<exception>An error occurred while executing the command: "), r);
    assertTrue(r.contains("</exception>\n<returncode>-1</returncode>\n<output>\npartial\n</output>"), r);
  }
}
