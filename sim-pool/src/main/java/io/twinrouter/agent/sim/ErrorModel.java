package io.twinrouter.agent.sim;

import io.twinrouter.config.Tier;

/**
 * The documented error model of the simulated pool. A step's error probability is
 *
 * <pre>p(tier, difficulty, kind) = min(0.95, EDIT_ERROR[tier][difficulty] * weight(kind))</pre>
 *
 * so it grows with the task's difficulty and the step's kind (writing the fix is the hard step,
 * weight 1; routine steps weigh 0.1-0.25) and falls with the tier. After a wrong edit and a test
 * run, a model notices the failure with probability NOTICE[tier] and repairs (the repair is an
 * edit again, with the edit's error probability); otherwise it submits the broken fix.
 *
 * <p>Per-step edit error probability (rows: tier, columns: easy, medium, hard):
 *
 * <pre>
 *   low       0.30  0.50  0.75
 *   mid       0.18  0.35  0.55
 *   mid_high  0.08  0.18  0.32
 *   high      0.02  0.04  0.08
 * </pre>
 *
 * Notice-and-repair probability: low 0.25, mid 0.45, mid_high 0.75, high 0.95.
 */
public final class ErrorModel {
  private static final double[][] EDIT_ERROR = {
    {0.30, 0.50, 0.75},
    {0.18, 0.35, 0.55},
    {0.08, 0.18, 0.32},
    {0.02, 0.04, 0.08},
  };
  private static final double[] NOTICE = {0.25, 0.45, 0.75, 0.95};

  private ErrorModel() {}

  /** The kinds of steps of the scripted trajectory and their difficulty weights. */
  public enum StepKind {
    LIST(0.15),
    SEARCH(0.2),
    VIEW(0.2),
    REPRODUCE(0.25),
    EDIT(1.0),
    REPAIR(1.0),
    TEST(0.2),
    DIFF(0.15),
    SUBMIT(0.1);

    private final double weight;

    StepKind(double weight) {
      this.weight = weight;
    }

    public double weight() {
      return weight;
    }

    boolean isEdit() {
      return this == EDIT || this == REPAIR;
    }
  }

  public static double errorProbability(Tier tier, Difficulty difficulty, StepKind kind) {
    return Math.min(0.95, EDIT_ERROR[tier.id()][difficulty.ordinal()] * kind.weight());
  }

  public static double noticeProbability(Tier tier) {
    return NOTICE[tier.id()];
  }
}
