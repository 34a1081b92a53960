package io.twinrouter.config;

import com.typesafe.config.Config;

/** Prices of one model or tier in USD per 1,000,000 tokens, for the four usage buckets. */
public record Rates(double input, double cacheRead, double cacheWrite, double output) {

  static Rates from(Config c) {
    return new Rates(
        c.getDouble("input"),
        c.getDouble("cache-read"),
        c.getDouble("cache-write"),
        c.getDouble("output"));
  }
}
