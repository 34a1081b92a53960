package io.twinrouter.agent.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.agent.sim.SimConversation;
import io.twinrouter.agent.sim.SimPoolOptions;
import io.twinrouter.agent.sim.SimPoolServer;
import io.twinrouter.agent.sim.SimTask;
import io.twinrouter.agent.sim.SimTaskLoader;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.common.Json;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.Rates;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.config.UsageFormat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled suite's 13 tasks, every locked-pool model on each, under every persona of the
 * simulated pool: each call's bill is its own recorded usage, read in the persona's words by this
 * test's own arithmetic and priced at the pool's rates; the personas that report cache writes bill
 * the suite as the default shape does, and DeepSeek's and Gemini's, whose providers bill no
 * writes, bill each written token as fresh input, no more. Then a pool whose models each name
 * their own provider (one run, four personas), and each persona's error shape.
 */
class PersonaSuiteTest {
  private static final TwinrouterSettings SETTINGS = TwinrouterSettings.load();
  private static final ModelClientSettings FAST = ModelClientSettings.from(SETTINGS.raw())
      .withRetries(0, Duration.ofMillis(10), Duration.ofMillis(50))
      .withRequestTimeout(Duration.ofSeconds(20));
  private static final int STEPS = 5;

  @TempDir Path dir;

  /** One priced call: the model, its raw usage and the client's bill. */
  record Call(PoolModel model, JsonNode raw, double cost) {}

  private List<SimTask> suite() throws Exception {
    TaskSuite.bundled(dir);
    return SimTaskLoader.load(dir.resolve(TaskSuite.BUNDLED_TASK_FILE));
  }

  private static List<Call> play(ModelPool configured, List<SimTask> tasks, UsageFormat persona)
      throws Exception {
    List<Call> out = new ArrayList<>();
    try (SimPoolServer server = SimPoolServer.start(configured, tasks,
            SimPoolOptions.from(SETTINGS.raw()).withSeed(13).withPersona(persona));
        ModelClient c = new ModelClient(FAST, new EndpointLimiter(8), Map.<String, String>of()::get)) {
      for (PoolModel m : configured.withBaseUrl(server.baseUrl()).models()) {
        for (SimTask task : tasks) {
          SimConversation conv = new SimConversation(task.problemStatement());
          for (int step = 0; step < STEPS && !conv.submitted(); step++) {
            ModelTurn t = assertInstanceOf(ModelTurn.class, c.complete(m, conv.messages(),
                List.of(SimConversation.bashTool()), RequestOptions.miniDefaults()));
            out.add(new Call(m, t.usage().raw(), t.costUsd()));
            conv.accept(t.message());
          }
        }
      }
    }
    return out;
  }

  /** The four buckets of a raw usage object as each provider's documentation defines them. */
  static long[] buckets(UsageFormat persona, JsonNode u) {
    return switch (persona) {
      case ANTHROPIC -> new long[] {u.path("input_tokens").asLong(),
          u.path("cache_read_input_tokens").asLong(),
          u.path("cache_creation_input_tokens").asLong(), u.path("output_tokens").asLong()};
      case DEEPSEEK -> new long[] {u.path("prompt_cache_miss_tokens").asLong(),
          u.path("prompt_cache_hit_tokens").asLong(), 0, u.path("completion_tokens").asLong()};
      case GEMINI -> new long[] {u.path("promptTokenCount").asLong()
          - u.path("cachedContentTokenCount").asLong(),
          u.path("cachedContentTokenCount").asLong(), 0, u.path("candidatesTokenCount").asLong()};
      case LITELLM -> {
        long read = u.path("prompt_tokens_details").path("cached_tokens").asLong();
        long write = u.path("cache_creation_input_tokens").asLong();
        yield new long[] {u.path("prompt_tokens").asLong() - read - write, read, write,
            u.path("completion_tokens").asLong()};
      }
      case OPENAI, OPENROUTER, AUTO -> {
        long read = u.path("prompt_tokens_details").path("cached_tokens").asLong();
        long write = u.path("prompt_tokens_details").path("cache_write_tokens").asLong();
        yield new long[] {u.path("prompt_tokens").asLong() - read - write, read, write,
            u.path("completion_tokens").asLong()};
      }
    };
  }

