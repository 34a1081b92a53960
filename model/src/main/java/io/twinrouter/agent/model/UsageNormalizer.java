package io.twinrouter.agent.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.config.UsageFormat;

/**
 * Turns a provider's {@code usage} object into the four buckets (live-track spec 3.2), one rule per
 * documented shape; the table with each provider's source is in docs/providers.md. Every bucket
 * is disjoint from the others, so a token is billed once: where a provider's prompt count includes
 * its cache reads and writes (OpenAI, OpenRouter, DeepSeek, Gemini, LiteLLM) they are subtracted,
 * where it excludes them (Anthropic's Messages API) they are not. JSON floats are accepted only
 * when integral; negatives and a read+write larger than the prompt are refused.
 */
public final class UsageNormalizer {

  private UsageNormalizer() {}

  /**
   * The shape of a usage object: {@code configured} unless it is {@code auto}, then the one its
   * fields name. Fields that only one provider writes decide; a plain OpenAI body is the rest.
   */
  public static UsageFormat recognise(UsageFormat configured, JsonNode u) {
    if (configured != UsageFormat.AUTO) {
      return configured;
    }
    if (u == null || !u.isObject()) {
      return UsageFormat.OPENAI;
    }
    if (u.has("prompt_cache_hit_tokens") || u.has("prompt_cache_miss_tokens")) {
      return UsageFormat.DEEPSEEK;
    }
    if (u.has("promptTokenCount") || u.has("prompt_token_count")) {
      return UsageFormat.GEMINI;
    }
    boolean anthropicCache = u.has("cache_read_input_tokens")
        || u.has("cache_creation_input_tokens");
    if (!u.has("prompt_tokens") && u.has("input_tokens") && anthropicCache) {
      return UsageFormat.ANTHROPIC;
    }
    if (u.has("prompt_tokens") && anthropicCache) {
      return UsageFormat.LITELLM;
    }
    if (u.has("cost") || u.path("prompt_tokens_details").has("cache_write_tokens")) {
      return UsageFormat.OPENROUTER;
    }
    return UsageFormat.OPENAI;
  }

  /** The buckets of {@code usage} read as {@code format} ({@code auto}: recognised first). */
  public static Usage normalize(UsageFormat format, JsonNode usage) {
    if (usage == null || usage.isNull() || usage.isMissingNode()) {
      throw new UsageException("provider response has no usage (missing usage object)");
    }
    if (!usage.isObject()) {
      throw new UsageException("usage must be a JSON object, got " + usage.getNodeType());
    }
    return switch (recognise(format, usage)) {
      case OPENAI, AUTO -> openAi(usage, null);
      case OPENROUTER -> openAi(usage, billedCost(usage, "cost"));
      case ANTHROPIC -> anthropic(usage);
      case DEEPSEEK -> deepSeek(usage);
      case GEMINI -> usage.has("prompt_tokens") ? geminiOpenAi(usage) : gemini(usage);
      case LITELLM -> liteLlm(usage);
    };
  }

  /**
   * OpenAI chat completions: {@code prompt_tokens} includes {@code cached_tokens} (and
   * OpenRouter's {@code cache_write_tokens}); {@code reasoning_tokens} are inside
   * {@code completion_tokens}.
   */
  private static Usage openAi(JsonNode u, Double billed) {
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
    JsonNode details = details(u, "prompt_tokens_details");
    if (details == null) {
      details = details(u, "input_tokens_details");
    }
    long read = details == null ? 0 : count(details, "cached_tokens", false);
    long write = details == null ? 0 : count(details, "cache_write_tokens", false);
    requireWithin(read + write, prompt, "cached_tokens + cache_write_tokens", "prompt_tokens");
    return new Usage(prompt - read - write, read, write, completion, reasoning(u), u, billed);
  }

  /**
   * Anthropic Messages: {@code input_tokens} excludes both cache fields; thinking is billed inside
   * {@code output_tokens} and not counted apart. {@code cache_creation} splits the writes by
   * lifetime; its 1-hour share is kept so the pool can price it apart.
   */
  private static Usage anthropic(JsonNode u) {
    long write = count(u, "cache_creation_input_tokens", false);
    JsonNode split = details(u, "cache_creation");
    long write1h = split == null ? 0 : count(split, "ephemeral_1h_input_tokens", false);
    if (split != null && !u.hasNonNull("cache_creation_input_tokens")) {
      write = write1h + count(split, "ephemeral_5m_input_tokens", false);
    }
    requireWithin(write1h, write, "cache_creation.ephemeral_1h_input_tokens",
        "cache_creation_input_tokens");
    return new Usage(
        count(u, "input_tokens", true),
        count(u, "cache_read_input_tokens", false),
        write,
        count(u, "output_tokens", true),
        null,
        u,
        null,
        write1h);
  }

