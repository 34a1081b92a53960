package io.twinrouter.scoring.compare;

import io.twinrouter.scoring.compare.SequentialDesign.Decision;

/**
 * The exact operating characteristics of a {@link SequentialDesign} when A wins each untied case
 * with probability {@code share}: the chance of each decision and the expected number of untied
 * cases, by forward recursion over the states {@code (untied, winsOfA)} (Armitage 1957 computes
 * his restricted plans' characteristics the same way). No simulation, no approximation beyond
 * floating point.
 *
 * <p>Cases, not just untied ones, are what a comparison pays for: the untied cases form a
 * Bernoulli({@code discordance}) thinning of the cases and the test stops only on an untied one,
 * so the expected number of cases is {@code expectedUntied / discordance} (Wald's identity).
 *
 * @param aBetter the chance the test decides A is better
 * @param bBetter the chance it decides B is better
 * @param noDifference the chance it decides there is no difference of at least the effect
 * @param expectedUntied the expected number of untied cases before it decides
 */
public record ExactOperation(
    double aBetter, double bBetter, double noDifference, double expectedUntied) {

  public static ExactOperation of(SequentialDesign design, double share) {
    double[] mass = {1.0};
    double a = 0;
    double b = 0;
    double none = 0;
    double expected = 0;
    for (int n = 1; n <= design.maxUntied(); n++) {
      double[] next = new double[n + 1];
      for (int y = 0; y < mass.length; y++) {
        next[y + 1] += mass[y] * share;
        next[y] += mass[y] * (1 - share);
      }
      for (int y = 0; y <= n; y++) {
        Decision d = design.decide(n, y);
        if (d == Decision.CONTINUE || next[y] == 0) {
          continue;
        }
        switch (d) {
          case A_BETTER -> a += next[y];
          case B_BETTER -> b += next[y];
          default -> none += next[y];
        }
        expected += n * next[y];
        next[y] = 0;
      }
      mass = next;
    }
    return new ExactOperation(a, b, none, expected);
  }

  /** The expected number of cases when the routers disagree on {@code discordance} of them. */
  public double expectedCases(double discordance) {
    return expectedUntied / discordance;
  }
}