  private static double byHand(UsageFormat persona, Call call) {
    long[] b = buckets(persona, call.raw());
    Rates r = call.model().rates();
    return r.costUsd(b[0], b[1], b[2], b[3]);
  }

  @Test
  void theBundledSuiteUnderEachPersonaIsBilledFromThatPersonasOwnUsage() throws Exception {
    List<SimTask> tasks = suite();
    assertEquals(13, tasks.size());
    List<Call> base = play(SETTINGS.pool(), tasks, UsageFormat.OPENAI);
    double baseTotal = 0;
    double writesAsInput = 0;
    for (Call c : base) {
      assertEquals(byHand(UsageFormat.OPENAI, c), c.cost(), 1e-12);
      baseTotal += c.cost();
      long write = buckets(UsageFormat.OPENAI, c.raw())[2];
      Rates r = c.model().rates();
      writesAsInput += write * (r.input() - r.cacheWrite()) / 1e6;
    }
    assertTrue(baseTotal > 0);
    assertTrue(writesAsInput != 0, "the suite writes a cache");
    for (UsageFormat persona : List.of(UsageFormat.OPENROUTER, UsageFormat.ANTHROPIC,
        UsageFormat.LITELLM, UsageFormat.DEEPSEEK, UsageFormat.GEMINI)) {
      List<Call> calls = play(SETTINGS.pool(), tasks, persona);
      assertEquals(base.size(), calls.size(), persona.label());
      double total = 0;
      for (Call c : calls) {
        assertEquals(byHand(persona, c), c.cost(), 1e-12, persona.label());
        total += c.cost();
      }
      double expected = persona == UsageFormat.DEEPSEEK || persona == UsageFormat.GEMINI
          ? baseTotal + writesAsInput : baseTotal;
      assertEquals(expected, total, 1e-9, persona.label() + " suite bill");
    }
  }

  /**
   * The criterion, "the same bill under every persona to 1e-9", on a pool whose prices
   * every persona can express: DeepSeek and Gemini report no cache writes (their providers bill
   * none; such tokens come back as fresh input), so on a pool that prices a write like fresh input
   * all six shapes must agree. The locked pool's write premium is the test above's business.
   */
  @Test
  void aPoolPricingCacheWritesAsInputIsBilledAlikeUnderAllSixPersonas() throws Exception {
    List<SimTask> tasks = suite();
    List<PoolModel> flat = new ArrayList<>();
    for (PoolModel m : SETTINGS.pool().models()) {
      Rates r = m.rates();
      flat.add(new PoolModel(m.modelId(), m.tier(), new Rates(r.input(), r.cacheRead(), r.input(),
          r.output()), m.baseUrl(), m.apiModel(), m.apiKeyEnv(), m.highBaseline(),
          m.cacheControlStyle(), m.usageFormat(), m.request()));
    }
    ModelPool pool = new ModelPool(flat);
    double base = play(pool, tasks, UsageFormat.OPENAI).stream().mapToDouble(Call::cost).sum();
    assertTrue(base > 0);
    for (UsageFormat persona : List.of(UsageFormat.OPENROUTER, UsageFormat.ANTHROPIC,
        UsageFormat.LITELLM, UsageFormat.DEEPSEEK, UsageFormat.GEMINI)) {
      double total = play(pool, tasks, persona).stream().mapToDouble(Call::cost).sum();
      assertEquals(base, total, 1e-9, persona.label() + " suite bill");
    }
  }

