package io.twinrouter.scoring.compare;

/**
 * Intervals for a mean that hold at every sample size at once, so they stay valid however the
 * comparison decides to stop: the normal-mixture boundary of Robbins (1970) in the form of Howard,
 * Ramdas, McAuliffe and Sekhon (2021), "Time-uniform, nonparametric, nonasymptotic confidence
 * sequences", Annals of Statistics 49(2).
 *
 * <p>For observations sub-Gaussian with variance proxy {@code sigma^2}, mixing {@code exp(lambda
 * S_t - lambda^2 V_t / 2)} over {@code lambda ~ N(0, 1/rho)} gives a nonnegative supermartingale,
 * and Ville's inequality turns it into {@code |S_t| < sqrt((V_t + rho) log((V_t + rho) / (rho
 * alpha^2)))} for all {@code t} with probability at least {@code 1 - alpha}. A paired difference
 * of per-case resolve rates lies in [-1, 1], so {@code sigma = 1} (Hoeffding) and the interval is
 * valid in finite samples. (Bills have a wider a-priori range than their spread: their interval
 * adapts to the variance instead, {@link BoundedMeanSequence}.)
 *
 * <p>{@code rho} is tuned so the interval is narrowest near {@code tunedFor} cases (Howard et
 * al., section 3.5); it must be fixed before the data are seen, and it is (from the plan).
 */
public final class ConfidenceSequence {

  private ConfidenceSequence() {}

  /** The half-width of the interval around the mean of {@code n} observations. */
  public static double halfWidth(int n, double sigma, double alpha, double tunedFor) {
    if (n == 0) {
      return Double.POSITIVE_INFINITY;
    }
    double l = -2 * Math.log(alpha);
    // rho in units of sigma^2: V_t / rho = n * r
    double r = (l + Math.log(l + 1)) / Math.max(1, tunedFor);
    double vr = n * r + 1;
    double boundary = Math.sqrt(vr / r * Math.log(vr / (alpha * alpha)));
    return sigma * boundary / n;
  }

  /** A two-sided interval, clipped to {@code [min, max]} when the quantity cannot leave it. */
  public record Interval(double estimate, double low, double high) {
    static Interval of(double mean, double half, double min, double max) {
      return new Interval(mean, Math.max(min, mean - half), Math.min(max, mean + half));
    }
  }
}
