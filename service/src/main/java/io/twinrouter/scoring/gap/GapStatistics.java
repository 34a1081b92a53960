package io.twinrouter.scoring.gap;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The statistics of the gap report: how sure a live resolve rate is, whether two routers differ on
 * the same cases, how large a difference the number of cases could detect, and how often the
 * static verdict agrees with the live outcome. Everything is deterministic given its inputs (the
 * bootstrap takes a seed).
 */
public final class GapStatistics {
  private GapStatistics() {}

  /** A two-sided interval around an estimate. */
  public record Interval(double estimate, double low, double high, double level) {}

  /**
   * Percentile bootstrap of the resolve rate: resample the cases with replacement {@code reps}
   * times and take the {@code (1-level)/2} and {@code (1+level)/2} quantiles of the rates.
   */
  public static Interval bootstrapRate(boolean[] resolved, int reps, long seed, double level) {
    int n = resolved.length;
    if (n == 0) {
      return new Interval(Double.NaN, Double.NaN, Double.NaN, level);
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] rates = new double[reps];
    for (int r = 0; r < reps; r++) {
      int hits = 0;
      for (int i = 0; i < n; i++) {
        if (resolved[rnd.nextInt(n)]) {
          hits++;
        }
      }
      rates[r] = (double) hits / n;
    }
    Arrays.sort(rates);
    double alpha = (1 - level) / 2;
    return new Interval(
        rate(resolved), quantile(rates, alpha), quantile(rates, 1 - alpha), level);
  }

