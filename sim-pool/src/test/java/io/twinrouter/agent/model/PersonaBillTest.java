package io.twinrouter.agent.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.agent.sim.SimConversation;
import io.twinrouter.agent.sim.SimPoolOptions;
import io.twinrouter.agent.sim.SimPoolServer;
import io.twinrouter.agent.sim.SimTask;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.config.UsageFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The simulated pool under every persona answers the same calls with the same buckets in each
 * provider's words: the client, recognising each shape ({@code usage-format = auto}), bills
 * every call as under the default shape, to 1e-12; the provider-billed cost of the OpenRouter
 * and LiteLLM personas equals the computed one.
 */
class PersonaBillTest {
  private static final TwinrouterSettings SETTINGS = TwinrouterSettings.load();
  private static final ModelClientSettings FAST = ModelClientSettings.from(SETTINGS.raw())
      .withRetries(1, Duration.ofMillis(10), Duration.ofMillis(50))
      .withRequestTimeout(Duration.ofSeconds(20));
  private final List<SimTask> tasks = SimConversation.loadTiny();

  /** Every pool model plays each task for a few steps; the bill of every call, in order. */
  private List<Double> bills(ModelPool configured, UsageFormat persona, List<String> formats,
      List<Double> billed) throws Exception {
    List<Double> out = new ArrayList<>();
    try (SimPoolServer server = SimPoolServer.start(configured, tasks,
            SimPoolOptions.from(SETTINGS.raw()).withSeed(5).withPersona(persona));
        ModelClient c = new ModelClient(FAST, new EndpointLimiter(8), Map.<String, String>of()::get)) {
      ModelPool pool = configured.withBaseUrl(server.baseUrl());
      for (PoolModel m : pool.models()) {
        for (SimTask task : tasks) {
          SimConversation conv = new SimConversation(task.problemStatement());
          for (int step = 0; step < 4 && !conv.submitted(); step++) {
            ModelTurn t = assertInstanceOf(ModelTurn.class, c.complete(m, conv.messages(),
                List.of(SimConversation.bashTool()), RequestOptions.miniDefaults()));
            if (persona == UsageFormat.DEEPSEEK) {
              // sent back in the next request, it would be refused with a 400: the client strips it
              assertTrue(t.message().has("reasoning_content"));
            }
            out.add(t.costUsd());
            formats.add(t.provider());
            billed.add(t.usage().billedCostUsd());
            conv.accept(t.message());
          }
        }
      }
    }
    return out;
  }

  private void assertSameBills(ModelPool pool, UsageFormat persona) throws Exception {
    List<Double> expected = bills(pool, UsageFormat.OPENAI, new ArrayList<>(), new ArrayList<>());
    List<String> formats = new ArrayList<>();
    List<Double> billed = new ArrayList<>();
    List<Double> actual = bills(pool, persona, formats, billed);
    assertEquals(expected.size(), actual.size(), persona.label());
    assertTrue(expected.stream().mapToDouble(d -> d).sum() > 0);
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), actual.get(i), 1e-12, persona.label() + " call " + i);
      boolean reportsCost = persona == UsageFormat.OPENROUTER || persona == UsageFormat.LITELLM;
      if (reportsCost) {
        assertEquals(actual.get(i), billed.get(i), 1e-12, persona.label() + " billed " + i);
      } else {
        assertNull(billed.get(i), persona.label());
      }
    }
    if (persona != UsageFormat.OPENAI) {
      // auto recognised the persona's shape (an OpenRouter-shaped default may read as either)
      assertTrue(formats.stream().allMatch(f -> f.equals(persona.label())),
          persona.label() + " read as " + formats);
    }
  }

  @Test
  void personasThatReportCacheWritesBillTheLockedPoolAsTheDefaultShape() throws Exception {
    for (UsageFormat p : List.of(UsageFormat.OPENROUTER, UsageFormat.ANTHROPIC, UsageFormat.LITELLM)) {
      assertSameBills(SETTINGS.pool(), p);
    }
  }

  @Test
  void theDeepSeekPersonaRefusesItsReasoningContentOnInputLikeDeepSeek() throws Exception {
    ModelPool noWrites = new ModelPool(SETTINGS.pool().models().stream()
        .filter(m -> !"anthropic".equals(m.cacheControlStyle())).toList());
    try (SimPoolServer server = SimPoolServer.start(noWrites, tasks,
            SimPoolOptions.from(SETTINGS.raw()).withPersona(UsageFormat.DEEPSEEK));
        ModelClient c = new ModelClient(FAST, new EndpointLimiter(8), Map.<String, String>of()::get)) {
      PoolModel keeping = new PoolModel("deepseek/keeps", io.twinrouter.config.Tier.LOW,
          noWrites.models().get(0).rates(), server.baseUrl(), noWrites.models().get(0).modelId(),
          "", false, "", UsageFormat.AUTO, new io.twinrouter.config.RequestShape(Map.of(),
              List.of(), Map.of(), List.of(), io.twinrouter.config.WireApi.OPENAI_CHAT));
      SimConversation conv = new SimConversation(tasks.get(0).problemStatement());
      ModelTurn t = assertInstanceOf(ModelTurn.class, c.complete(keeping, conv.messages(),
          List.of(SimConversation.bashTool()), RequestOptions.miniDefaults()));
      conv.accept(t.message());
      ModelRequestRejected r = assertInstanceOf(ModelRequestRejected.class, c.complete(keeping,
          conv.messages(), List.of(SimConversation.bashTool()), RequestOptions.miniDefaults()));
      assertEquals(400, r.httpStatus());
    }
  }

  @Test
  void deepSeekAndGeminiPersonasBillAPoolWithoutCacheWritesAsTheDefaultShape() throws Exception {
    ModelPool noWrites = new ModelPool(SETTINGS.pool().models().stream()
        .filter(m -> !"anthropic".equals(m.cacheControlStyle())).toList());
    for (UsageFormat p : List.of(UsageFormat.DEEPSEEK, UsageFormat.GEMINI)) {
      assertSameBills(noWrites, p);
    }
    // with cache writes these personas bill them as input: PersonaSuiteTest
  }
}
