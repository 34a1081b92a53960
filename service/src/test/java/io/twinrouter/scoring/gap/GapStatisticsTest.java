package io.twinrouter.scoring.gap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GapStatisticsTest {

  private static boolean[] outcomes(int yes, int no) {
    boolean[] xs = new boolean[yes + no];
    for (int i = 0; i < yes; i++) {
      xs[i] = true;
    }
    return xs;
  }

  @Test
  void mcnemarExactMatchesTheBinomialTailByHand() {
    // 8 cases only A resolved, 2 only B: p = 2 * (C(10,0)+C(10,1)+C(10,2)) / 2^10 = 112/1024
    boolean[] a = new boolean[20];
    boolean[] b = new boolean[20];
    for (int i = 0; i < 8; i++) {
      a[i] = true;
    }
    for (int i = 8; i < 10; i++) {
      b[i] = true;
    }
    for (int i = 10; i < 15; i++) {
      a[i] = true;
      b[i] = true;
    }
    GapStatistics.McNemar m = GapStatistics.mcnemarExact(a, b);
    assertEquals(8, m.onlyA());
    assertEquals(2, m.onlyB());
    assertEquals(112.0 / 1024, m.pValue(), 1e-12);
    // balanced discordance is capped at 1
    assertEquals(1.0, GapStatistics.mcnemarExact(outcomes(1, 1), new boolean[] {false, true}).pValue());
  }

  @Test
  void normalQuantilesAreTheTabulatedOnes() {
    assertEquals(1.959963984540054, GapStatistics.inverseNormal(0.975), 1e-8);
    assertEquals(0.8416212335729143, GapStatistics.inverseNormal(0.8), 1e-8);
    assertEquals(-2.3263478740408408, GapStatistics.inverseNormal(0.01), 1e-8);
  }

  @Test
  void minimumDetectableDifferenceSolvesConnorsFormula() {
    // n = 100, psi = 0.2: sqrt(100) d = 1.95996 sqrt(0.2) + 0.84162 sqrt(0.2 - d^2)
    double d = GapStatistics.minimumDetectableDifference(100, 0.2, 0.05, 0.8);
    double lhs = 10 * d;
    double rhs = 1.959963984540054 * Math.sqrt(0.2) + 0.8416212335729143 * Math.sqrt(0.2 - d * d);
    assertEquals(rhs, lhs, 1e-9);
    // by hand: d = 0.1238 (1.2382 = 0.8765 + 0.8416 * 0.4297), about 12 points:, the "roughly 10-15 points" the paper's 100 cases allow
    assertEquals(0.1238, d, 1e-4);
    // more cases detect smaller differences
    assertTrue(GapStatistics.minimumDetectableDifference(400, 0.2, 0.05, 0.8) < d / 1.9);
  }

  @Test
  void bootstrapIsSeededAndBracketsTheRate() {
    boolean[] r = outcomes(75, 25);
    var first = GapStatistics.bootstrapRate(r, 4000, 7, 0.95);
    var again = GapStatistics.bootstrapRate(r, 4000, 7, 0.95);
    assertEquals(first, again);
    assertEquals(0.75, first.estimate());
    assertTrue(first.low() < 0.75 && first.high() > 0.75);
    // the normal approximation's half width is 1.96 sqrt(.75 .25 / 100) = 0.085
    assertEquals(0.085, (first.high() - first.low()) / 2, 0.015);
    var all = GapStatistics.bootstrapRate(outcomes(10, 0), 1000, 1, 0.95);
    assertEquals(1.0, all.low());
    assertEquals(1.0, all.high());
  }

  @Test
  void agreementAndKappaByHand() {
    // 40 both pass, 10 static only, 20 live only, 30 neither: observed .70,
    // expected .5*.6 + .5*.4 = .50, kappa = (.7-.5)/(1-.5) = .4
    boolean[] st = new boolean[100];
    boolean[] live = new boolean[100];
    for (int i = 0; i < 40; i++) {
      st[i] = true;
      live[i] = true;
    }
    for (int i = 40; i < 50; i++) {
      st[i] = true;
    }
    for (int i = 50; i < 70; i++) {
      live[i] = true;
    }
    var a = GapStatistics.agreement(st, live);
    assertEquals(40, a.bothPass());
    assertEquals(10, a.staticOnly());
    assertEquals(20, a.liveOnly());
    assertEquals(30, a.neither());
    assertEquals(0.7, a.rate(), 1e-12);
    assertEquals(0.4, a.kappa(), 1e-12);
  }

  @Test
  void planningDiscordanceFallsBackToIndependentOutcomes() {
    boolean[] a = outcomes(5, 5);
    assertEquals(0.5, GapStatistics.planningDiscordance(a, a.clone()), 1e-12);
  }

  @Test
  void kappaIsUndefinedWhenOneSideNeverVaries() {
    // 12 of 13 agree (92.3%), but every case resolved live: chance alone explains the agreement
    boolean[] st = new boolean[13];
    boolean[] live = new boolean[13];
    java.util.Arrays.fill(live, true);
    java.util.Arrays.fill(st, 0, 12, true);
    var allResolved = GapStatistics.agreement(st, live);
    assertEquals(12.0 / 13, allResolved.rate(), 1e-12);
    assertTrue(Double.isNaN(allResolved.kappa()), "was " + allResolved.kappa());
    assertEquals("every joined case resolved live, so agreement is all chance", allResolved.kappaUndefined());
    var noneStatic = GapStatistics.agreement(new boolean[] {false, false, false}, new boolean[] {true, false, true});
    assertEquals("no joined case passed static, so agreement is all chance", noneStatic.kappaUndefined());
    var mixed = GapStatistics.agreement(new boolean[] {true, false, true, false}, new boolean[] {true, false, false, false});
    assertEquals(null, mixed.kappaUndefined());
    assertEquals(0.5, mixed.kappa(), 1e-12);
  }
}
