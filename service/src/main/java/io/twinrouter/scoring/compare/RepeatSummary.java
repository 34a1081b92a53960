package io.twinrouter.scoring.compare;

/**
 * What K runs of the same router over the same cases say beyond one run: pass@k (a case counts
 * when any of its K runs resolved it), pass^k (when all K did, the consistency measure of
 * tau-bench), and how far the K runs' resolve rates spread.
 *
 * @param passAtK the share of cases resolved by at least one of the K runs
 * @param passHatK the share of cases resolved by all K runs
 * @param meanRate the mean over runs of a run's resolve rate
 * @param runToRunVariance the sample variance of the K runs' resolve rates (0 when K is 1)
 */
public record RepeatSummary(int cases, int repeats, double passAtK, double passHatK,
    double meanRate, double runToRunVariance) {

  /** From {@code resolved[case][repeat]}; every case has the same number of repeats. */
  public static RepeatSummary of(boolean[][] resolved) {
    int n = resolved.length;
    int k = n == 0 ? 0 : resolved[0].length;
    int any = 0;
    int all = 0;
    double[] rates = new double[k];
    for (boolean[] runs : resolved) {
      int hits = 0;
      for (int r = 0; r < k; r++) {
        if (runs[r]) {
          hits++;
          rates[r] += 1.0 / n;
        }
      }
      any += hits > 0 ? 1 : 0;
      all += hits == k ? 1 : 0;
    }
    double mean = 0;
    for (double r : rates) {
      mean += r / Math.max(1, k);
    }
    double variance = 0;
    for (double r : rates) {
      variance += k < 2 ? 0 : (r - mean) * (r - mean) / (k - 1);
    }
    return new RepeatSummary(n, k, n == 0 ? 0 : (double) any / n, n == 0 ? 0 : (double) all / n,
        mean, variance);
  }
}
