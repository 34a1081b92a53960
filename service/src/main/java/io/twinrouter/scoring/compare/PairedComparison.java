package io.twinrouter.scoring.compare;

import io.twinrouter.scoring.compare.ConfidenceSequence.Interval;
import io.twinrouter.scoring.compare.SequentialDesign.Decision;

/**
 * A comparison of routers A and B as it goes: the paired outcomes of the cases so far, the
 * sequential test's decision and the intervals that stay valid under its stopping rule.
 *
 * <p>With repeats, a case is one cluster: its outcome per router is the share of its repeats
 * resolved, and the test sees one sign per case (which router's share is higher). Repeats thus
 * sharpen each case's sign without being counted as independent cases (the cases are the
 * independent units; a case's repeats share its difficulty). Not thread-safe: one owner adds the
 * cases.
 */
public final class PairedComparison {

  /**
   * One case's outcome for both routers.
   *
   * @param resolvedA the share of A's repeats of the case that resolved it (0 or 1 without repeats)
   * @param billA A's mean bill for the case in USD
   */
  public record CasePair(String caseId, double resolvedA, double resolvedB, double billA,
      double billB) {
    int sign() {
      return Double.compare(resolvedA, resolvedB);
    }
  }

  /** Where the comparison stands after the cases so far. */
  public record Standing(int cases, int untied, int winsOfA, Decision decision,
      Interval resolveDifference, Interval billDifference, double spendUsd) {}

  /**
   * The most one router's bill for one case can be, and so half the range of a paired bill
   * difference: the bill interval's guarantee rests on it ({@link #billBoundHeld()}).
   */
  private final double billBoundUsd;
  private final BoundedMeanSequence bills;

  private final SequentialDesign design;
  private final double tunedFor;
  private int cases;
  private int untied;
  private int winsOfA;
  private double sumResolve;
  private double sumBill;
  private double spend;
  private int billsBeyondBound;
  private Decision decision = Decision.CONTINUE;

  /**
   * @param tunedFor the planned number of cases, where the resolve interval is made narrowest
   * @param billBoundUsd the most one router's bill for one case can be (infinite when nothing
   *     bounds it: the bill interval is then the whole line)
   */
  public PairedComparison(SequentialDesign design, double tunedFor, double billBoundUsd) {
    if (!(billBoundUsd > 0)) {
      throw new IllegalArgumentException("the bill bound must be above 0, got " + billBoundUsd);
    }
    this.design = design;
    this.tunedFor = tunedFor;
    this.billBoundUsd = billBoundUsd;
    this.bills = Double.isFinite(billBoundUsd)
        ? new BoundedMeanSequence(-billBoundUsd, billBoundUsd, design.alpha()) : null;
  }

  /** Adds a case; after a decision the decision stands and only the intervals move. */
  public Standing add(CasePair pair) {
    cases++;
    int sign = pair.sign();
    if (sign != 0 && decision == Decision.CONTINUE) {
      untied++;
      winsOfA += sign > 0 ? 1 : 0;
      decision = design.decide(untied, winsOfA);
    }
    sumResolve += pair.resolvedA() - pair.resolvedB();
    sumBill += pair.billA() - pair.billB();
    if (bills != null) {
      // each bill in [0, bound] puts the difference in [-bound, bound]; checked bill by bill, as
      // a bill beyond the bound can hide in a difference within it
      bills.add(pair.billA() - pair.billB());
      billsBeyondBound += pair.billA() > billBoundUsd || pair.billB() > billBoundUsd ? 1 : 0;
    }
    spend += pair.billA() + pair.billB();
    return standing();
  }

  public Standing standing() {
    return new Standing(cases, untied, winsOfA, decision, resolveDifference(), billDifference(),
        spend);
  }

  public Decision decision() {
    return decision;
  }

  public SequentialDesign design() {
    return design;
  }

  /** A's resolve rate minus B's, per case, with a (1 - alpha) confidence sequence. */
  public Interval resolveDifference() {
    double mean = cases == 0 ? 0 : sumResolve / cases;
    return Interval.of(mean, ConfidenceSequence.halfWidth(cases, 1, design.alpha(), tunedFor), -1, 1);
  }

  /**
   * A's bill minus B's, per case, with a (1 - alpha) confidence sequence for a difference bounded
   * by {@code +-billBoundUsd} ({@link BoundedMeanSequence}).
   */
  public Interval billDifference() {
    if (bills == null) {
      return new Interval(cases == 0 ? 0 : sumBill / cases, Double.NEGATIVE_INFINITY,
          Double.POSITIVE_INFINITY);
    }
    return bills.interval();
  }

  public double billBoundUsd() {
    return billBoundUsd;
  }

  /** Whether every bill so far was within the bound, which the bill interval's guarantee needs. */
  public boolean billBoundHeld() {
    return billsBeyondBound == 0;
  }
}
