package io.twinrouter.agent.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinrouter.agent.model.EndpointLimiter;
import io.twinrouter.agent.model.ModelClient;
import io.twinrouter.agent.model.ModelClientSettings;
import io.twinrouter.agent.model.ModelTurn;
import io.twinrouter.agent.model.RequestOptions;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.Tier;
import io.twinrouter.config.TwinrouterSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulated pool over real HTTP: protocol, errors, determinism, the scripted trajectory. */
class SimPoolServerTest {
  private static final TwinrouterSettings SETTINGS = TwinrouterSettings.load();
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<SimTask> tasks = SimConversation.loadTiny();
  private final HttpClient http = HttpClient.newHttpClient();

  private SimPoolServer start(long seed) throws Exception {
    return SimPoolServer.start(SETTINGS.pool(), tasks, SimPoolOptions.from(SETTINGS.raw()).withSeed(seed));
  }

  private static ModelClient client() {
    ModelClientSettings s = ModelClientSettings.from(SETTINGS.raw());
    return new ModelClient(s, new EndpointLimiter(4), Map.<String, String>of()::get);
  }

  /** Drives a whole conversation through the client, choosing the model per step. */
  private static SimConversation drive(ModelClient c, ModelPool pool, SimTask task, List<Tier> tiers) {
    SimConversation conv = new SimConversation(task.problemStatement());
    for (int step = 0; step < 40 && !conv.submitted(); step++) {
      PoolModel m = pool.forTier(tiers.get(step % tiers.size())).orElseThrow();
      ModelTurn t = assertInstanceOf(ModelTurn.class,
          c.complete(m, conv.messages(), List.of(SimConversation.bashTool()), RequestOptions.miniDefaults()));
      conv.accept(t.message());
    }
    return conv;
  }

  @Test
  void aHighTierModelWalksTheGoldTrajectoryOverHttp() throws Exception {
    SimTask task = tasks.get(0);
    try (SimPoolServer server = start(3)) {
      ModelPool pool = SETTINGS.pool().withBaseUrl(server.baseUrl());
      SimConversation conv = drive(client(), pool, task, List.of(Tier.HIGH));
      TaskScript script = new TaskScript(task);
      List<String> expected = script.goldSequence();
      assertTrue(conv.submitted());
      assertEquals(expected, conv.commands());
      assertTrue(conv.commands().get(5).contains(task.patch()), "the edit writes the gold patch");
    }
  }

  @Test
  void sameSeedSameConversationAcrossServersAndRouting() throws Exception {
    SimTask task = tasks.get(1);
    List<Tier> routing = List.of(Tier.LOW, Tier.MID, Tier.LOW, Tier.MID_HIGH);
    List<String> first;
    try (SimPoolServer a = start(42)) {
      first = contents(drive(client(), SETTINGS.pool().withBaseUrl(a.baseUrl()), task, routing));
    }
    try (SimPoolServer b = start(42)) {
      assertEquals(first, contents(drive(client(), SETTINGS.pool().withBaseUrl(b.baseUrl()), task, routing)));
    }
  }

  @Test
  void modelsAndProtocolErrorsAreJson() throws Exception {
    try (SimPoolServer server = start(0)) {
      HttpResponse<String> models = http.send(
          HttpRequest.newBuilder(URI.create(server.baseUrl() + "/models")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, models.statusCode());
      JsonNode data = JSON.readTree(models.body()).get("data");
      assertEquals(SETTINGS.pool().modelIds().size(), data.size());
      assertEquals("anthropic/claude-opus-4.6", data.get(0).get("id").asText());

      assertError(post(server, "{\"model\":\"nope/x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
          404, "model_not_found");
      assertError(post(server, "{not json"), 400, "invalid_json");
      assertError(post(server, "{\"model\":\"deepseek/deepseek-v3.2\",\"stream\":true,\"messages\":[]}"),
          400, "stream_unsupported");
      assertError(post(server, "{\"model\":\"deepseek/deepseek-v3.2\"}"), 400, "missing_messages");
      assertError(post(server, "{\"model\":\"deepseek/deepseek-v3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"an unknown issue\"}]}"),
          400, "unknown_task");
      assertError(http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions")).build(),
          HttpResponse.BodyHandlers.ofString()), 405, "method_not_allowed");
      assertError(http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/embeddings")).build(),
          HttpResponse.BodyHandlers.ofString()), 404, "not_found");
    }
    SimPoolOptions small = new SimPoolOptions(0, 0, java.time.Duration.ofSeconds(300), java.time.Duration.ZERO,
        0, 64, java.util.Optional.empty());
    try (SimPoolServer server = SimPoolServer.start(SETTINGS.pool(), tasks, small)) {
      assertError(post(server, "{\"model\":\"deepseek/deepseek-v3.2\",\"messages\":[" + "{}, ".repeat(30) + "{}]}"),
          413, "request_too_large");
    }
  }

