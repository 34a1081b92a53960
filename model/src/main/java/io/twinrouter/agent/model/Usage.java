package io.twinrouter.agent.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The four billing buckets of one model call (live-track spec 3.2) and the provider's usage
 * object verbatim, so a scorer can re-normalise and re-price it later.
 *
 * @param inputTokens fresh prompt tokens, neither read from nor written to a cache
 * @param raw the provider's {@code usage} object as received (may carry a provider {@code cost})
 */
public record Usage(
    long inputTokens, long cacheReadTokens, long cacheWriteTokens, long outputTokens, JsonNode raw) {

  public Usage {
    if (inputTokens < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0 || outputTokens < 0) {
      throw new UsageException("token buckets must be non-negative");
    }
  }

  /** Total prompt tokens: input + cache read + cache write. */
  public long promptTokens() {
    return inputTokens + cacheReadTokens + cacheWriteTokens;
  }
}
