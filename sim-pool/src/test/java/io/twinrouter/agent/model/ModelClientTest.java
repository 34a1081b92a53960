package io.twinrouter.agent.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.twinrouter.common.Json;
import io.twinrouter.agent.sim.SimConversation;
import io.twinrouter.agent.sim.SimPoolOptions;
import io.twinrouter.agent.sim.SimPoolServer;
import io.twinrouter.agent.sim.SimTask;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.Tier;
import io.twinrouter.config.TwinrouterSettings;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The client against the simulated pool over real HTTP on 127.0.0.1. */
class ModelClientTest {
  private static final String KEY = "sk-sim-SECRET-4242-do-not-log";
  private static final TwinrouterSettings SETTINGS = TwinrouterSettings.load();
  private static final ModelClientSettings FAST =
      ModelClientSettings.from(SETTINGS.raw())
          .withRetries(2, Duration.ofMillis(10), Duration.ofSeconds(3))
          .withRequestTimeout(Duration.ofSeconds(20));

  private final List<SimTask> tasks = SimConversation.loadTiny();
  private SimPoolServer server;
  private ModelPool pool;

  @BeforeEach
  void start() throws Exception {
    server = SimPoolServer.start(SETTINGS.pool(), tasks, SimPoolOptions.from(SETTINGS.raw()).withSeed(3));
    pool = SETTINGS.pool().withBaseUrl(server.baseUrl());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ModelClient client(ModelClientSettings s, Map<String, String> env) {
    return new ModelClient(s, new EndpointLimiter(s.maxConcurrentPerEndpoint()), env::get);
  }

  private ModelTurn call(ModelClient c, PoolModel m, SimConversation conv) {
    ModelOutcome o = c.complete(m, conv.messages(), List.of(SimConversation.bashTool()), RequestOptions.miniDefaults());
    return assertInstanceOf(ModelTurn.class, o);
  }

  @Test
  void aStepIsParsedNormalisedAndPricedAndTheSecondCallReadsTheCache() {
    ModelClient c = client(FAST, Map.of());
    PoolModel low = pool.forTier(Tier.LOW).orElseThrow();
    SimConversation conv = new SimConversation(tasks.get(0).problemStatement());
    ModelTurn first = call(c, low, conv);
    assertEquals("deepseek/deepseek-v3.2", first.modelId());
    assertEquals("openai", first.provider());
    assertEquals(1, first.toolCalls().size());
    assertEquals("bash", first.toolCalls().get(0).name());
    assertEquals("{\"command\":\"ls\"}", first.toolCalls().get(0).arguments());
    assertFalse(first.content().isEmpty());
    assertEquals("tool_calls", first.finishReason());
    Usage u1 = first.usage();
    assertTrue(u1.inputTokens() > 100, "system, instance prompt and tool schema: " + u1);
    assertEquals(0, u1.cacheReadTokens());
    assertEquals(0, u1.cacheWriteTokens());
    assertTrue(u1.outputTokens() > 5);
    assertEquals(u1.raw().get("prompt_tokens").asLong(), u1.promptTokens());
    assertEquals(u1.costUsd(low.rates()), first.costUsd(), 1e-15);
    assertEquals(
        (u1.inputTokens() * 0.252 + u1.outputTokens() * 0.378) / 1e6, first.costUsd(), 1e-12);
    assertTrue(first.retries().isEmpty());
    assertTrue(first.finishedAt() >= first.startedAt());

    conv.accept(first.message());
    ModelTurn second = call(c, low, conv);
    assertEquals(u1.promptTokens(), second.usage().cacheReadTokens(), "the first prompt is cached");
    assertTrue(second.usage().inputTokens() > 0);
    assertEquals(0, second.usage().cacheWriteTokens());
  }

  @Test
  void anAnthropicStyleModelReportsCacheWritesThatBecomeReads() {
    ModelClient c = client(FAST, Map.of());
    PoolModel high = pool.forTier(Tier.HIGH).orElseThrow();
    SimConversation conv = new SimConversation(tasks.get(0).problemStatement());
    ModelTurn first = call(c, high, conv);
    assertEquals(0, first.usage().inputTokens());
    assertEquals(first.usage().promptTokens(), first.usage().cacheWriteTokens());
    conv.accept(first.message());
    ModelTurn second = call(c, high, conv);
    Usage u = second.usage();
    assertEquals(first.usage().promptTokens(), u.cacheReadTokens());
    assertEquals(u.promptTokens() - u.cacheReadTokens(), u.cacheWriteTokens());
    double expected = (u.cacheReadTokens() * 0.5 + u.cacheWriteTokens() * 6.25 + u.outputTokens() * 25.0) / 1e6;
    assertEquals(expected, second.costUsd(), 1e-12);
  }

  @Test
  void a429IsRetriedAfterItsRetryAfter() {
    ModelClient c = client(FAST, Map.of());
    server.faults().failNext(1, 429, Duration.ofSeconds(1));
    long t0 = System.nanoTime();
    ModelTurn turn = call(c, pool.forTier(Tier.MID).orElseThrow(), new SimConversation(tasks.get(0).problemStatement()));
    long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(elapsedMs >= 1000, "waited " + elapsedMs + " ms");
    assertEquals(1, turn.retries().size());
    assertEquals(1000, turn.retries().get(0).waitMs());
    assertTrue(turn.retries().get(0).cause().startsWith("HTTP 429"), turn.retries().get(0).cause());
    assertTrue(turn.latencyMs() >= 1000);
  }

  @Test
  void serverErrorsBeyondTheRetryCapMakeTheModelUnavailable() {
    ModelClient c = client(FAST, Map.of());
    server.faults().failNext(3, 500, null);
    PoolModel mid = pool.forTier(Tier.MID).orElseThrow();
    SimConversation conv = new SimConversation(tasks.get(0).problemStatement());
    ModelUnavailableException e =
        assertThrows(ModelUnavailableException.class, () -> c.complete(mid, conv.messages(), List.of(), RequestOptions.miniDefaults()));
    assertEquals(3, e.attempts().size());
    assertTrue(e.getMessage().contains("HTTP 500"), e.getMessage());
    assertEquals(3, server.chatRequests());
    server.faults().failNext(2, 503, null);
    ModelTurn ok = call(c, mid, conv);
    assertEquals(2, ok.retries().size());
  }

  @Test
  void anEndpointThatIsDownIsAnInfrastructureFailure() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    ModelClient c = client(FAST, Map.of("SIM_KEY", KEY));
    PoolModel down = keyed(pool.forTier(Tier.LOW).orElseThrow()).withBaseUrl("http://127.0.0.1:" + port + "/v1");
    ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
        () -> c.complete(down, new SimConversation("x").messages(), List.of(), RequestOptions.miniDefaults()));
    assertTrue(e.getMessage().contains("ConnectionError"), e.getMessage());
    assertEquals(3, e.attempts().size());
    assertFalse(stackText(e).contains(KEY));
  }

  @Test
  void aSlowEndpointTimesOutAndIsRetriedThenUnavailable() throws Exception {
    server.close();
    server = SimPoolServer.start(SETTINGS.pool(), tasks,
        SimPoolOptions.from(SETTINGS.raw()).withLatency(Duration.ofMillis(3000)));
    PoolModel low = SETTINGS.pool().withBaseUrl(server.baseUrl()).forTier(Tier.LOW).orElseThrow();
    ModelClient c = client(FAST.withRetries(1, Duration.ofMillis(10), Duration.ofSeconds(1))
        .withRequestTimeout(Duration.ofMillis(400)), Map.of());
    ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
        () -> c.complete(low, new SimConversation(tasks.get(0).problemStatement()).messages(), List.of(),
            RequestOptions.miniDefaults()));
    assertEquals(2, e.attempts().size());
    assertTrue(e.getMessage().contains("Timeout"), e.getMessage());
  }

  @Test
  void aResponseWithoutUsageIsRefusedAndRetried() {
    ModelClient c = client(FAST, Map.of());
    PoolModel low = pool.forTier(Tier.LOW).orElseThrow();
    SimConversation conv = new SimConversation(tasks.get(0).problemStatement());
    server.faults().omitUsageNext(1);
    ModelTurn turn = call(c, low, conv);
    assertTrue(turn.retries().get(0).cause().contains("missing usage object"));
    server.faults().omitUsageNext(3);
    ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
        () -> c.complete(low, conv.messages(), List.of(), RequestOptions.miniDefaults()));
    assertTrue(e.getMessage().contains("missing usage object"), e.getMessage());
    server.faults().garbleNext(3);
    e = assertThrows(ModelUnavailableException.class,
        () -> c.complete(low, conv.messages(), List.of(), RequestOptions.miniDefaults()));
    assertTrue(e.getMessage().contains("response is not JSON"), e.getMessage());
  }

  @Test
  void theKeyIsSentAsBearerAndNeverLoggedNorReturned() throws Exception {
    server.close();
    server = SimPoolServer.start(SETTINGS.pool(), tasks,
        SimPoolOptions.from(SETTINGS.raw()).withRequiredApiKey(KEY));
    PoolModel model = keyed(SETTINGS.pool().forTier(Tier.MID_HIGH).orElseThrow()).withBaseUrl(server.baseUrl());
    Logger log = (Logger) LoggerFactory.getLogger(ModelClient.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    log.addAppender(appender);
    try {
      ModelClient c = client(FAST, Map.of("SIM_KEY", KEY));
      server.faults().failNext(1, 503, null);
      ModelTurn turn = call(c, model, new SimConversation(tasks.get(0).problemStatement()));
      assertEquals(1, turn.retries().size());
      assertFalse(appender.list.isEmpty(), "the retry is logged");
      for (ILoggingEvent ev : appender.list) {
        assertFalse(ev.getFormattedMessage().contains(KEY), ev.getFormattedMessage());
      }
      assertFalse(turn.toString().contains(KEY));
      assertFalse(turn.rawResponse().toString().contains(KEY));

      ModelClient wrongKey = client(FAST, Map.of("SIM_KEY", "sk-wrong-key-1234"));
      ModelSetupException r = assertThrows(ModelSetupException.class, () -> wrongKey.complete(
          model, new SimConversation(tasks.get(0).problemStatement()).messages(), List.of(),
          RequestOptions.miniDefaults()));
      assertEquals(401, r.httpStatus());
      assertFalse(r.getMessage().contains("sk-wrong-key-1234"));
      assertEquals(Optional.of(r), wrongKey.setupMistake());
      ModelClient noKey = client(FAST, Map.of());
      assertEquals(401, assertThrows(ModelSetupException.class, () -> noKey.complete(model,
          new SimConversation("x").messages(), List.of(), RequestOptions.miniDefaults()))
          .httpStatus());
    } finally {
      log.detachAppender(appender);
    }
  }

  @Test
  void anUnknownModelStopsTheClientAsASetupMistakeNotAnOutage() {
    ModelClient c = client(FAST, Map.of());
    PoolModel ghost = new PoolModel("acme/ghost-1", Tier.LOW, pool.models().get(0).rates(),
        server.baseUrl(), "acme/ghost-1", "", false, "");
    ModelSetupException r = assertThrows(ModelSetupException.class,
        () -> c.complete(ghost, new SimConversation("x").messages(), List.of(), RequestOptions.miniDefaults()));
    assertEquals(404, r.httpStatus());
    assertEquals("acme/ghost-1", r.modelId());
    assertTrue(r.getMessage().contains("The model `acme/ghost-1` does not exist"), r.getMessage());
    // the run is stopping: not even a good model is called any more
    ModelSetupException again = assertThrows(ModelSetupException.class, () -> c.complete(
        pool.models().get(0), new SimConversation(tasks.get(0).problemStatement()).messages(),
        List.of(), RequestOptions.miniDefaults()));
    assertEquals(r, again);
  }

  @Test
  void aContextLengthRefusalStaysTheCasesOwnOutcome() {
    assertFalse(new ModelRequestRejected("m", 400, "This model's maximum context length is 128000"
        + " tokens. However, your messages resulted in 130000 tokens.", List.of()).isSetupMistake());
    assertTrue(new ModelRequestRejected("m", 400, "Unsupported parameter: 'max_tokens' is not"
        + " supported with this model. Use 'max_completion_tokens' instead.", List.of())
        .isSetupMistake());
    assertFalse(new ModelRequestRejected("m", 400, "messages[3]: invalid tool_call_id", List.of())
        .isSetupMistake());
    for (int status : new int[] {401, 402, 403, 404}) {
      assertTrue(new ModelRequestRejected("m", status, "x", List.of()).isSetupMistake());
    }
    assertFalse(new ModelRequestRejected("m", 413, "x", List.of()).isSetupMistake());
  }

  @Test
  void theEndpointLimitHoldsUnderManyConcurrentCallers() throws Exception {
    server.close();
    server = SimPoolServer.start(SETTINGS.pool(), tasks,
        SimPoolOptions.from(SETTINGS.raw()).withLatency(Duration.ofMillis(60)));
    pool = SETTINGS.pool().withBaseUrl(server.baseUrl());
    ModelClient c = client(FAST.withMaxConcurrentPerEndpoint(3), Map.of());
    call(c, pool.models().get(0), new SimConversation(tasks.get(0).problemStatement()));
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try {
      List<Future<ModelOutcome>> futures = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        PoolModel m = pool.models().get(i % 4);
        SimTask t = tasks.get(i % 2);
        futures.add(callers.submit(() -> c.complete(m, new SimConversation(t.problemStatement()).messages(),
            List.of(), RequestOptions.miniDefaults())));
      }
      for (Future<ModelOutcome> f : futures) {
        assertInstanceOf(ModelTurn.class, f.get());
      }
    } finally {
      callers.shutdownNow();
    }
    assertTrue(server.maxConcurrentRequests() <= 3, "in flight " + server.maxConcurrentRequests());
    assertTrue(server.maxConcurrentRequests() >= 2, "callers did run concurrently");
  }

  @Test
  void minisExtraBlocksStayOutOfTheRequestAndTheCallersTreesAreNotChanged() throws Exception {
    // A loopback endpoint answering as OpenAI's chat completions API does (choices[0].message and
    // a usage object, as in its API reference's chat completion object); it keeps each body.
    List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/v1/chat/completions", ex -> {
      bodies.add(Json.MAPPER.readTree(ex.getRequestBody().readAllBytes()));
      byte[] out = ("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
          + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3}}")
          .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, out.length);
      ex.getResponseBody().write(out);
      ex.close();
    });
    http.start();
    try {
      PoolModel low = pool.forTier(Tier.LOW).orElseThrow()
          .withBaseUrl("http://127.0.0.1:" + http.getAddress().getPort() + "/v1");
      PoolModel marked = new PoolModel(low.modelId(), low.tier(), low.rates(), low.baseUrl(),
          low.apiModel(), "", false, CacheControl.ANTHROPIC);
      ObjectNode system = Json.MAPPER.createObjectNode().put("role", "system").put("content", "be brief");
      ObjectNode user = Json.MAPPER.createObjectNode().put("role", "user").put("content", "hi");
      user.putObject("extra").put("returncode", 0);
      String before = List.of(system, user).toString();
      ModelClient c = client(FAST, Map.of());
      for (PoolModel m : List.of(low, marked)) {
        assertInstanceOf(ModelTurn.class,
            c.complete(m, List.of(system, user), List.of(), RequestOptions.miniDefaults()));
      }
      assertEquals(2, bodies.size());
      for (JsonNode body : bodies) {
        JsonNode sent = body.get("messages");
        assertEquals(2, sent.size());
        assertFalse(sent.get(1).has("extra"), body.toString());
        assertEquals("user", sent.get(1).get("role").asText());
      }
      assertEquals("hi", bodies.get(0).get("messages").get(1).get("content").asText());
      assertTrue(bodies.get(1).get("messages").get(1).get("content").get(0).has("cache_control"),
          "the Anthropic-style model's last message is marked");
      assertEquals(before, List.of(system, user).toString(), "the caller's trees are untouched");
    } finally {
      http.stop(0);
    }
  }

  @Test
  void anthropicCacheMarksGoOnTheLastMessageOnly() {
    SimConversation conv = new SimConversation("task");
    ObjectNode old = conv.messages().get(0);
    old.putObject("cache_control").put("type", "ephemeral");
    List<ObjectNode> marked = CacheControl.defaultEnd(conv.messages());
    assertFalse(marked.get(0).has("cache_control"));
    assertTrue(old.has("cache_control"), "input untouched");
    assertEquals("ephemeral", marked.get(1).get("content").get(0).get("cache_control").get("type").asText());
    ObjectNode tool = conv.messages().get(1).deepCopy().put("role", "tool");
    List<ObjectNode> withTool = new ArrayList<>(conv.messages());
    withTool.add(tool);
    List<ObjectNode> m2 = CacheControl.defaultEnd(withTool);
    assertEquals("ephemeral", m2.get(2).get("cache_control").get("type").asText());
    assertTrue(m2.get(1).get("content").isTextual());
  }

  private static PoolModel keyed(PoolModel m) {
    return new PoolModel(m.modelId(), m.tier(), m.rates(), m.baseUrl(), m.apiModel(), "SIM_KEY",
        m.highBaseline(), m.cacheControlStyle());
  }

  private static String stackText(Throwable e) {
    java.io.StringWriter w = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(w));
    return w.toString();
  }
}
