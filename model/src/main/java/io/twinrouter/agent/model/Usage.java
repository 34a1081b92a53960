package io.twinrouter.agent.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.config.Rates;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The usage of one model call: the four billing buckets (live-track spec 3.2) every provider's
 * format is normalised to, and the provider's usage object verbatim, which the trace keeps so a
 * scorer can re-normalise and re-price it later. The one usage type of the model client, the loop,
 * the journal and the trace.
 *
 * @param inputTokens fresh prompt tokens, neither read from nor written to a cache
 * @param reasoningTokens the provider's count of reasoning tokens (already inside {@code
 *     outputTokens}); null when its format does not say
 * @param raw the provider's {@code usage} object as received (may carry a provider {@code cost});
 *     null when a test or a replay has none
 * @param billedCostUsd what the provider says it billed for the call (OpenRouter's {@code
 *     usage.cost}, LiteLLM's {@code x-litellm-response-cost} header), kept beside the computed
 *     cost so a ledger can compare them; null when the provider does not say
 * @param cacheWrite1hTokens the share of {@code cacheWriteTokens} written for an hour
 *     (Anthropic's {@code cache_creation.ephemeral_1h_input_tokens}), priced at the pool's
 *     {@code cache-write-1h} rate when it has one; 0 when the provider does not split its writes
 */
public record Usage(
    long inputTokens,
    long cacheReadTokens,
    long cacheWriteTokens,
    long outputTokens,
    Long reasoningTokens,
    JsonNode raw,
    Double billedCostUsd,
    long cacheWrite1hTokens) {

  @JsonCreator
  public Usage {
    if (inputTokens < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0 || outputTokens < 0
        || cacheWrite1hTokens < 0) {
      throw new UsageException("token buckets must be non-negative");
    }
    if (cacheWrite1hTokens > cacheWriteTokens) {
      throw new UsageException("1-hour cache writes (" + cacheWrite1hTokens
          + ") exceed the cache writes (" + cacheWriteTokens + ")");
    }
  }

  /** Usage whose cache writes are not split by lifetime. */
  public Usage(long inputTokens, long cacheReadTokens, long cacheWriteTokens, long outputTokens,
      Long reasoningTokens, JsonNode raw, Double billedCostUsd) {
    this(inputTokens, cacheReadTokens, cacheWriteTokens, outputTokens, reasoningTokens, raw,
        billedCostUsd, 0);
  }

  /** Four buckets and the raw object, for formats that do not count reasoning tokens apart. */
  public Usage(long inputTokens, long cacheReadTokens, long cacheWriteTokens, long outputTokens,
      JsonNode raw) {
    this(inputTokens, cacheReadTokens, cacheWriteTokens, outputTokens, null, raw, null);
  }

  /** The same usage with the provider's billed cost (from a response header, say). */
  public Usage withBilledCostUsd(Double billed) {
    return new Usage(inputTokens, cacheReadTokens, cacheWriteTokens, outputTokens,
        reasoningTokens, raw, billed, cacheWrite1hTokens);
  }

  /** Total prompt tokens: input + cache read + cache write. */
  public long promptTokens() {
    return inputTokens + cacheReadTokens + cacheWriteTokens;
  }

  /** USD at the locked per-million prices of the model that answered (spec 3.3). */
  public double costUsd(Rates rates) {
    return rates.costUsd(inputTokens, cacheReadTokens, cacheWriteTokens, cacheWrite1hTokens,
        outputTokens);
  }

  /** The four buckets as the trace and the trajectory write them. */
  public Map<String, Object> bucketsJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("input_tokens", inputTokens);
    m.put("cache_read_tokens", cacheReadTokens);
    m.put("cache_write_tokens", cacheWriteTokens);
    m.put("output_tokens", outputTokens);
    return m;
  }
}
