package io.twinrouter.config;

import com.typesafe.config.Config;

/**
 * Prices of one model or tier in USD per 1,000,000 tokens, for the four usage buckets.
 *
 * @param cacheWrite1h the price of a cache write kept for an hour (Anthropic's 1-hour TTL costs
 *     more than the 5-minute one); null when the pool gives none, and then such writes are priced
 *     at {@code cacheWrite}
 */
public record Rates(double input, double cacheRead, double cacheWrite, double output,
    Double cacheWrite1h) {

  /** Rates without a separate price for 1-hour cache writes. */
  public Rates(double input, double cacheRead, double cacheWrite, double output) {
    this(input, cacheRead, cacheWrite, output, null);
  }

  /**
   * USD of one call's four buckets at these prices (live-track spec 3.3): the live loop, the model
   * client and the static scorer all price through {@link #costUsd(long, double, long, double,
   * long, double, long, double)}, so their figures agree to the last bit.
   */
  public double costUsd(long inputTokens, long cacheReadTokens, long cacheWriteTokens,
      long outputTokens) {
    return costUsd(inputTokens, input, cacheReadTokens, cacheRead, cacheWriteTokens, cacheWrite,
        outputTokens, output);
  }

  /**
   * USD of one call whose cache writes were {@code cacheWrite1hTokens} 1-hour writes out of
   * {@code cacheWriteTokens}: the 1-hour share at {@code cacheWrite1h} when the pool prices it
   * apart, else the same figure as the four buckets. The 1-hour term is added after the
   * 5-minute one, so with no 1-hour writes the sum is bit for bit the four-bucket one.
   */
  public double costUsd(long inputTokens, long cacheReadTokens, long cacheWriteTokens,
      long cacheWrite1hTokens, long outputTokens) {
    if (cacheWrite1h == null || cacheWrite1hTokens == 0) {
      return costUsd(inputTokens, cacheReadTokens, cacheWriteTokens, outputTokens);
    }
    long fiveMinute = cacheWriteTokens - cacheWrite1hTokens;
    return (((((inputTokens * input + cacheReadTokens * cacheRead)
        + fiveMinute * cacheWrite) + cacheWrite1hTokens * cacheWrite1h)
        + outputTokens * output) / 1_000_000.0);
  }

  /**
   * The one pricing formula, summed left to right as static-track spec 8 fixes it:
   * {@code ((((n_in*p_in + cr*p_cr) + cw*p_cw) + out*p_out) / 1e6}. The static scorer keeps its
   * prices in arrays by tier and calls this directly.
   */
  public static double costUsd(long inputTokens, double inputPrice, long cacheReadTokens,
      double cacheReadPrice, long cacheWriteTokens, double cacheWritePrice, long outputTokens,
      double outputPrice) {
    return ((((inputTokens * inputPrice + cacheReadTokens * cacheReadPrice)
        + cacheWriteTokens * cacheWritePrice) + outputTokens * outputPrice) / 1_000_000.0);
  }

  static Rates from(Config c) {
    return new Rates(
        c.getDouble("input"),
        c.getDouble("cache-read"),
        c.getDouble("cache-write"),
        c.getDouble("output"),
        c.hasPath("cache-write-1h") ? c.getDouble("cache-write-1h") : null);
  }
}
