package io.twinrouter.agent.loop;

import io.twinrouter.config.Rates;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The four token buckets of one call (live-track spec 3.2). {@code inputTokens} are fresh prompt
 * tokens, neither read from nor written to a cache.
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

  /**
   * Normalises an OpenAI-style usage object (provider {@code openai_compat}, the only one of the
   * locked pool): prompt/completion tokens, or their input/output aliases when both are zero;
   * cache read/write from {@code prompt_tokens_details}.
   *
   * @throws ProviderMissingUsageError when the usage is absent or malformed
   */
  public static Usage fromOpenAiCompat(Map<String, Object> raw) {
    if (raw == null) {
      throw new ProviderMissingUsageError("provider returned no usage (missing usage object)");
    }
    long prompt = count(raw, "prompt_tokens");
    long completion = count(raw, "completion_tokens");
    if (prompt == 0 && completion == 0) {
      long in = count(raw, "input_tokens");
      long out = count(raw, "output_tokens");
      if (in != 0 || out != 0) {
        prompt = in;
        completion = out;
      } else if (!raw.containsKey("prompt_tokens") || !raw.containsKey("completion_tokens")) {
        throw new ProviderMissingUsageError(
            "usage needs prompt_tokens and completion_tokens: " + raw.keySet());
      }
    }
    long read = 0;
    long write = 0;
    Object details = raw.get("prompt_tokens_details");
    if (details != null) {
      if (!(details instanceof Map<?, ?> d)) {
        throw new ProviderMissingUsageError("usage.prompt_tokens_details is not an object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> dm = (Map<String, Object>) d;
      read = count(dm, "cached_tokens");
      write = count(dm, "cache_write_tokens");
    }
    if (read + write > prompt) {
      throw new ProviderMissingUsageError("usage reports cache read " + read + " + write " + write
          + " above prompt_tokens " + prompt);
    }
    return new Usage(prompt - read - write, read, write, completion);
  }

  private static long count(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (v == null) {
      return 0;
    }
    if (!(v instanceof Number n)) {
      throw new ProviderMissingUsageError("usage." + key + " is not a number: " + v);
    }
    double d = n.doubleValue();
    if (d != Math.rint(d) || d < 0) {
      throw new ProviderMissingUsageError("usage." + key + " is not a non-negative integer: " + v);
    }
    return n.longValue();
  }
}
