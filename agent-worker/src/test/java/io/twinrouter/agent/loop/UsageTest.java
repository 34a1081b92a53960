package io.twinrouter.agent.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.twinrouter.config.Rates;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageTest {

  @Test
  void theSpecsOpusExampleCosts0_02875() {
    Usage u = Usage.fromOpenAiCompat(Map.of("prompt_tokens", 21_000, "completion_tokens", 500,
        "prompt_tokens_details", Map.of("cached_tokens", 20_000, "cache_write_tokens", 1_000)));
    assertEquals(new Usage(0, 20_000, 1_000, 500), u);
    assertEquals(0.02875, u.costUsd(new Rates(5.0, 0.5, 6.25, 25.0)), 1e-12);
  }

  @Test
  void aliasesAreUsedWhenPromptAndCompletionAreZero() {
    Usage u = Usage.fromOpenAiCompat(Map.of("prompt_tokens", 0, "completion_tokens", 0,
        "input_tokens", 7, "output_tokens", 3));
    assertEquals(new Usage(7, 0, 0, 3), u);
  }

  @Test
  void missingOrMalformedUsageIsAProviderError() {
    assertThrows(ProviderMissingUsageError.class, () -> Usage.fromOpenAiCompat(null));
    assertThrows(ProviderMissingUsageError.class, () -> Usage.fromOpenAiCompat(Map.of("total", 3)));
    assertThrows(ProviderMissingUsageError.class,
        () -> Usage.fromOpenAiCompat(Map.of("prompt_tokens", 1.5, "completion_tokens", 1)));
    assertThrows(ProviderMissingUsageError.class, () -> Usage.fromOpenAiCompat(Map.of(
        "prompt_tokens", 10, "completion_tokens", 1, "prompt_tokens_details", Map.of("cached_tokens", 11))));
  }
}
