package io.twinrouter.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The shape of a pool model's {@code usage} object, the pool file's {@code usage-format}. A pool
 * that mixes providers needs one per model: DeepSeek's cache hits and LiteLLM's cache writes sit
 * in fields an OpenAI reader would not see, and would be billed as fresh input. {@code auto}
 * recognises the shape from the fields present; the table with its sources is in
 * docs/providers.md.
 */
public enum UsageFormat {
  AUTO,
  OPENAI,
  OPENROUTER,
  ANTHROPIC,
  DEEPSEEK,
  GEMINI,
  LITELLM;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * A pool-file label. {@code openai_compat}, the label of the former run-wide setting, is read as
   * {@code openrouter}: it meant OpenAI's shape plus OpenRouter's {@code cache_write_tokens}.
   *
   * @throws IllegalArgumentException naming the accepted labels
   */
  public static UsageFormat fromLabel(String label) {
    String l = label.strip().toLowerCase(Locale.ROOT);
    if (l.equals("openai_compat")) {
      return OPENROUTER;
    }
    for (UsageFormat f : values()) {
      if (f.label().equals(l)) {
        return f;
      }
    }
    throw new IllegalArgumentException("usage-format: unknown format '" + label + "' (expected "
        + Arrays.stream(values()).map(UsageFormat::label).collect(Collectors.joining(", ")) + ")");
  }
}
