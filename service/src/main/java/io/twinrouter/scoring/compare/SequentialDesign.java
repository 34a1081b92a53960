package io.twinrouter.scoring.compare;

/**
 * A two-sided sequential test of two routers on paired cases: Armitage's (1957) restricted
 * sequential procedure for paired preferences, built from two of Wald's (1947) SPRTs.
 *
 * <p>Each case gives a sign: A better (A resolved it and B did not, or, with repeats, A's
 * per-case resolve rate is higher), B better, or a tie. Ties carry no information about which
 * router is better and are skipped, as in McNemar's test. Among the {@code n} untied cases, with
 * {@code y} won by A, the test runs one SPRT of {@code p = 1/2} against {@code p = p1} and one
 * against {@code p = 1 - p1}, where {@code p1} is the share of A's wins among untied cases when A's
 * resolve rate exceeds B's by {@code effect} (see {@link #winShare}). Either SPRT crossing its
 * upper boundary decides that router is better; both below their lower boundaries decide "no
 * difference of at least {@code effect}" (the futility boundary). After {@code maxUntied} untied
 * cases an undecided test says "no difference" (the restriction that bounds the sample).
 *
 * <p>The boundaries start at Wald's {@code log(power/(alpha/2))} and {@code
 * log((1-power)/(1-alpha/2))}. Those are approximations (they ignore overshoot and the
 * truncation), so {@link #of} then widens them in small steps until the design's exact error
 * rates, computed by {@link ExactOperation}, meet the ones asked for. The statistics test checks
 * the result against 10,000 simulated comparisons.
 *
 * @param alpha the chance of deciding a winner when the routers are equal (both sides together)
 * @param power the chance of deciding for the better router when it is better by {@code effect}
 * @param effect the smallest difference in resolve rate worth detecting (absolute)
 * @param discordance the assumed share of cases the routers disagree on, at that difference
 * @param maxUntied untied cases after which the test stops and says "no difference"
 * @param upper the boundary on each one-sided log likelihood ratio that decides a winner
 * @param lower the boundary both log likelihood ratios must fall below for "no difference"
 */
public record SequentialDesign(double alpha, double power, double effect, double discordance,
    int maxUntied, double upper, double lower) {

  /** The step, in log likelihood ratio, by which {@link #of} widens Wald's boundaries. */
  private static final double STEP = 0.02;

  public enum Decision {
    CONTINUE,
    A_BETTER,
    B_BETTER,
    NO_DIFFERENCE;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
  }

  public SequentialDesign {
    require(alpha > 0 && alpha < 0.5, "--alpha", "between 0 and 0.5", alpha);
    require(power > 0.5 && power < 1, "--power", "between 0.5 and 1", power);
    require(effect > 0 && effect < 1, "--effect", "between 0 and 1", effect);
    require(discordance > effect && discordance <= 1, "discordance",
        "above --effect (" + effect + ") and at most 1", discordance);
    require(maxUntied >= 1, "maxUntied", "at least 1", maxUntied);
  }

  /**
   * The design for these error rates, truncated at three times the untied cases a fixed-n
   * McNemar test would need (the truncation then costs almost no power), with boundaries widened
   * from Wald's until its exact error rates are at most {@code alpha} and at least {@code power}.
   */
  public static SequentialDesign of(double alpha, double power, double effect, double discordance) {
    double upper = Math.log(power / (alpha / 2));
    double lower = Math.log((1 - power) / (1 - alpha / 2));
    new SequentialDesign(alpha, power, effect, discordance, 1, upper, lower); // checks the inputs
    int fixedUntied = (int) Math.ceil(FixedDesign.cases(alpha, power, effect, discordance)
        * discordance);
    int max = Math.max(10, 3 * fixedUntied);
    for (int i = 0; i < 200; i++) {
      SequentialDesign d = new SequentialDesign(alpha, power, effect, discordance, max, upper, lower);
      ExactOperation equal = ExactOperation.of(d, 0.5);
      if (equal.aBetter() + equal.bBetter() > alpha) {
        upper += STEP;
      } else if (ExactOperation.of(d, d.winShare()).aBetter() < power) {
        lower -= STEP;
      } else {
        return d;
      }
    }
    throw new IllegalStateException("no design meets alpha " + alpha + " and power " + power);
  }

  /** The share of A's wins among untied cases when A is better by {@code effect}. */
  public double winShare() {
    return winShare(effect, discordance);
  }

  /**
   * With {@code p10 - p01 = effect} and {@code p10 + p01 = discordance} (A's wins, B's wins):
   * {@code p10 / (p10 + p01) = 1/2 + effect / (2 discordance)}.
   */
  public static double winShare(double effect, double discordance) {
    return 0.5 + effect / (2 * discordance);
  }

  /** The log likelihood ratio of "A better by effect" against "equal" after y wins of A in n. */
  public double logRatioForA(int untied, int winsOfA) {
    double p1 = winShare();
    return winsOfA * Math.log(2 * p1) + (untied - winsOfA) * Math.log(2 * (1 - p1));
  }

  /** What the test says after {@code untied} untied cases of which A won {@code winsOfA}. */
  public Decision decide(int untied, int winsOfA) {
    if (untied == 0) {
      return Decision.CONTINUE;
    }
    double forA = logRatioForA(untied, winsOfA);
    double forB = logRatioForA(untied, untied - winsOfA);
    if (forA >= upper) {
      return Decision.A_BETTER;
    }
    if (forB >= upper) {
      return Decision.B_BETTER;
    }
    if ((forA <= lower && forB <= lower) || untied >= maxUntied) {
      return Decision.NO_DIFFERENCE;
    }
    return Decision.CONTINUE;
  }

  /**
   * The fewest untied cases that can name a winner: that many, every one won by the same router.
   * A suite with fewer cases than this can end only in "no difference" or undecided, however far
   * apart the routers are: the design spends its evidence on detecting {@code effect}, and the
   * smaller the effect the less each untied case weighs.
   */
  public int fewestToNameAWinner() {
    int n = 1;
    while (n < maxUntied && decide(n, n) == Decision.CONTINUE) {
      n++;
    }
    return n;
  }

  /**
   * Whether some {@code more} further cases could still end the test with a decision (any of
   * the three): when none can, spending them is pointless.
   */
  public boolean canDecideWithin(int untied, int winsOfA, int more) {
    int reach = Math.min(more, Math.max(0, maxUntied - untied));
    for (int k = 1; k <= reach; k++) {
      for (int j = 0; j <= k; j++) {
        if (decide(untied + k, winsOfA + j) != Decision.CONTINUE) {
          return true;
        }
      }
    }
    return false;
  }

  private static void require(boolean ok, String name, String what, double value) {
    if (!ok) {
      throw new IllegalArgumentException(name + " must be " + what + ", got " + value);
    }
  }
}
