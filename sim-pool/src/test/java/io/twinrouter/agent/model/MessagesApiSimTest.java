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
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.RequestShape;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.config.UsageFormat;
import io.twinrouter.config.WireApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The locked pool called through Anthropic's Messages API ({@code api = anthropic-messages})
 * against the simulated pool's {@code /v1/messages}, which refuses what Anthropic refuses (a
 * system role among the messages, an unanswered tool use, a missing {@code max_tokens} or
 * {@code anthropic-version}, a wrong {@code x-api-key}): every model plays the tiny tasks to the
 * end without a refusal, and each call's bill is its own Anthropic usage priced by hand.
 */
class MessagesApiSimTest {
  private static final TwinrouterSettings SETTINGS = TwinrouterSettings.load();
  private static final ModelClientSettings FAST = ModelClientSettings.from(SETTINGS.raw())
      .withRetries(0, Duration.ofMillis(10), Duration.ofMillis(50))
      .withRequestTimeout(Duration.ofSeconds(20));
  private static final String KEY = "sk-ant-sim-4242";
  private final List<SimTask> tasks = SimConversation.loadTiny();

  private static PoolModel onMessagesApi(PoolModel m, String baseUrl) {
    RequestShape d = RequestShape.DEFAULT;
    return new PoolModel(m.modelId(), m.tier(), m.rates(), baseUrl, m.apiModel(),
        "SIM_ANTHROPIC_KEY", m.highBaseline(), m.cacheControlStyle(), UsageFormat.AUTO,
        new RequestShape(d.params(), d.dropParams(), d.headers(), d.strippedFields(),
            WireApi.ANTHROPIC_MESSAGES));
  }

  @Test
  void everyPoolModelPlaysTheTinyTasksAndEachBillIsItsOwnUsagePricedByHand() throws Exception {
    int calls = 0;
    long reads = 0;
    long writes = 0;
    try (SimPoolServer server = SimPoolServer.start(SETTINGS.pool(), tasks,
            SimPoolOptions.from(SETTINGS.raw()).withSeed(5).withRequiredApiKey(KEY));
        ModelClient c = new ModelClient(FAST, new EndpointLimiter(8),
            Map.of("SIM_ANTHROPIC_KEY", KEY)::get)) {
      for (PoolModel pooled : SETTINGS.pool().models()) {
        PoolModel m = onMessagesApi(pooled, server.baseUrl());
        for (SimTask task : tasks) {
          SimConversation conv = new SimConversation(task.problemStatement());
          for (int step = 0; step < 6 && !conv.submitted(); step++) {
            ModelTurn t = assertInstanceOf(ModelTurn.class, c.complete(m, conv.messages(),
                List.of(SimConversation.bashTool()), RequestOptions.miniDefaults()));
            JsonNode raw = t.usage().raw();
            assertEquals("anthropic", t.provider());
            assertTrue(raw.has("cache_creation"), raw.toString());
            assertEquals(m.rates().costUsd(raw.path("input_tokens").asLong(),
                raw.path("cache_read_input_tokens").asLong(),
                raw.path("cache_creation_input_tokens").asLong(),
                raw.path("output_tokens").asLong()), t.costUsd(), 0, "call " + calls);
            assertTrue(t.rawResponse().path("content").isArray());
            calls++;
            reads += t.usage().cacheReadTokens();
            writes += t.usage().cacheWriteTokens();
            conv.accept(t.message());
            if (conv.messages().get(conv.messages().size() - 1).path("content").asText()
                .startsWith("Tool call error")) {
              // the agent answers a format error without the tool use: so does this test
              break;
            }
          }
        }
      }
    }
    assertTrue(calls > 3 * SETTINGS.pool().models().size(), "calls: " + calls);
    assertTrue(reads > 0, "the prompt cache was read");
    assertTrue(writes > 0, "the marked models wrote the cache");
  }

  @Test
  void whatAnthropicRefusesTheSimulatedEndpointRefusesInAnthropicsErrorShape() throws Exception {
    try (SimPoolServer server = SimPoolServer.start(SETTINGS.pool(), tasks,
            SimPoolOptions.from(SETTINGS.raw()).withRequiredApiKey(KEY));
        ModelClient c = new ModelClient(FAST, new EndpointLimiter(8),
            Map.of("SIM_ANTHROPIC_KEY", "sk-ant-wrong-1")::get)) {
      PoolModel m = onMessagesApi(SETTINGS.pool().models().get(0), server.baseUrl());
      SimConversation conv = new SimConversation(tasks.get(0).problemStatement());
      ModelSetupException e = assertThrows(ModelSetupException.class, () -> c.complete(m,
          conv.messages(), List.of(SimConversation.bashTool()), RequestOptions.miniDefaults()));
      assertTrue(e.getMessage().contains("HTTP 401") && e.getMessage().contains("x-api-key"),
          e.getMessage());
      assertFalse(e.getMessage().contains("sk-ant-wrong-1"));

      // the system prompt sent as a message, as an OpenAI-shaped client would
      HttpClient http = HttpClient.newHttpClient();
      String model = SETTINGS.pool().models().get(0).modelId();
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(
              URI.create(server.baseUrl() + "/messages"))
          .header("x-api-key", KEY).header("anthropic-version", AnthropicMessagesCodec.VERSION)
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\","
              + "\"max_tokens\":64,\"messages\":[{\"role\":\"system\",\"content\":\"hi\"}]}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(400, r.statusCode());
      assertTrue(r.body().contains("\"type\":\"error\"")
          && r.body().contains("\"invalid_request_error\""), r.body());
      assertTrue(r.headers().firstValue("request-id").isPresent());
      // without anthropic-version
      HttpResponse<String> noVersion = http.send(HttpRequest.newBuilder(
              URI.create(server.baseUrl() + "/messages")).header("x-api-key", KEY)
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(400, noVersion.statusCode());
      assertTrue(noVersion.body().contains("anthropic-version"), noVersion.body());
    }
  }
}
