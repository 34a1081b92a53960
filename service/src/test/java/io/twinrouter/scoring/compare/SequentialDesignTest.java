package io.twinrouter.scoring.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.scoring.compare.ConfidenceSequence.Interval;
import io.twinrouter.scoring.compare.PairedComparison.CasePair;
import io.twinrouter.scoring.compare.SequentialDesign.Decision;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The sequential comparison against 10,000 simulated comparisons per scenario (seeded): its
 * error rates, its power, the plan's expected sample size and the intervals' coverage under the
 * stopping rule.
 */
class SequentialDesignTest {
  static final int RUNS = 10_000;
  static final double ALPHA = 0.05;
  static final double POWER = 0.8;
  static final double EFFECT = 0.05;
  static final double BASE = 0.5;
  /** The bills below stay under 0.5 USD; the bound given is looser, as a real one would be. */
  static final double BILL_BOUND = 1.0;

  /** What 10,000 comparisons did. */
  record Simulated(double aBetter, double bBetter, double noDifference, double meanCases,
      double resolveMisses, double billMisses) {}

  /**
   * Runs comparisons case by case through {@link PairedComparison}: A resolves a case with
   * {@code pa}, B with {@code pb}, independently; bills are A 0.30 and B 0.10 USD plus noise.
   */
  static Simulated simulate(ComparePlan plan, double pa, double pb, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int a = 0;
    int b = 0;
    int none = 0;
    long cases = 0;
    int resolveMisses = 0;
    int billMisses = 0;
    for (int run = 0; run < RUNS; run++) {
      PairedComparison c = new PairedComparison(plan.design(), plan.casesAtEffect(), BILL_BOUND);
      boolean resolveMissed = false;
      boolean billMissed = false;
      PairedComparison.Standing s;
      do {
        boolean ra = random.nextDouble() < pa;
        boolean rb = random.nextDouble() < pb;
        s = c.add(new CasePair("c", ra ? 1 : 0, rb ? 1 : 0,
            0.30 + 0.2 * random.nextDouble(), 0.10 + 0.2 * random.nextDouble()));
        resolveMissed |= !covers(s.resolveDifference(), pa - pb);
        billMissed |= !covers(s.billDifference(), 0.20);
      } while (s.decision() == Decision.CONTINUE);
      cases += s.cases();
      resolveMisses += resolveMissed ? 1 : 0;
      billMisses += billMissed ? 1 : 0;
      switch (s.decision()) {
        case A_BETTER -> a++;
        case B_BETTER -> b++;
        default -> none++;
      }
    }
    Simulated sim = new Simulated((double) a / RUNS, (double) b / RUNS, (double) none / RUNS,
        (double) cases / RUNS, (double) resolveMisses / RUNS, (double) billMisses / RUNS);
    // the figures behind docs/compare.md's table
    System.out.printf("pa=%.2f pb=%.2f %s plan: alpha %.4f power %.4f cases %.1f (equal %.1f) fixed %.1f%n",
        pa, pb, sim, plan.exactAlpha(), plan.exactPower(), plan.casesAtEffect(),
        plan.casesWhenEqual(), plan.fixedCases());
    return sim;
  }

  static boolean covers(Interval i, double truth) {
    return i.low() <= truth && truth <= i.high();
  }

  static ComparePlan plan(double effect) {
    double psi = ComparePlan.discordanceOfIndependentArms(BASE, effect);
    return ComparePlan.of(ALPHA, POWER, effect, psi, "test", Optional.of(0.4));
  }

  @Test
  void equalRoutersAreCalledDifferentAtMostAlphaOfTheTimeAndThePlanKnowsHowLongThatTakes() {
    ComparePlan plan = plan(EFFECT);
    Simulated sim = simulate(plan, BASE, BASE, 21);
    assertTrue(sim.aBetter() + sim.bBetter() <= ALPHA, "type-I error " + sim);
    assertTrue(plan.exactAlpha() <= ALPHA, "exact type-I error " + plan.exactAlpha());
    assertEquals(plan.exactAlpha(), sim.aBetter() + sim.bBetter(), 0.01, "exact vs simulated");
    assertEquals(1, sim.meanCases() / plan.casesWhenEqual(), 0.15,
        "plan " + plan.casesWhenEqual() + " vs simulated " + sim.meanCases());
    assertTrue(sim.resolveMisses() <= ALPHA, "the resolve interval missed the truth " + sim);
  }

  @Test
  void aRouterBetterByTheEffectIsFoundWithThePowerAskedForInAboutThePlannedCases() {
    ComparePlan plan = plan(EFFECT);
    Simulated sim = simulate(plan, BASE + EFFECT, BASE, 22);
    assertTrue(sim.aBetter() >= POWER, "power " + sim);
    assertTrue(plan.exactPower() >= POWER, "exact power " + plan.exactPower());
    assertTrue(sim.bBetter() <= ALPHA / 2, "the wrong router named " + sim);
    assertEquals(1, sim.meanCases() / plan.casesAtEffect(), 0.15,
        "plan " + plan.casesAtEffect() + " vs simulated " + sim.meanCases());
    assertTrue(plan.casesAtEffect() < plan.fixedCases(),
        "sequential " + plan.casesAtEffect() + " vs fixed " + plan.fixedCases());
    assertTrue(sim.resolveMisses() <= ALPHA, "the resolve interval missed the truth " + sim);
    assertTrue(sim.billMisses() <= ALPHA, "the bill interval missed the truth " + sim);
  }

  @Test
  void theSameHoldsForALargeEffectDecidedInAFewCasesWithBBetter() {
    ComparePlan plan = plan(0.3);
    Simulated sim = simulate(plan, BASE, BASE + 0.3, 23);
    assertTrue(sim.bBetter() >= POWER, "power " + sim);
    assertEquals(1, sim.meanCases() / plan.casesAtEffect(), 0.15,
        "plan " + plan.casesAtEffect() + " vs simulated " + sim.meanCases());
  }

  @Test
  void identicalOutcomesNeverDecideAndBadInputNamesTheOption() {
    PairedComparison c = new PairedComparison(plan(EFFECT).design(), 100, BILL_BOUND);
    for (int i = 0; i < 500; i++) {
      c.add(new CasePair("c" + i, i % 2, i % 2, 0.1, 0.1));
    }
    assertEquals(Decision.CONTINUE, c.decision(), "ties carry no evidence");
    assertEquals(0, c.resolveDifference().estimate());
    assertTrue(c.resolveDifference().high() < 0.25, "the interval narrows with the cases");

    SequentialDesign d = plan(0.3).design();
    int wins = 1;
    while (d.decide(wins, wins) == Decision.CONTINUE) {
      wins++;
    }
    assertTrue(d.canDecideWithin(0, 0, wins), wins + " straight wins decide");
    assertTrue(!d.canDecideWithin(0, 0, wins - 1), "fewer cases cannot decide anything");

    var e = assertThrows(IllegalArgumentException.class,
        () -> SequentialDesign.of(ALPHA, 1.2, EFFECT, 0.5));
    assertTrue(e.getMessage().startsWith("--power"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> SequentialDesign.of(ALPHA, POWER, 0.4, 0.3));
    assertTrue(e.getMessage().contains("discordance"), e.getMessage());
  }
}