  @Test
  void oneServerPlaysEachModelAsTheProviderItsPoolEntryNames() throws Exception {
    List<UsageFormat> providers = List.of(UsageFormat.ANTHROPIC, UsageFormat.GEMINI,
        UsageFormat.LITELLM, UsageFormat.DEEPSEEK);
    List<PoolModel> models = new ArrayList<>();
    for (int i = 0; i < SETTINGS.pool().models().size(); i++) {
      PoolModel m = SETTINGS.pool().models().get(i);
      models.add(new PoolModel(m.modelId(), m.tier(), m.rates(), m.baseUrl(), m.apiModel(),
          m.apiKeyEnv(), m.highBaseline(), m.cacheControlStyle(), providers.get(i), m.request()));
    }
    List<SimTask> tasks = SimConversation.loadTiny();
    for (Call c : play(new ModelPool(models), tasks, UsageFormat.OPENAI)) {
      UsageFormat own = c.model().usageFormat();
      String field = Map.of(UsageFormat.ANTHROPIC, "input_tokens", UsageFormat.GEMINI,
          "promptTokenCount", UsageFormat.LITELLM, "cache_creation_input_tokens",
          UsageFormat.DEEPSEEK, "prompt_cache_hit_tokens").get(own);
      assertTrue(c.raw().has(field), own.label() + ": " + c.raw());
      assertEquals(byHand(own, c), c.cost(), 1e-12, own.label());
    }
  }

  @Test
  void eachPersonaRefusesInItsProvidersErrorShapeAndTheClientReadsEveryOne() throws Exception {
    List<SimTask> tasks = SimConversation.loadTiny();
    HttpClient http = HttpClient.newHttpClient();
    Map<UsageFormat, String> shape = Map.of(
        UsageFormat.OPENAI, "/error/type", UsageFormat.DEEPSEEK, "/error/type",
        UsageFormat.OPENROUTER, "/error/metadata", UsageFormat.ANTHROPIC, "/type",
        UsageFormat.GEMINI, "/error/status", UsageFormat.LITELLM, "/error/code");
    for (UsageFormat persona : shape.keySet()) {
      try (SimPoolServer server = SimPoolServer.start(SETTINGS.pool(), tasks,
              SimPoolOptions.from(SETTINGS.raw()).withPersona(persona));
          ModelClient c = new ModelClient(FAST, new EndpointLimiter(8),
              Map.<String, String>of()::get)) {
        PoolModel m = SETTINGS.pool().withBaseUrl(server.baseUrl()).models().get(0);
        SimConversation conv = new SimConversation(tasks.get(0).problemStatement());
        String request = Json.MAPPER.createObjectNode().put("model", m.modelId())
            .set("messages", Json.MAPPER.valueToTree(conv.messages())).toString();

        // a rate limit: when to retry is in a header, or in Gemini's body only
        server.faults().failNext(1, 429, Duration.ofSeconds(2));
        HttpResponse<String> limited = http.send(HttpRequest.newBuilder(
                URI.create(server.baseUrl() + "/chat/completions"))
            .POST(HttpRequest.BodyPublishers.ofString(request)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(429, limited.statusCode());
        JsonNode body = Json.MAPPER.readTree(limited.body());
        assertFalse(body.at(shape.get(persona)).isMissingNode(), persona + ": " + body);
        assertTrue(body.at("/error/message").isTextual(), persona + ": " + body);
        if (persona == UsageFormat.OPENROUTER) {
          assertEquals(429, body.at("/error/code").asInt(), body.toString());
        } else if (persona == UsageFormat.LITELLM) {
          assertEquals("429", body.at("/error/code").textValue(), body.toString());
        } else if (persona == UsageFormat.ANTHROPIC) {
          assertEquals("rate_limit_error", body.at("/error/type").asText(), body.toString());
        } else if (persona == UsageFormat.GEMINI) {
          assertEquals("RESOURCE_EXHAUSTED", body.at("/error/status").asText(), body.toString());
        }
        assertEquals(2000, ResponseHeaders.retryAfterMillis(limited), persona.label());
        assertEquals(persona == UsageFormat.GEMINI,
            limited.headers().firstValue("Retry-After").isEmpty(), persona.label());

        // a revoked key: the run stops with the provider's own message, whatever its shape
        server.faults().failAfter(0, 401);
        ModelSetupException stop = assertThrows(ModelSetupException.class, () -> c.complete(m,
            conv.messages(), List.of(SimConversation.bashTool()), RequestOptions.miniDefaults()));
        assertTrue(stop.getMessage().contains("Incorrect API key provided"),
            persona + ": " + stop.getMessage());
      }
    }
  }
}
