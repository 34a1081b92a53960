package io.twinrouter.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** {@code usage-format} on pool models: per model, {@code auto} by default, bad labels named. */
class UsageFormatPoolTest {
  private static final String RATES = "rates { input = 1, cache-read = 0.1, cache-write = 1.25, "
      + "output = 4 }";

  @Test
  void eachModelHasItsOwnFormatAndAutoIsTheDefault() {
    ModelPool pool = ModelPool.from(ConfigFactory.parseString("models = ["
        + "{ model-id = a, tier = low, usage-format = deepseek, " + RATES + " },"
        + "{ model-id = b, tier = high, usage-format = litellm, " + RATES + " },"
        + "{ model-id = c, tier = mid, " + RATES + " } ]"));
    assertEquals(UsageFormat.DEEPSEEK, pool.models().get(0).usageFormat());
    assertEquals(UsageFormat.LITELLM, pool.models().get(1).usageFormat());
    assertEquals(UsageFormat.AUTO, pool.models().get(2).usageFormat());
    assertEquals(UsageFormat.LITELLM, pool.withBaseUrl("http://127.0.0.1:1").models().get(1)
        .usageFormat());
  }

  @Test
  void anUnknownFormatNamesTheEntryAndTheAcceptedLabels() {
    SettingsException e = assertThrows(SettingsException.class, () -> ModelPool.from(
        ConfigFactory.parseString("models = [{ model-id = a, tier = low, " + RATES + " },"
            + "{ model-id = b, tier = low, usage-format = azure, " + RATES + " }]")));
    assertTrue(e.getMessage().startsWith("models[1]: usage-format: unknown format 'azure'"),
        e.getMessage());
    assertTrue(e.getMessage().contains("auto, openai, openrouter, anthropic, deepseek, gemini, "
        + "litellm"), e.getMessage());
  }
}
