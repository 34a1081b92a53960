package io.twinrouter.agent.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * Turns a provider's {@code usage} object into the four buckets, following live-track spec 3.2
 * rule by rule. JSON floats are accepted only when integral; negatives and a read+write larger
 * than the prompt are refused.
 */
public final class UsageNormalizer {

  /** The provider labels of the reference; anything else is refused. */
  public enum Provider {
    OPENAI_COMPAT,
    OPENAI,
    ANTHROPIC,
    DEEPSEEK,
    GEMINI;

    public static Provider fromLabel(String label) {
      for (Provider p : values()) {
        if (p.name().toLowerCase(Locale.ROOT).equals(label)) {
          return p;
        }
      }
      throw new UsageException(
          "unknown usage provider '"
              + label
              + "' (expected openai_compat, openai, anthropic, deepseek or gemini)");
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private UsageNormalizer() {}

  public static Usage normalize(Provider provider, JsonNode usage) {
    if (usage == null || usage.isNull() || usage.isMissingNode()) {
      throw new UsageException("provider response has no usage (missing usage object)");
    }
    if (!usage.isObject()) {
      throw new UsageException("usage must be a JSON object, got " + usage.getNodeType());
    }
    return switch (provider) {
      case OPENAI, OPENAI_COMPAT -> openAi(usage);
      case ANTHROPIC -> new Usage(
          count(usage, "input_tokens", true),
          count(usage, "cache_read_input_tokens", false),
          count(usage, "cache_creation_input_tokens", false),
          count(usage, "output_tokens", true),
          usage);
      case DEEPSEEK -> deepSeek(usage);
      case GEMINI -> gemini(usage);
    };
  }

  private static Usage openAi(JsonNode u) {
    long prompt = count(u, "prompt_tokens", false);
    long completion = count(u, "completion_tokens", false);
    long aliasIn = count(u, "input_tokens", false);
    long aliasOut = count(u, "output_tokens", false);
    if (prompt == 0 && completion == 0 && (aliasIn != 0 || aliasOut != 0)) {
      prompt = aliasIn;
      completion = aliasOut;
    } else {
      prompt = count(u, "prompt_tokens", true);
      completion = count(u, "completion_tokens", true);
    }
    long read = 0;
    long write = 0;
    JsonNode details = u.get("prompt_tokens_details");
    if (details != null && !details.isNull()) {
      if (!details.isObject()) {
        throw new UsageException("usage.prompt_tokens_details must be an object");
      }
      read = count(details, "cached_tokens", false);
      write = count(details, "cache_write_tokens", false);
    }
    if (read + write > prompt) {
      throw new UsageException(
          "usage: cached_tokens + cache_write_tokens (" + (read + write)
              + ") exceed prompt_tokens (" + prompt + ")");
    }
    return new Usage(prompt - read - write, read, write, completion, u);
  }

  private static Usage deepSeek(JsonNode u) {
    long hit = count(u, "prompt_cache_hit_tokens", false);
    long input =
        u.hasNonNull("prompt_cache_miss_tokens")
            ? count(u, "prompt_cache_miss_tokens", true)
            : count(u, "prompt_tokens", true) - hit;
    if (input < 0) {
      throw new UsageException("usage: prompt_cache_hit_tokens exceed prompt_tokens");
    }
    return new Usage(input, hit, 0, count(u, "completion_tokens", true), u);
  }

  private static Usage gemini(JsonNode u) {
    long read = count(u, "cached_content_token_count", false);
    long input = count(u, "prompt_token_count", true) - read;
    if (input < 0) {
      throw new UsageException("usage: cached_content_token_count exceeds prompt_token_count");
    }
    long output =
        u.hasNonNull("candidates_token_count")
            ? count(u, "candidates_token_count", true)
            : count(u, "output_token_count", true);
    return new Usage(input, read, 0, output, u);
  }

  /** A non-negative integral count; absent or null is 0 unless required. */
  static long count(JsonNode parent, String field, boolean required) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      if (required) {
        throw new UsageException("usage." + field + " is missing");
      }
      return 0;
    }
    if (!n.isNumber()) {
      throw new UsageException("usage." + field + " must be a number, got " + n.getNodeType());
    }
    if (n.isFloatingPointNumber()) {
      double d = n.doubleValue();
      if (d != Math.rint(d) || Double.isInfinite(d)) {
        throw new UsageException("usage." + field + " must be an integer, got " + d);
      }
    }
    long v = n.isFloatingPointNumber() ? (long) n.doubleValue() : n.longValue();
    if (v < 0) {
      throw new UsageException("usage." + field + " must be non-negative, got " + v);
    }
    return v;
  }
}