  private SimPoolServer startWithTtl(java.time.Duration ttl) throws Exception {
    return SimPoolServer.start(SETTINGS.pool(), tasks,
        SimPoolOptions.from(SETTINGS.raw()).withCacheTtl(ttl));
  }

  private static ModelTurn call(ModelClient c, PoolModel m, SimConversation conv) {
    return assertInstanceOf(ModelTurn.class,
        c.complete(m, conv.messages(), List.of(), RequestOptions.miniDefaults()));
  }

  @Test
  void eachModelReadsThePromptOfItsOwnLatestAnswer() throws Exception {
    try (SimPoolServer server = startWithTtl(java.time.Duration.ofSeconds(300))) {
      ModelPool pool = SETTINGS.pool().withBaseUrl(server.baseUrl());
      PoolModel low = pool.forTier(Tier.LOW).orElseThrow();
      PoolModel mid = pool.forTier(Tier.MID).orElseThrow();
      ModelClient c = client();
      SimConversation conv = new SimConversation(tasks.get(0).problemStatement());
      ModelTurn t0 = call(c, low, conv);
      assertEquals(0, t0.usage().cacheReadTokens(), "cold");
      conv.accept(t0.message());
      ModelTurn t1 = call(c, low, conv);
      assertEquals(t0.usage().promptTokens(), t1.usage().cacheReadTokens(), "its own prefix");
      conv.accept(t1.message());
      ModelTurn t2 = call(c, mid, conv);
      assertEquals(0, t2.usage().cacheReadTokens(), "another model has its own cache");
      conv.accept(t2.message());
      ModelTurn t3 = call(c, low, conv);
      assertEquals(t1.usage().promptTokens(), t3.usage().cacheReadTokens(),
          "the prompt of its latest answer, whatever came after");
      ModelTurn t3mid = call(c, mid, conv);
      assertEquals(t2.usage().promptTokens(), t3mid.usage().cacheReadTokens());
    }
  }

  @Test
  void theCacheSurvivesARestartedPoolButNotAnotherSeed() throws Exception {
    SimConversation conv = new SimConversation(tasks.get(1).problemStatement());
    ModelClient c = client();
    ModelTurn before;
    try (SimPoolServer first = start(5)) {
      PoolModel high = SETTINGS.pool().withBaseUrl(first.baseUrl()).forTier(Tier.HIGH).orElseThrow();
      for (int i = 0; i < 3; i++) {
        conv.accept(call(c, high, conv).message());
      }
      before = call(c, high, conv);
      assertTrue(before.usage().cacheReadTokens() > 0);
    }
    // A new pool process, as after a crash of the run that started it: the provider's cache
    // lives on the provider, so the resumed conversation reads the same prefix.
    try (SimPoolServer second = start(5)) {
      PoolModel high = SETTINGS.pool().withBaseUrl(second.baseUrl()).forTier(Tier.HIGH).orElseThrow();
      ModelTurn after = call(c, high, conv);
      assertEquals(before.usage().cacheReadTokens(), after.usage().cacheReadTokens());
      assertEquals(before.usage().promptTokens(), after.usage().promptTokens());
    }
    try (SimPoolServer other = start(6)) {
      PoolModel high = SETTINGS.pool().withBaseUrl(other.baseUrl()).forTier(Tier.HIGH).orElseThrow();
      assertEquals(0, call(c, high, conv).usage().cacheReadTokens(),
          "answers another pool gave are not in this pool's cache");
    }
  }

  @Test
  void theCacheExpiresAfterItsTtlOnTheConversationsClock() throws Exception {
    // No latency: each turn lasts PromptCache.ACTION_TIME (1 s) of simulated time. The low model
    // answers turn 0, the mid model turns 1 and 2; at turn 3 low's answer is 3 s old.
    for (int ttlSeconds : new int[] {2, 3}) {
      try (SimPoolServer server = startWithTtl(java.time.Duration.ofSeconds(ttlSeconds))) {
        ModelPool pool = SETTINGS.pool().withBaseUrl(server.baseUrl());
        PoolModel low = pool.forTier(Tier.LOW).orElseThrow();
        PoolModel mid = pool.forTier(Tier.MID).orElseThrow();
        ModelClient c = client();
        SimConversation conv = new SimConversation(tasks.get(0).problemStatement());
        ModelTurn t0 = call(c, low, conv);
        conv.accept(t0.message());
        conv.accept(call(c, mid, conv).message());
        conv.accept(call(c, mid, conv).message());
        ModelTurn t3 = call(c, low, conv);
        assertEquals(ttlSeconds == 2 ? 0 : t0.usage().promptTokens(), t3.usage().cacheReadTokens(),
            "TTL " + ttlSeconds + " s, answer 3 s old");
      }
    }
  }

  private static List<String> contents(SimConversation c) {
    return c.messages().stream().map(JsonNode::toString).toList();
  }

  private HttpResponse<String> post(SimPoolServer server, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    JsonNode body = JSON.readTree(r.body());
    assertEquals(code, body.get("error").get("code").asText(), r.body());
    assertTrue(body.get("detail").isTextual());
  }
}
