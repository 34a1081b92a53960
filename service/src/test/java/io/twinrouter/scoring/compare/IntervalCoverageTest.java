package io.twinrouter.scoring.compare;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.scoring.compare.ConfidenceSequence.Interval;
import io.twinrouter.scoring.compare.PairedComparison.CasePair;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The comparison's intervals against seeded simulations, checked after every case: a comparison
 * may stop at any case, so an interval valid under every stopping rule must hold at all of them
 * at once. A run counts as a miss when the interval left the true difference at any of its
 * {@value #CASES} cases; the share of such runs must stay at or below alpha, for bills spread
 * evenly, skewed, and piled up at the bound (the cost limit reached, then one more call).
 */
class IntervalCoverageTest {
  static final int RUNS = 2_000;
  static final int CASES = 300;
  static final double ALPHA = 0.05;
  /** A cost limit of 3 USD, 1 USD for the last call's overshoot. */
  static final double BOUND = 4.0;

  /** One router's bill for one case, and its mean. */
  record Bills(String name, ToDoubleFunction<SplittableRandom> draw, double mean) {}

  static final Bills CHEAP = new Bills("uniform 0.10..0.30", r -> 0.10 + 0.2 * r.nextDouble(), 0.20);
  static final Bills EVEN = new Bills("uniform 0..4", r -> BOUND * r.nextDouble(), BOUND / 2);
  /** Mostly cents, one case in 20 runs into the cost limit and overshoots by up to the bound. */
  static final Bills SKEWED = new Bills("cents, 5% at the cost limit",
      r -> r.nextDouble() < 0.05 ? 3 + r.nextDouble() : 0.02 * r.nextDouble(),
      0.05 * 3.5 + 0.95 * 0.01);
  /** Two points, the rare one at the bound: the hardest case for a variance-adaptive interval. */
  static final Bills AT_BOUND = new Bills("0 or the bound (2%)",
      r -> r.nextDouble() < 0.02 ? BOUND : 0, 0.02 * BOUND);
  static final Bills MOSTLY_AT_BOUND = new Bills("the bound, 0 in 3%",
      r -> r.nextDouble() < 0.03 ? 0 : BOUND, 0.97 * BOUND);

  /** The default design (effect 0.05 at alpha 0.05, power 0.8), made once: it takes a while. */
  static final ComparePlan PLAN = ComparePlan.of(ALPHA, 0.8, 0.05,
      ComparePlan.discordanceOfIndependentArms(0.5, 0.05), "test", Optional.empty());

  static PairedComparison comparison() {
    return new PairedComparison(PLAN.design(), PLAN.casesAtEffect(), BOUND);
  }

  /** The share of runs whose bill interval missed the true difference at some case. */
  static double billMisses(Bills a, Bills b, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double truth = a.mean() - b.mean();
    int missed = 0;
    for (int run = 0; run < RUNS; run++) {
      PairedComparison c = comparison();
      boolean miss = false;
      for (int i = 0; i < CASES && !miss; i++) {
        c.add(new CasePair("c", 0, 0, a.draw().applyAsDouble(random),
            b.draw().applyAsDouble(random)));
        miss = !covers(c.billDifference(), truth);
      }
      missed += miss ? 1 : 0;
      assertTrue(c.billBoundHeld());
    }
    return (double) missed / RUNS;
  }

  static boolean covers(Interval i, double truth) {
    return i.low() <= truth && truth <= i.high();
  }

  @Test
  void theBillIntervalHoldsAtEveryCaseForEvenSkewedAndPiledUpBills() {
    Bills[][] pairs = {{CHEAP, CHEAP}, {SKEWED, CHEAP}, {AT_BOUND, CHEAP}, {MOSTLY_AT_BOUND, EVEN},
        {SKEWED, AT_BOUND}, {EVEN, EVEN}};
    long seed = 31;
    for (Bills[] p : pairs) {
      double misses = billMisses(p[0], p[1], seed++);
      System.out.printf("bill interval, A %s vs B %s: missed in %.4f of %d runs of %d cases%n",
          p[0].name(), p[1].name(), misses, RUNS, CASES);
      assertTrue(misses <= ALPHA, p[0].name() + " vs " + p[1].name() + ": " + misses);
    }
  }

  @Test
  void theCheckCatchesAnIntervalThatIsOnlyValidAtAFixedSampleSize() {
    // the same check on a 95% normal interval recomputed after every case, the mistake the
    // bound-free intervals make: it must fail, or the check above could not
    SplittableRandom random = new SplittableRandom(41);
    int missed = 0;
    for (int run = 0; run < RUNS; run++) {
      double sum = 0;
      double squares = 0;
      boolean miss = false;
      for (int n = 1; n <= CASES && !miss; n++) {
        double d = SKEWED.draw().applyAsDouble(random) - CHEAP.draw().applyAsDouble(random);
        sum += d;
        squares += d * d;
        if (n >= 2) {
          double mean = sum / n;
          double half = 1.96 * Math.sqrt((squares - n * mean * mean) / (n - 1) / n);
          miss = Math.abs(mean - (SKEWED.mean() - CHEAP.mean())) > half;
        }
      }
      missed += miss ? 1 : 0;
    }
    double misses = (double) missed / RUNS;
    System.out.printf("fixed-n normal interval, checked at every case: missed in %.4f%n", misses);
    assertTrue(misses > 2 * ALPHA, "the check should catch it: " + misses);
  }

  @Test
  void theBillIntervalNarrowsWithTheCasesAndSaysWhenABillBrokeTheBound() {
    SplittableRandom random = new SplittableRandom(51);
    PairedComparison c = comparison();
    for (int i = 0; i < 1000; i++) {
      c.add(new CasePair("c" + i, 1, 1, 0.05 + 0.02 * random.nextDouble(), 0.01));
    }
    Interval bill = c.billDifference();
    assertTrue(bill.low() > 0 && bill.high() < 0.1, "1000 cases of a 0.05 difference: " + bill);
    assertTrue(c.billBoundHeld());
    c.add(new CasePair("over", 1, 1, BOUND + 0.5, BOUND + 0.1));
    assertTrue(!c.billBoundHeld(), "a bill beyond the bound voids the guarantee");
  }

  /** The share of runs whose resolve interval missed the true difference at some case. */
  static double resolveMisses(double pa, double pb, int repeats, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int missed = 0;
    for (int run = 0; run < RUNS; run++) {
      PairedComparison c = comparison();
      boolean miss = false;
      for (int i = 0; i < CASES && !miss; i++) {
        // each case has a difficulty shared by its repeats, so the shares are clustered
        double hard = random.nextDouble() < 0.3 ? 0.5 : 1;
        c.add(new CasePair("c", share(random, pa * hard, repeats), share(random, pb * hard, repeats),
            0, 0));
        miss = !covers(c.resolveDifference(), 0.7 * (pa - pb) + 0.3 * 0.5 * (pa - pb));
      }
      missed += miss ? 1 : 0;
    }
    return (double) missed / RUNS;
  }

  static double share(SplittableRandom random, double p, int repeats) {
    int resolved = 0;
    for (int k = 0; k < repeats; k++) {
      resolved += random.nextDouble() < p ? 1 : 0;
    }
    return (double) resolved / repeats;
  }

  @Test
  void theResolveIntervalHoldsAtEveryCaseToo() {
    double[][] scenarios = {{0.5, 0.5, 1}, {0.9, 0.3, 1}, {0.98, 0.6, 3}, {0.2, 0.25, 3}};
    long seed = 61;
    for (double[] s : scenarios) {
      double misses = resolveMisses(s[0], s[1], (int) s[2], seed++);
      System.out.printf("resolve interval, A %.2f vs B %.2f, %d repeats: missed in %.4f%n", s[0],
          s[1], (int) s[2], misses);
      assertTrue(misses <= ALPHA, "resolve " + s[0] + " vs " + s[1] + ": " + misses);
    }
  }
}