  /** Linear interpolation between order statistics (type 7, numpy's default). */
  static double quantile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }

  static double rate(boolean[] xs) {
    int k = 0;
    for (boolean x : xs) {
      if (x) {
        k++;
      }
    }
    return xs.length == 0 ? Double.NaN : (double) k / xs.length;
  }

  /**
   * The exact McNemar test on paired outcomes.
   *
   * @param onlyA cases A resolved and B did not
   * @param onlyB cases B resolved and A did not
   * @param pValue two-sided: {@code min(1, 2 P(X <= min(onlyA, onlyB)))}, X ~ Bin(onlyA+onlyB, 1/2)
   */
  public record McNemar(int onlyA, int onlyB, double pValue) {}

  public static McNemar mcnemarExact(boolean[] a, boolean[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("paired outcomes need the same cases on both sides");
    }
    int onlyA = 0;
    int onlyB = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] && !b[i]) {
        onlyA++;
      } else if (b[i] && !a[i]) {
        onlyB++;
      }
    }
    int n = onlyA + onlyB;
    if (n == 0) {
      return new McNemar(0, 0, 1.0);
    }
    double tail = 0;
    for (int k = 0; k <= Math.min(onlyA, onlyB); k++) {
      tail += Math.exp(logChoose(n, k) - n * Math.log(2));
    }
    return new McNemar(onlyA, onlyB, Math.min(1.0, 2 * tail));
  }

  static double logChoose(int n, int k) {
    double s = 0;
    for (int i = 1; i <= k; i++) {
      s += Math.log(n - k + i) - Math.log(i);
    }
    return s;
  }

  /**
   * The smallest difference in resolve rate (A minus B, absolute) that a paired comparison of
   * {@code n} cases detects with the given power at two-sided level {@code alpha}, by Connor's
   * (1987) sample-size formula for McNemar's test solved for the difference:
   * {@code sqrt(n) d = z(1-alpha/2) sqrt(psi) + z(power) sqrt(psi - d^2)}, where {@code psi} is
   * the proportion of discordant cases. Returns NaN when even {@code d = psi} is not detectable.
   */
  public static double minimumDetectableDifference(
      int n, double discordantRate, double alpha, double power) {
    double za = inverseNormal(1 - alpha / 2);
    double zb = inverseNormal(power);
    double psi = discordantRate;
    if (n <= 0 || psi <= 0) {
      return Double.NaN;
    }
    // f(d) = sqrt(n) d - za sqrt(psi) - zb sqrt(psi - d^2) increases with d on (0, psi]
    double lo = 0;
    double hi = psi;
    if (f(hi, n, psi, za, zb) < 0) {
      return Double.NaN;
    }
    for (int i = 0; i < 200; i++) {
      double mid = (lo + hi) / 2;
      if (f(mid, n, psi, za, zb) < 0) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return hi;
  }

  private static double f(double d, int n, double psi, double za, double zb) {
    return Math.sqrt(n) * d - za * Math.sqrt(psi) - zb * Math.sqrt(Math.max(0, psi - d * d));
  }

  /**
   * The discordance to plan with when two routers are compared: the observed one when any case
   * differs, else what independent outcomes at the observed rates would give.
   */
  public static double planningDiscordance(boolean[] a, boolean[] b) {
    int n = a.length;
    int disc = 0;
    for (int i = 0; i < n; i++) {
      if (a[i] != b[i]) {
        disc++;
      }
    }
    if (disc > 0) {
      return (double) disc / n;
    }
    double pa = rate(a);
    double pb = rate(b);
    return pa * (1 - pb) + pb * (1 - pa);
  }

  /**
   * Agreement of the static verdict (every step of a case at or above its target tier) with the
   * live outcome (resolved), with Cohen's kappa.
   *
   * @param kappa NaN when undefined: when one side gives every case the same verdict, all the
   *     agreement is what chance alone gives, so kappa is 0 (or 0/0) whatever the other side
   *     does, and a 0 beside a high agreement rate would read as "no better than chance"
   * @param kappaUndefined why kappa is undefined, or null when it is defined
   */
  public record Agreement(int bothPass, int staticOnly, int liveOnly, int neither, double rate,
      double kappa, String kappaUndefined) {}

  public static Agreement agreement(boolean[] staticPass, boolean[] liveResolved) {
    if (staticPass.length != liveResolved.length) {
      throw new IllegalArgumentException("agreement needs the same cases on both tracks");
    }
    int both = 0;
    int s = 0;
    int l = 0;
    int none = 0;
    for (int i = 0; i < staticPass.length; i++) {
      if (staticPass[i] && liveResolved[i]) {
        both++;
      } else if (staticPass[i]) {
        s++;
      } else if (liveResolved[i]) {
        l++;
      } else {
        none++;
      }
    }
    double n = staticPass.length;
    double observed = (both + none) / n;
    double pStatic = (both + s) / n;
    double pLive = (both + l) / n;
    double expected = pStatic * pLive + (1 - pStatic) * (1 - pLive);
    String undefined = constant("live", pLive, "resolved") != null ? constant("live", pLive, "resolved")
        : constant("static", pStatic, "passed");
    double kappa = undefined != null ? Double.NaN : (observed - expected) / (1 - expected);
    return new Agreement(both, s, l, none, observed, kappa, undefined);
  }

  /** "every joined case resolved live" when a side never varies, else null. */
  private static String constant(String track, double share, String verdict) {
    if (share == 1.0) {
      return "every joined case " + verdict + " " + track + ", so agreement is all chance";
    }
    if (share == 0.0) {
      return "no joined case " + verdict + " " + track + ", so agreement is all chance";
    }
    return null;
  }

  /**
   * The standard normal quantile, by Acklam's rational approximation (relative error below
   * 1.15e-9, far below what a power calculation needs).
   */
  public static double inverseNormal(double p) {
    if (p <= 0 || p >= 1) {
      throw new IllegalArgumentException("probability must be in (0, 1): " + p);
    }
    double[] a = {
      -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
      1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00
    };
    double[] b = {
      -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
      6.680131188771972e+01, -1.328068155288572e+01
    };
    double[] c = {
      -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
      -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00
    };
    double[] d = {
      7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00
    };
    double pLow = 0.02425;
    double x;
    if (p < pLow) {
      double q = Math.sqrt(-2 * Math.log(p));
      x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p <= 1 - pLow) {
      double q = p - 0.5;
      double r = q * q;
      x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
          / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    } else {
      double q = Math.sqrt(-2 * Math.log(1 - p));
      x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    return x;
  }
}
