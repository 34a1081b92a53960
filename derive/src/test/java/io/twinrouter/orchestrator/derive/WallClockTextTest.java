package io.twinrouter.orchestrator.derive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WallClockTextTest {
  @Test
  void masksPytestsSessionTimeKeepingTheLinesShape() {
    String out = "tests/test_a.py ..\n"
        + "============================== 9 passed in 0.19s ===============================\n"
        + "==== 1 failed, 2 passed in 12.34s (0:00:12) ====\nok";
    assertEquals("tests/test_a.py ..\n"
        + "============================== 9 passed in 0.00s ===============================\n"
        + "==== 1 failed, 2 passed in 00.00s (0:00:00) ====\nok", WallClockText.mask(out));
  }

  @Test
  void leavesOtherTextAlone() {
    String text = "sleep in 5.5s\n== not a summary in 1.0 seconds ==\nelapsed in 3.25s";
    assertEquals(text, WallClockText.mask(text));
  }
}