  /** DeepSeek: {@code prompt_tokens} = {@code prompt_cache_hit_tokens} + {@code prompt_cache_miss_tokens}. */
  private static Usage deepSeek(JsonNode u) {
    long hit = count(u, "prompt_cache_hit_tokens", false);
    long input;
    if (u.hasNonNull("prompt_cache_miss_tokens")) {
      input = count(u, "prompt_cache_miss_tokens", true);
      if (u.hasNonNull("prompt_tokens") && count(u, "prompt_tokens", true) != hit + input) {
        throw new UsageException("usage: prompt_cache_hit_tokens + prompt_cache_miss_tokens ("
            + (hit + input) + ") differ from prompt_tokens (" + u.get("prompt_tokens") + ")");
      }
    } else {
      input = count(u, "prompt_tokens", true) - hit;
      if (input < 0) {
        throw new UsageException("usage: prompt_cache_hit_tokens exceed prompt_tokens");
      }
    }
    return new Usage(input, hit, 0, count(u, "completion_tokens", true), reasoning(u), u, null);
  }

  /**
   * Gemini's {@code usageMetadata} (camelCase on the REST API, snake_case in the SDKs): the prompt
   * count includes the cached content; thoughts are counted beside the candidates and billed as
   * output.
   */
  private static Usage gemini(JsonNode u) {
    long read = either(u, "cachedContentTokenCount", "cached_content_token_count", false);
    long prompt = either(u, "promptTokenCount", "prompt_token_count", true);
    requireWithin(read, prompt, "cached_content_token_count", "prompt_token_count");
    boolean hasCandidates = u.hasNonNull("candidatesTokenCount")
        || u.hasNonNull("candidates_token_count");
    long candidates = hasCandidates
        ? either(u, "candidatesTokenCount", "candidates_token_count", true)
        : count(u, "output_token_count", true);
    boolean hasThoughts = u.hasNonNull("thoughtsTokenCount") || u.hasNonNull("thoughts_token_count");
    Long thoughts = hasThoughts
        ? either(u, "thoughtsTokenCount", "thoughts_token_count", true) : null;
    long output = candidates + (thoughts == null ? 0 : thoughts);
    return new Usage(prompt - read, read, 0, output, thoughts, u, null);
  }

  /**
   * Gemini behind its OpenAI-compatible endpoint: OpenAI's fields, but the reasoning tokens may be
   * reported beside {@code completion_tokens} rather than inside it; the total tells which, and
   * apart they are added to the output.
   */
  private static Usage geminiOpenAi(JsonNode u) {
    Usage base = openAi(u, null);
    Long reasoning = base.reasoningTokens();
    long promptAndCompletion = count(u, "prompt_tokens", true) + count(u, "completion_tokens", true);
    boolean apart = reasoning != null && reasoning > 0 && u.hasNonNull("total_tokens")
        && count(u, "total_tokens", true) == promptAndCompletion + reasoning;
    if (!apart) {
      return base;
    }
    return new Usage(base.inputTokens(), base.cacheReadTokens(), base.cacheWriteTokens(),
        base.outputTokens() + reasoning, reasoning, u, null);
  }

  /**
   * LiteLLM's proxy: OpenAI's fields with Anthropic's cache fields at the top of {@code usage};
   * {@code prompt_tokens} counts every prompt token, cache hits and writes included.
   */
  private static Usage liteLlm(JsonNode u) {
    long prompt = count(u, "prompt_tokens", true);
    JsonNode details = details(u, "prompt_tokens_details");
    long read = details != null && details.hasNonNull("cached_tokens")
        ? count(details, "cached_tokens", false)
        : count(u, "cache_read_input_tokens", false);
    long write = count(u, "cache_creation_input_tokens", false);
    requireWithin(read + write, prompt, "cached_tokens + cache_creation_input_tokens",
        "prompt_tokens");
    return new Usage(prompt - read - write, read, write, count(u, "completion_tokens", true),
        reasoning(u), u, null);
  }

  /** {@code completion_tokens_details.reasoning_tokens} (or the Responses API's name); null when absent. */
  private static Long reasoning(JsonNode u) {
    for (String name : new String[] {"completion_tokens_details", "output_tokens_details"}) {
      JsonNode d = details(u, name);
      if (d != null && d.hasNonNull("reasoning_tokens")) {
        return count(d, "reasoning_tokens", true);
      }
    }
    return null;
  }

  /** A provider's billed USD in the usage object, null when absent; a bad value is refused. */
  private static Double billedCost(JsonNode u, String field) {
    JsonNode n = u.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isNumber() || n.doubleValue() < 0 || !Double.isFinite(n.doubleValue())) {
      throw new UsageException("usage." + field + " must be a non-negative number, got " + n);
    }
    return n.doubleValue();
  }

  private static JsonNode details(JsonNode u, String field) {
    JsonNode d = u.get(field);
    if (d == null || d.isNull()) {
      return null;
    }
    if (!d.isObject()) {
      throw new UsageException("usage." + field + " must be an object");
    }
    return d;
  }

  private static long either(JsonNode u, String camel, String snake, boolean required) {
    return u.hasNonNull(camel) ? count(u, camel, true) : count(u, snake, required);
  }

  private static void requireWithin(long part, long whole, String partName, String wholeName) {
    if (part > whole) {
      throw new UsageException(
          "usage: " + partName + " (" + part + ") exceed " + wholeName + " (" + whole + ")");
    }
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
