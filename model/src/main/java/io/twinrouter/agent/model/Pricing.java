package io.twinrouter.agent.model;

import io.twinrouter.config.Rates;

/** The USD cost of one call from its four buckets and the chosen model's locked prices (spec 3.3). */
public final class Pricing {
  private Pricing() {}

  public static double costUsd(Rates rates, Usage usage) {
    return (usage.inputTokens() * rates.input()
            + usage.cacheReadTokens() * rates.cacheRead()
            + usage.cacheWriteTokens() * rates.cacheWrite()
            + usage.outputTokens() * rates.output())
        / 1_000_000.0;
  }
}
