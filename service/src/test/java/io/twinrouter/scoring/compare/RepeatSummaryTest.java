package io.twinrouter.scoring.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RepeatSummaryTest {
  @Test
  void passAtKCountsAnyRepeatPassHatKEveryRepeatAndTheVarianceIsBetweenRuns() {
    // three cases, two runs: run 1 resolves cases 0 and 1, run 2 only case 0
    RepeatSummary s = RepeatSummary.of(new boolean[][] {{true, true}, {true, false}, {false, false}});
    assertEquals(2 / 3.0, s.passAtK(), 1e-12);
    assertEquals(1 / 3.0, s.passHatK(), 1e-12);
    assertEquals(0.5, s.meanRate(), 1e-12, "(2/3 + 1/3) / 2");
    // rates 2/3 and 1/3 around 1/2: ((1/6)^2 * 2) / (2 - 1)
    assertEquals(2 / 36.0, s.runToRunVariance(), 1e-12);
  }
}
