package io.twinrouter.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The API a pool model is called through, the pool file's {@code api}. Anthropic's
 * OpenAI-compatible endpoint ignores {@code cache_control}, so a model that should read its
 * prompt from Anthropic's cache must be called on the Messages API.
 */
public enum WireApi {
  /** {@code POST {base-url}/chat/completions}, Bearer key: OpenAI, vLLM, LiteLLM, OpenRouter. */
  OPENAI_CHAT("openai-chat"),
  /** {@code POST {base-url}/messages}, {@code x-api-key} and {@code anthropic-version}. */
  ANTHROPIC_MESSAGES("anthropic-messages");

  private final String label;

  WireApi(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** @throws IllegalArgumentException naming the accepted labels */
  public static WireApi fromLabel(String label) {
    String l = label.strip().toLowerCase(Locale.ROOT);
    for (WireApi a : values()) {
      if (a.label.equals(l)) {
        return a;
      }
    }
    throw new IllegalArgumentException("api: unknown API '" + label + "' (expected "
        + Arrays.stream(values()).map(WireApi::label).collect(Collectors.joining(", ")) + ")");
  }
}
