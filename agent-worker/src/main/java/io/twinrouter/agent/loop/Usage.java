package io.twinrouter.agent.loop;

import io.twinrouter.config.Rates;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The four token buckets of one call (live-track spec 3.2), as the model client normalised them
 * from the provider's usage. {@code inputTokens} are fresh prompt tokens, neither read from nor
 * written to a cache.
 */
public record Usage(long inputTokens, long cacheReadTokens, long cacheWriteTokens, long outputTokens) {

  public long totalPromptTokens() {
    return inputTokens + cacheReadTokens + cacheWriteTokens;
  }

  /** USD at the locked per-million prices of the model that answered (spec 3.3). */
  public double costUsd(Rates r) {
    return (inputTokens * r.input() + cacheReadTokens * r.cacheRead()
        + cacheWriteTokens * r.cacheWrite() + outputTokens * r.output()) / 1_000_000.0;
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("input_tokens", inputTokens);
    m.put("cache_read_tokens", cacheReadTokens);
    m.put("cache_write_tokens", cacheWriteTokens);
    m.put("output_tokens", outputTokens);
    return m;
  }
}
