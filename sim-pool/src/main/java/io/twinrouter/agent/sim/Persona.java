package io.twinrouter.agent.sim;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.config.Rates;
import io.twinrouter.config.UsageFormat;

/**
 * The simulated pool's persona: the provider whose usage shape it answers in (a {@link
 * UsageFormat} other than {@code auto}), so every usage format is tested offline. The buckets of a
 * call are the same under every persona; only their wording changes (docs/providers.md has the
 * shapes and their sources), so a seed gives the same bill under each. {@code openai} is the
 * default: OpenAI's fields plus OpenRouter's {@code cache_write_tokens} for models that write a
 * cache, as OpenAI-compatible gateways report them.
 */
public final class Persona {
  private Persona() {}

  /** A persona label: a usage format's, {@code auto} excepted (a server answers in one shape). */
  public static UsageFormat fromLabel(String label) {
    UsageFormat f = UsageFormat.fromLabel(label);
    if (f == UsageFormat.AUTO) {
      throw new IllegalArgumentException("persona: auto is a reader's setting; a simulated"
          + " provider answers in one shape (openai, openrouter, anthropic, deepseek, gemini or"
          + " litellm)");
    }
    return f;
  }

  /**
   * DeepSeek's and Gemini's shapes have no field for cache writes: their caches bill none.
   * DeepSeek's context caching stores every prefix by itself and bills a miss at the input price
   * ({@code prompt_cache_miss_tokens}); Gemini's implicit caching bills the uncached prompt as
   * input and only reads apart. A provider that bills no writes bills what another would write as
   * fresh input, so under these personas a cache-writing model's writes are reported, and billed,
   * as input: its bill differs from the other personas' by (input - cache-write price) per token.
   */
  private static boolean reportsCacheWrites(UsageFormat persona) {
    return persona != UsageFormat.DEEPSEEK && persona != UsageFormat.GEMINI;
  }

  /** The usage object of a call with these disjoint buckets, in this provider's words. */
  static ObjectNode usage(UsageFormat persona, long input, long read, long write, long output,
      Rates rates) {
    if (!reportsCacheWrites(persona)) {
      input += write;
      write = 0;
    }
    long prompt = input + read + write;
    ObjectNode u = JsonNodeFactory.instance.objectNode();
    switch (persona) {
      case ANTHROPIC -> u.put("input_tokens", input).put("cache_creation_input_tokens", write)
          .put("cache_read_input_tokens", read).put("output_tokens", output);
      case DEEPSEEK -> {
        u.put("prompt_tokens", prompt).put("completion_tokens", output)
            .put("total_tokens", prompt + output);
        u.putObject("prompt_tokens_details").put("cached_tokens", read);
        u.put("prompt_cache_hit_tokens", read).put("prompt_cache_miss_tokens", input);
      }
      case GEMINI -> u.put("promptTokenCount", prompt).put("candidatesTokenCount", output)
          .put("cachedContentTokenCount", read).put("totalTokenCount", prompt + output);
      case LITELLM -> {
        u.put("prompt_tokens", prompt).put("completion_tokens", output)
            .put("total_tokens", prompt + output);
        u.putObject("prompt_tokens_details").put("cached_tokens", read);
        u.put("cache_creation_input_tokens", write).put("cache_read_input_tokens", read);
      }
      case OPENAI, OPENROUTER, AUTO -> {
        u.put("prompt_tokens", prompt).put("completion_tokens", output)
            .put("total_tokens", prompt + output);
        ObjectNode details = u.putObject("prompt_tokens_details").put("cached_tokens", read);
        if (write > 0) {
          details.put("cache_write_tokens", write);
        }
        if (persona == UsageFormat.OPENROUTER) {
          u.put("cost", rates.costUsd(input, read, write, output));
        }
      }
    }
    return u;
  }
}
