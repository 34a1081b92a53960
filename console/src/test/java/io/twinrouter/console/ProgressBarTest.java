package io.twinrouter.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

  @Test
  void withoutATerminalItPrintsOneLinePerTenthAndAFinalLine() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (ProgressBar bar =
        new ProgressBar("rows", 100, new PrintStream(buf, true, StandardCharsets.UTF_8), false)) {
      for (int i = 1; i <= 100; i++) {
        bar.update(i, i % 7 == 0 ? "2 errors" : "");
      }
    }
    String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(11, lines.length, String.join("\n", lines)); // 0%, 10%, ..., 100%
    assertTrue(lines[10].contains("100/100 100%"), lines[10]);
    assertTrue(lines[1].startsWith("rows [###"), lines[1]);
  }

  @Test
  void onATerminalItRedrawsInPlaceAndEndsWithANewline() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (ProgressBar bar =
        new ProgressBar("cases", 4, new PrintStream(buf, true, StandardCharsets.UTF_8), true)) {
      bar.step("");
      bar.update(4, "$0.12");
    }
    String s = buf.toString(StandardCharsets.UTF_8);
    assertTrue(s.startsWith("\rcases ["), s);
    assertTrue(s.contains("4/4 100%"), s);
    assertTrue(s.endsWith("$0.12\n"), s);
    assertEquals(0, s.chars().filter(c -> c == '\n').count() - 1);
  }

  @Test
  void countsArrivingOutOfOrderNeverMoveTheBarBack() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (ProgressBar bar =
        new ProgressBar("rows", 10, new PrintStream(buf, true, StandardCharsets.UTF_8), false)) {
      bar.update(10, "");
      bar.update(7, "");
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("10/10 100%"), out);
    assertTrue(!out.contains("7/10"), out);
  }
}
