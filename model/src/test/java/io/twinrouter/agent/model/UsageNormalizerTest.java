package io.twinrouter.agent.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.Rates;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.config.UsageFormat;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Live-track spec 3.2 and 3.3 on the usage shapes the spec lists. */
class UsageNormalizerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Usage norm(UsageFormat p, String usage) throws Exception {
    return UsageNormalizer.normalize(p, JSON.readTree(usage));
  }

  private static UsageFormat recognised(String usage) throws Exception {
    return UsageNormalizer.recognise(UsageFormat.AUTO, JSON.readTree(usage));
  }

  private static void assertBuckets(Usage u, long in, long read, long write, long out) {
    assertEquals(in, u.inputTokens(), "input");
    assertEquals(read, u.cacheReadTokens(), "cache read");
    assertEquals(write, u.cacheWriteTokens(), "cache write");
    assertEquals(out, u.outputTokens(), "output");
  }

  @Test
  void openAiCompatReadsCachedAndWrittenTokens() throws Exception {
    Usage u = norm(UsageFormat.OPENROUTER, "{\"prompt_tokens\":1000,\"completion_tokens\":50,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":600,\"cache_write_tokens\":300},\"cost\":0.01}");
    assertBuckets(u, 100, 600, 300, 50);
    assertEquals(1000, u.promptTokens());
    assertEquals(0.01, u.raw().get("cost").asDouble());
    assertBuckets(norm(UsageFormat.OPENAI, "{\"prompt_tokens\":10,\"completion_tokens\":2}"), 10, 0, 0, 2);
    assertBuckets(norm(UsageFormat.OPENAI, "{\"prompt_tokens\":10,\"completion_tokens\":2,"
        + "\"prompt_tokens_details\":null}"), 10, 0, 0, 2);
  }

  @Test
  void openAiFallsBackToInputOutputAliasesOnlyWhenBothMainCountsAreZero() throws Exception {
    assertBuckets(norm(UsageFormat.OPENROUTER, "{\"input_tokens\":70,\"output_tokens\":7}"), 70, 0, 0, 7);
    assertBuckets(norm(UsageFormat.OPENROUTER,
        "{\"prompt_tokens\":0,\"completion_tokens\":0,\"input_tokens\":70,\"output_tokens\":7}"), 70, 0, 0, 7);
    assertBuckets(norm(UsageFormat.OPENROUTER,
        "{\"prompt_tokens\":5,\"completion_tokens\":0,\"input_tokens\":70,\"output_tokens\":7}"), 5, 0, 0, 0);
    assertThrows(UsageException.class, () -> norm(UsageFormat.OPENROUTER, "{\"prompt_tokens\":5}"));
    assertThrows(UsageException.class, () -> norm(UsageFormat.OPENROUTER, "{}"));
  }

  @Test
  void refusesBadNumbersAndInconsistentBuckets() throws Exception {
    assertBuckets(norm(UsageFormat.OPENAI, "{\"prompt_tokens\":10.0,\"completion_tokens\":2}"), 10, 0, 0, 2);
    assertThrows(UsageException.class, () -> norm(UsageFormat.OPENAI, "{\"prompt_tokens\":10.5,\"completion_tokens\":2}"));
    assertThrows(UsageException.class, () -> norm(UsageFormat.OPENAI, "{\"prompt_tokens\":-1,\"completion_tokens\":2}"));
    assertThrows(UsageException.class, () -> norm(UsageFormat.OPENAI, "{\"prompt_tokens\":\"10\",\"completion_tokens\":2}"));
    UsageException tooMany = assertThrows(UsageException.class, () -> norm(UsageFormat.OPENAI,
        "{\"prompt_tokens\":10,\"completion_tokens\":2,\"prompt_tokens_details\":{\"cached_tokens\":8,\"cache_write_tokens\":3}}"));
    assertTrue(tooMany.getMessage().contains("exceed"));
    assertThrows(UsageException.class, () -> norm(UsageFormat.OPENAI,
        "{\"prompt_tokens\":10,\"completion_tokens\":2,\"prompt_tokens_details\":[1]}"));
    UsageException missing = assertThrows(UsageException.class,
        () -> UsageNormalizer.normalize(UsageFormat.OPENROUTER, null));
    assertTrue(missing.getMessage().contains("missing usage object"));
    assertThrows(IllegalArgumentException.class, () -> UsageFormat.fromLabel("azure"));
    assertEquals(UsageFormat.OPENROUTER, UsageFormat.fromLabel("openai_compat"));
  }

  @Test
  void anthropicDeepSeekAndGeminiShapes() throws Exception {
    assertBuckets(norm(UsageFormat.ANTHROPIC, "{\"input_tokens\":12,\"cache_read_input_tokens\":900,"
        + "\"cache_creation_input_tokens\":80,\"output_tokens\":30}"), 12, 900, 80, 30);
    assertBuckets(norm(UsageFormat.DEEPSEEK, "{\"prompt_tokens\":1000,\"prompt_cache_hit_tokens\":640,"
        + "\"prompt_cache_miss_tokens\":360,\"completion_tokens\":20}"), 360, 640, 0, 20);
    assertBuckets(norm(UsageFormat.DEEPSEEK, "{\"prompt_tokens\":1000,\"prompt_cache_hit_tokens\":640,"
        + "\"completion_tokens\":20}"), 360, 640, 0, 20);
    assertBuckets(norm(UsageFormat.GEMINI, "{\"prompt_token_count\":500,\"cached_content_token_count\":200,"
        + "\"candidates_token_count\":9}"), 300, 200, 0, 9);
    assertBuckets(norm(UsageFormat.GEMINI, "{\"prompt_token_count\":500,\"output_token_count\":4}"), 500, 0, 0, 4);
  }

  // The bodies below are the providers' documented examples (sources in docs/providers.md), with
  // the numbers changed where a cache field was zero, so every bucket is exercised.

  @Test
  void openAiCachedTokensAreInsidePromptTokensAndReasoningInsideCompletion() throws Exception {
    String body = "{\"prompt_tokens\":2006,\"completion_tokens\":300,\"total_tokens\":2306,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":1920,\"audio_tokens\":0},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":128,\"audio_tokens\":0,"
        + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}";
    Usage u = norm(UsageFormat.AUTO, body);
    assertEquals(UsageFormat.OPENAI, recognised(body));
    assertBuckets(u, 86, 1920, 0, 300);
    assertEquals(128L, u.reasoningTokens());
    assertEquals(null, u.billedCostUsd());
  }

  @Test
  void openRouterReadsCacheWritesAndItsBilledCost() throws Exception {
    String body = "{\"completion_tokens\":2,\"completion_tokens_details\":{\"reasoning_tokens\":0},"
        + "\"cost\":0.95,\"cost_details\":{\"upstream_inference_cost\":19},\"prompt_tokens\":194,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":50,\"cache_write_tokens\":100,"
        + "\"audio_tokens\":0},\"total_tokens\":196}";
    assertEquals(UsageFormat.OPENROUTER, recognised(body));
    Usage u = norm(UsageFormat.AUTO, body);
    assertBuckets(u, 44, 50, 100, 2);
    assertEquals(0.95, u.billedCostUsd());
    assertEquals(0L, u.reasoningTokens());
    assertThrows(UsageException.class, () -> norm(UsageFormat.OPENROUTER,
        "{\"prompt_tokens\":1,\"completion_tokens\":1,\"cost\":\"free\"}"));
  }

  @Test
  void anthropicInputExcludesBothCacheFields() throws Exception {
    String body = "{\"input_tokens\":12,\"cache_creation_input_tokens\":2048,"
        + "\"cache_read_input_tokens\":1800,\"cache_creation\":{\"ephemeral_5m_input_tokens\":2048,"
        + "\"ephemeral_1h_input_tokens\":0},\"output_tokens\":503,\"service_tier\":\"standard\"}";
    assertEquals(UsageFormat.ANTHROPIC, recognised(body));
    Usage u = norm(UsageFormat.AUTO, body);
    assertBuckets(u, 12, 1800, 2048, 503);
    assertEquals(3860, u.promptTokens());
  }

  @Test
  void deepSeekHitAndMissAddUpToThePrompt() throws Exception {
    String body = "{\"prompt_tokens\":1000,\"completion_tokens\":420,\"total_tokens\":1420,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":640},\"prompt_cache_hit_tokens\":640,"
        + "\"prompt_cache_miss_tokens\":360,\"completion_tokens_details\":{\"reasoning_tokens\":300}}";
    assertEquals(UsageFormat.DEEPSEEK, recognised(body));
    Usage u = norm(UsageFormat.AUTO, body);
    // prompt_tokens_details.cached_tokens repeats the hits: read once, not twice
    assertBuckets(u, 360, 640, 0, 420);
    assertEquals(300L, u.reasoningTokens());
    // read as OpenAI the hits would still be found, but only through the repeated field
    assertBuckets(norm(UsageFormat.OPENAI, body), 360, 640, 0, 420);
    UsageException inconsistent = assertThrows(UsageException.class, () -> norm(
        UsageFormat.DEEPSEEK, "{\"prompt_tokens\":1000,\"prompt_cache_hit_tokens\":640,"
            + "\"prompt_cache_miss_tokens\":300,\"completion_tokens\":1}"));
    assertTrue(inconsistent.getMessage().contains("differ from prompt_tokens"));
  }

  @Test
  void geminiThoughtsAreBilledAsOutput() throws Exception {
    String rest = "{\"promptTokenCount\":5200,\"candidatesTokenCount\":310,"
        + "\"thoughtsTokenCount\":900,\"cachedContentTokenCount\":4096,\"totalTokenCount\":6410,"
        + "\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":5200}]}";
    assertEquals(UsageFormat.GEMINI, recognised(rest));
    Usage u = norm(UsageFormat.AUTO, rest);
    assertBuckets(u, 1104, 4096, 0, 1210);
    assertEquals(900L, u.reasoningTokens());
    // Gemini's OpenAI-compatible endpoint: reasoning beside completion_tokens (the total says so)
    Usage compat = norm(UsageFormat.GEMINI, "{\"prompt_tokens\":5200,\"completion_tokens\":310,"
        + "\"total_tokens\":6410,\"completion_tokens_details\":{\"reasoning_tokens\":900},"
        + "\"prompt_tokens_details\":{\"cached_tokens\":4096}}");
    assertBuckets(compat, 1104, 4096, 0, 1210);
    // ... and inside it when the total does not count them twice
    assertBuckets(norm(UsageFormat.GEMINI, "{\"prompt_tokens\":10,\"completion_tokens\":300,"
        + "\"total_tokens\":310,\"completion_tokens_details\":{\"reasoning_tokens\":200}}"),
        10, 0, 0, 300);
  }

  @Test
  void liteLlmCountsAnthropicCacheWritesOnceAndReadsTheCostHeaderElsewhere() throws Exception {
    String body = "{\"prompt_tokens\":2006,\"completion_tokens\":300,\"total_tokens\":2306,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":1920},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":0},"
        + "\"cache_creation_input_tokens\":80,\"cache_read_input_tokens\":1920}";
    assertEquals(UsageFormat.LITELLM, recognised(body));
    Usage u = norm(UsageFormat.AUTO, body);
    assertBuckets(u, 6, 1920, 80, 300);
    // read as plain OpenAI, the 80 written tokens would be billed at the input price
    Rates opus = new Rates(5.0, 0.5, 6.25, 25.0);
    assertTrue(u.costUsd(opus) > norm(UsageFormat.OPENAI, body).costUsd(opus));
  }

  @Test
  void everyShapeOfOneCallGivesTheSameBill() throws Exception {
    // one call: 100 fresh, 600 read, 300 written, 50 out, in each provider's words
    Rates r = new Rates(3.0, 0.3, 3.75, 15.0);
    double expected = r.costUsd(100, 600, 300, 50);
    String[] bodies = {
      "{\"prompt_tokens\":1000,\"completion_tokens\":50,\"prompt_tokens_details\":"
          + "{\"cached_tokens\":600,\"cache_write_tokens\":300},\"cost\":0.1}",
      "{\"input_tokens\":100,\"cache_read_input_tokens\":600,\"cache_creation_input_tokens\":300,"
          + "\"output_tokens\":50}",
      "{\"prompt_tokens\":1000,\"completion_tokens\":50,\"prompt_tokens_details\":"
          + "{\"cached_tokens\":600},\"cache_creation_input_tokens\":300}",
    };
    for (String b : bodies) {
      assertEquals(expected, norm(UsageFormat.AUTO, b).costUsd(r), 1e-15, b);
    }
  }

  @Test
  void costFollowsTheSpecExample() {
    Rates opus = new Rates(5.0, 0.5, 6.25, 25.0);
    Usage u = new Usage(0, 20_000, 1_000, 500, null);
    assertEquals(0.02875, u.costUsd(opus), 1e-12);
    assertEquals(21_000, u.promptTokens());
  }

  @Test
  void configuredPoolPricesAreTheLockedOnes() throws Exception {
    Path pricing = Path.of(System.getProperty("twinrouter.testdata"))
        .resolve("data/twinrouterbench/dynamic/model_pricing.json");
    JsonNode locked = JSON.readTree(pricing.toFile()).get("pricing");
    var pool = TwinrouterSettings.load().pool();
    assertEquals(locked.size(), pool.models().size());
    for (PoolModel m : pool.models()) {
      JsonNode p = locked.get(m.modelId());
      assertEquals(p.get("input_per_m").asDouble(), m.rates().input(), 1e-12, m.modelId());
      assertEquals(p.get("cache_read_per_m").asDouble(), m.rates().cacheRead(), 1e-12, m.modelId());
      assertEquals(p.get("cache_write_per_m").asDouble(), m.rates().cacheWrite(), 1e-12, m.modelId());
      assertEquals(p.get("output_per_m").asDouble(), m.rates().output(), 1e-12, m.modelId());
    }
  }
}
