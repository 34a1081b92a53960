package io.twinrouter.config;

import com.typesafe.config.Config;

/** Prices of one model or tier in USD per 1,000,000 tokens, for the four usage buckets. */
public record Rates(double input, double cacheRead, double cacheWrite, double output) {

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
        c.getDouble("output"));
  }
}
