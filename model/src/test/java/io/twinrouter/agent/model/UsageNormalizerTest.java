package io.twinrouter.agent.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinrouter.agent.model.UsageNormalizer.Provider;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.Rates;
import io.twinrouter.config.TwinrouterSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Live-track spec 3.2 and 3.3 on the usage shapes the spec lists. */
class UsageNormalizerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Usage norm(Provider p, String usage) throws Exception {
    return UsageNormalizer.normalize(p, JSON.readTree(usage));
  }

  private static void assertBuckets(Usage u, long in, long read, long write, long out) {
    assertEquals(in, u.inputTokens(), "input");
    assertEquals(read, u.cacheReadTokens(), "cache read");
    assertEquals(write, u.cacheWriteTokens(), "cache write");
    assertEquals(out, u.outputTokens(), "output");
  }

  @Test
  void openAiCompatReadsCachedAndWrittenTokens() throws Exception {
    Usage u = norm(Provider.OPENAI_COMPAT, "{\"prompt_tokens\":1000,\"completion_tokens\":50,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":600,\"cache_write_tokens\":300},\"cost\":0.01}");
    assertBuckets(u, 100, 600, 300, 50);
    assertEquals(1000, u.promptTokens());
    assertEquals(0.01, u.raw().get("cost").asDouble());
    assertBuckets(norm(Provider.OPENAI, "{\"prompt_tokens\":10,\"completion_tokens\":2}"), 10, 0, 0, 2);
    assertBuckets(norm(Provider.OPENAI, "{\"prompt_tokens\":10,\"completion_tokens\":2,"
        + "\"prompt_tokens_details\":null}"), 10, 0, 0, 2);
  }

  @Test
  void openAiFallsBackToInputOutputAliasesOnlyWhenBothMainCountsAreZero() throws Exception {
    assertBuckets(norm(Provider.OPENAI_COMPAT, "{\"input_tokens\":70,\"output_tokens\":7}"), 70, 0, 0, 7);
    assertBuckets(norm(Provider.OPENAI_COMPAT,
        "{\"prompt_tokens\":0,\"completion_tokens\":0,\"input_tokens\":70,\"output_tokens\":7}"), 70, 0, 0, 7);
    assertBuckets(norm(Provider.OPENAI_COMPAT,
        "{\"prompt_tokens\":5,\"completion_tokens\":0,\"input_tokens\":70,\"output_tokens\":7}"), 5, 0, 0, 0);
    assertThrows(UsageException.class, () -> norm(Provider.OPENAI_COMPAT, "{\"prompt_tokens\":5}"));
    assertThrows(UsageException.class, () -> norm(Provider.OPENAI_COMPAT, "{}"));
  }

  @Test
  void refusesBadNumbersAndInconsistentBuckets() throws Exception {
    assertBuckets(norm(Provider.OPENAI, "{\"prompt_tokens\":10.0,\"completion_tokens\":2}"), 10, 0, 0, 2);
    assertThrows(UsageException.class, () -> norm(Provider.OPENAI, "{\"prompt_tokens\":10.5,\"completion_tokens\":2}"));
    assertThrows(UsageException.class, () -> norm(Provider.OPENAI, "{\"prompt_tokens\":-1,\"completion_tokens\":2}"));
    assertThrows(UsageException.class, () -> norm(Provider.OPENAI, "{\"prompt_tokens\":\"10\",\"completion_tokens\":2}"));
    UsageException tooMany = assertThrows(UsageException.class, () -> norm(Provider.OPENAI,
        "{\"prompt_tokens\":10,\"completion_tokens\":2,\"prompt_tokens_details\":{\"cached_tokens\":8,\"cache_write_tokens\":3}}"));
    assertTrue(tooMany.getMessage().contains("exceed"));
    assertThrows(UsageException.class, () -> norm(Provider.OPENAI,
        "{\"prompt_tokens\":10,\"completion_tokens\":2,\"prompt_tokens_details\":[1]}"));
    UsageException missing = assertThrows(UsageException.class,
        () -> UsageNormalizer.normalize(Provider.OPENAI_COMPAT, null));
    assertTrue(missing.getMessage().contains("missing usage object"));
    assertThrows(UsageException.class, () -> Provider.fromLabel("azure"));
    assertEquals(Provider.OPENAI_COMPAT, Provider.fromLabel("openai_compat"));
  }

  @Test
  void anthropicDeepSeekAndGeminiShapes() throws Exception {
    assertBuckets(norm(Provider.ANTHROPIC, "{\"input_tokens\":12,\"cache_read_input_tokens\":900,"
        + "\"cache_creation_input_tokens\":80,\"output_tokens\":30}"), 12, 900, 80, 30);
    assertBuckets(norm(Provider.DEEPSEEK, "{\"prompt_tokens\":1000,\"prompt_cache_hit_tokens\":640,"
        + "\"prompt_cache_miss_tokens\":360,\"completion_tokens\":20}"), 360, 640, 0, 20);
    assertBuckets(norm(Provider.DEEPSEEK, "{\"prompt_tokens\":1000,\"prompt_cache_hit_tokens\":640,"
        + "\"completion_tokens\":20}"), 360, 640, 0, 20);
    assertBuckets(norm(Provider.GEMINI, "{\"prompt_token_count\":500,\"cached_content_token_count\":200,"
        + "\"candidates_token_count\":9}"), 300, 200, 0, 9);
    assertBuckets(norm(Provider.GEMINI, "{\"prompt_token_count\":500,\"output_token_count\":4}"), 500, 0, 0, 4);
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
