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

  private final SequentialDesign design;
  private final double tunedFor;
  private int cases;
  private int untied;
  private int winsOfA;
  private double sumResolve;
  private double sumBill;
  private double sumBillSquares;
  private double spend;
  private Decision decision = Decision.CONTINUE;

  /**
   * @param tunedFor the planned number of cases, where the intervals are made narrowest
   */
  public PairedComparison(SequentialDesign design, double tunedFor) {
    this.design = design;
    this.tunedFor = tunedFor;
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
    double bill = pair.billA() - pair.billB();
    sumBill += bill;
    sumBillSquares += bill * bill;
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

  /** A's bill minus B's, per case, with an asymptotic (1 - alpha) confidence sequence. */
  public Interval billDifference() {
    double mean = cases == 0 ? 0 : sumBill / cases;
    double variance = cases < 2 ? 0 : Math.max(0, (sumBillSquares - cases * mean * mean) / (cases - 1));
    double half = cases < 2 ? Double.POSITIVE_INFINITY
        : ConfidenceSequence.halfWidth(cases, Math.sqrt(variance), design.alpha(), tunedFor);
    return Interval.of(mean, half, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
  }
}
