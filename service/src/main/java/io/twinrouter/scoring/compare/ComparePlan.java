package io.twinrouter.scoring.compare;

import java.util.Optional;

/**
 * What a comparison is expected to need before it runs: the sequential design for the error rates
 * asked for, its exact error rates and expected number of cases (at the effect and with equal
 * routers), and what a fixed-n McNemar design with the same error rates would need.
 *
 * @param assumptions where the discordance and the cost per case come from, in words
 * @param exactAlpha the design's exact chance of naming a winner when the routers are equal
 * @param exactPower its exact chance of naming A when A is better by the effect
 * @param casesAtEffect expected cases when one router is better by the effect
 * @param casesWhenEqual expected cases when the routers are equal (with the same discordance)
 * @param fixedCases cases of the fixed-n design
 * @param costPerCaseUsd both routers' bill for one case, when known
 */
public record ComparePlan(SequentialDesign design, String assumptions, double exactAlpha,
    double exactPower, double casesAtEffect, double casesWhenEqual, double fixedCases,
    Optional<Double> costPerCaseUsd) {

  /** B's resolve rate assumed when no earlier run says otherwise. */
  public static final double DEFAULT_BASE_RATE = 0.5;

  public static ComparePlan of(double alpha, double power, double effect, double discordance,
      String assumptions, Optional<Double> costPerCaseUsd) {
    SequentialDesign design = SequentialDesign.of(alpha, power, effect, discordance);
    ExactOperation atEffect = ExactOperation.of(design, design.winShare());
    ExactOperation equal = ExactOperation.of(design, 0.5);
    return new ComparePlan(design, assumptions, equal.aBetter() + equal.bBetter(),
        atEffect.aBetter(), atEffect.expectedCases(discordance), equal.expectedCases(discordance),
        FixedDesign.cases(alpha, power, effect, discordance), costPerCaseUsd);
  }

  /**
   * The discordance when B resolves {@code baseRate} of the cases, A {@code baseRate + effect},
   * independently given the case: {@code pA (1 - pB) + pB (1 - pA)}.
   */
  public static double discordanceOfIndependentArms(double baseRate, double effect) {
    double pa = Math.min(1, baseRate + effect);
    return pa * (1 - baseRate) + baseRate * (1 - pa);
  }

  public Optional<Double> expectedCostUsd() {
    return costPerCaseUsd.map(c -> c * casesAtEffect);
  }

  public Optional<Double> fixedCostUsd() {
    return costPerCaseUsd.map(c -> c * Math.ceil(fixedCases));
  }
}
