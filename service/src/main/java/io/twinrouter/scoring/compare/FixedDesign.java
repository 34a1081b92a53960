package io.twinrouter.scoring.compare;

import io.twinrouter.scoring.gap.GapStatistics;

/** What a comparison of a fixed number of cases, decided once by McNemar's test, would need. */
public final class FixedDesign {

  private FixedDesign() {}

  /**
   * The cases a fixed-n paired comparison needs to detect {@code effect} with {@code power} at
   * two-sided level {@code alpha}: Connor's (1987) sample size for McNemar's test,
   * {@code n = (z(1-alpha/2) sqrt(psi) + z(power) sqrt(psi - d^2))^2 / d^2}, the formula {@code
   * gap} solves the other way round for its minimum detectable difference.
   */
  public static double cases(double alpha, double power, double effect, double discordance) {
    double za = GapStatistics.inverseNormal(1 - alpha / 2);
    double zb = GapStatistics.inverseNormal(power);
    double root = za * Math.sqrt(discordance)
        + zb * Math.sqrt(Math.max(0, discordance - effect * effect));
    return root * root / (effect * effect);
  }
}
