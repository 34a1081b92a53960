package io.twinrouter.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.agent.model.ModelClient;
import io.twinrouter.agent.model.ModelClientSettings;
import io.twinrouter.agent.model.ModelTurn;
import io.twinrouter.agent.model.RequestOptions;
import io.twinrouter.agent.sim.SimPoolOptions;
import io.twinrouter.agent.sim.SimPoolServer;
import io.twinrouter.agent.sim.SimTask;
import io.twinrouter.agent.sim.SimTaskLoader;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.common.Json;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.TwinrouterSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway between a real client on loopback (standing in for a routing proxy: it sends what
 * a proxy forwards) and the simulated pool, a real OpenAI-compatible server.
 */
class MeteringGatewayTest {
  private static final TwinrouterSettings SETTINGS = TwinrouterSettings.load();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir static Path dir;
  private static SimPoolServer sim;
  private static ModelPool pool;
  private static SimTask task;
  private static ModelClient client;

  @BeforeAll
  static void startPool() throws Exception {
    TaskSuite.open(TaskSuite.BUNDLED, dir);
    List<SimTask> tasks = SimTaskLoader.load(dir.resolve(TaskSuite.BUNDLED_TASK_FILE));
    task = tasks.get(0);
    sim = SimPoolServer.start(SETTINGS.pool(), tasks,
        SimPoolOptions.from(SETTINGS.raw()).withPort(0));
    pool = SETTINGS.pool().withBaseUrl(sim.baseUrl());
    client = ModelClient.create(ModelClientSettings.from(SETTINGS.raw()));
  }

  @AfterAll
  static void stopPool() {
    sim.close();
  }

  private static MeteringGateway forwarding(MeteredCalls.Attribution attribution) throws Exception {
    return MeteringGateway.start(pool, Upstream.forwarding(client),
        MeteredCalls.inMemory(attribution), 0, 1 << 20);
  }

  private static ArrayNode conversation() {
    ArrayNode m = JsonNodeFactory.instance.arrayNode();
    m.addObject().put("role", "system").put("content", "You are a helpful assistant.");
    m.addObject().put("role", "user").put("content", task.problemStatement());
    return m;
  }

  private static HttpResponse<String> post(MeteringGateway g, String model, ArrayNode messages)
      throws Exception {
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("model", model);
    body.set("messages", messages);
    body.put("temperature", 0.0);
    return HTTP.send(HttpRequest.newBuilder(URI.create(g.baseUrl() + "/chat/completions"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aMarkedCallIsForwardedWithoutItsMarkerAndMeteredForItsStep() throws Exception {
    PoolModel low = pool.models().get(0);
    try (MeteringGateway g = forwarding(MeteredCalls.Attribution.REQUIRED)) {
      String token = g.ledger().open("case-a", 3);
      ArrayNode marked = conversation();
      StepMarker.place(marked, token);
      HttpResponse<String> answer = post(g, low.modelId(), marked);
      assertEquals(200, answer.statusCode(), answer.body());
      List<GatewayCall> calls = g.ledger().close(token);
      assertEquals(1, calls.size());
      GatewayCall call = calls.get(0);
      assertEquals("case-a", call.caseId());
      assertEquals(3, call.stepIndex());
      assertEquals(low.modelId(), call.modelId());
      ModelTurn metered = call.turn();
      // the one pricing formula over the four buckets
      assertEquals(low.rates().costUsd(metered.usage().inputTokens(),
          metered.usage().cacheReadTokens(), metered.usage().cacheWriteTokens(),
          metered.usage().outputTokens()), metered.costUsd(), 1e-15);
      assertTrue(metered.costUsd() > 0);
      // the model saw the agent's conversation: the same prompt and answer as a direct call
      List<JsonNode> plain = new ArrayList<>();
      conversation().forEach(plain::add);
      ModelTurn direct = assertInstanceOf(ModelTurn.class,
          client.complete(low, plain, List.of(), RequestOptions.miniDefaults()));
      assertEquals(direct.usage().promptTokens(), metered.usage().promptTokens());
      assertEquals(direct.usage().outputTokens(), metered.usage().outputTokens());
      assertEquals(direct.message(), Json.MAPPER.readTree(answer.body())
          .path("choices").path(0).path("message"));
      assertEquals(metered.costUsd(), g.ledger().costUsd(), 1e-15);
    }
  }

  @Test
  void everyPoolModelIsServedUnderItsIdAndApiModel() throws Exception {
    try (MeteringGateway g = forwarding(MeteredCalls.Attribution.OPTIONAL)) {
      JsonNode list = Json.MAPPER.readTree(HTTP.send(
          HttpRequest.newBuilder(URI.create(g.baseUrl() + "/models")).GET().build(),
          HttpResponse.BodyHandlers.ofString()).body());
      List<String> ids = new ArrayList<>();
      list.path("data").forEach(m -> ids.add(m.path("id").asText()));
      for (PoolModel m : pool.models()) {
        assertTrue(ids.contains(m.modelId()), ids.toString());
        if (m.apiModel() != null && !m.apiModel().isEmpty()) {
          assertTrue(ids.contains(m.apiModel()), ids.toString());
          // and a call under the api-model is metered as the pool model
          String token = g.ledger().open("case-b", 0);
          ArrayNode marked = conversation();
          StepMarker.place(marked, token);
          assertEquals(200, post(g, m.apiModel(), marked).statusCode());
          assertEquals(m.modelId(), g.ledger().close(token).get(0).modelId());
        }
      }
    }
  }

  @Test
  void aModelOutsideThePoolIsRefusedWithAJsonBodyAndNothingIsCalled() throws Exception {
    try (MeteringGateway g = forwarding(MeteredCalls.Attribution.REQUIRED)) {
      String token = g.ledger().open("case-c", 0);
      ArrayNode marked = conversation();
      StepMarker.place(marked, token);
      long before = sim.chatRequests();
      HttpResponse<String> answer = post(g, "openai/gpt-9", marked);
      assertEquals(404, answer.statusCode());
      JsonNode error = Json.MAPPER.readTree(answer.body()).path("error");
      assertEquals("model_not_found", error.path("code").asText());
      assertTrue(error.path("message").asText().contains("openai/gpt-9"));
      assertEquals(before, sim.chatRequests());
      assertEquals(List.of(), g.ledger().close(token));
    }
  }

  @Test
  void insideARunAnUnmarkedOrLateCallIsRefusedAndNotForwarded() throws Exception {
    PoolModel low = pool.models().get(0);
    try (MeteringGateway g = forwarding(MeteredCalls.Attribution.REQUIRED)) {
      long before = sim.chatRequests();
      HttpResponse<String> unmarked = post(g, low.modelId(), conversation());
      assertEquals(400, unmarked.statusCode());
      assertEquals("no_step_marker",
          Json.MAPPER.readTree(unmarked.body()).path("error").path("code").asText());
      String token = g.ledger().open("case-d", 1);
      g.ledger().close(token);
      ArrayNode late = conversation();
      StepMarker.place(late, token);
      HttpResponse<String> closed = post(g, low.modelId(), late);
      assertEquals(409, closed.statusCode());
      assertEquals(before, sim.chatRequests());
      assertEquals(0, g.ledger().calls());
    }
  }

  @Test
  void onItsOwnTheGatewayForwardsAnUnmarkedCallUnattributed() throws Exception {
    try (MeteringGateway g = forwarding(MeteredCalls.Attribution.OPTIONAL)) {
      assertEquals(200, post(g, pool.models().get(1).modelId(), conversation()).statusCode());
      assertEquals(1, g.ledger().calls());
      assertTrue(g.ledger().costUsd() > 0);
    }
  }

  @Test
  void theCannedUpstreamCallsNoModelAndBillsNothing() throws Exception {
    PoolModel high = pool.models().get(pool.models().size() - 1);
    try (MeteringGateway g = MeteringGateway.start(pool, Upstream.canned(),
        MeteredCalls.inMemory(MeteredCalls.Attribution.REQUIRED), 0, 1 << 20)) {
      String token = g.ledger().open("row-1", 1);
      ArrayNode marked = conversation();
      StepMarker.place(marked, token);
      long before = sim.chatRequests();
      HttpResponse<String> answer = post(g, high.modelId(), marked);
      assertEquals(200, answer.statusCode());
      assertEquals("", Json.MAPPER.readTree(answer.body())
          .path("choices").path(0).path("message").path("content").asText("x"));
      GatewayCall call = g.ledger().close(token).get(0);
      assertEquals(high.modelId(), call.modelId());
      assertEquals(0.0, call.costUsd());
      assertEquals(before, sim.chatRequests());
    }
  }

  @Test
  void theMarkerComesOffTextAndBlockContentsExactly() {
    ArrayNode text = conversation();
    String original = text.get(1).path("content").asText();
    StepMarker.place(text, "0123456789abcdef0123456789abcdef");
    assertTrue(text.get(1).path("content").asText().endsWith("]"));
    assertEquals("0123456789abcdef0123456789abcdef", StepMarker.take(text));
    assertEquals(original, text.get(1).path("content").asText());

    ArrayNode blocks = JsonNodeFactory.instance.arrayNode();
    ObjectNode user = blocks.addObject().put("role", "user");
    user.putArray("content").addObject().put("type", "text").put("text", "look");
    JsonNode before = blocks.deepCopy();
    StepMarker.place(blocks, "ffffffffffffffffffffffffffffffff");
    assertEquals(2, blocks.get(0).path("content").size());
    assertEquals("ffffffffffffffffffffffffffffffff", StepMarker.take(blocks));
    assertEquals(before, blocks);
    assertNull(StepMarker.take(blocks));

    // a classifier's prompt quoting the marked message, and a marker-like text that is none
    ArrayNode quoted = JsonNodeFactory.instance.arrayNode();
    String mark = "[twinrouter-step:00000000000000000000000000000001]";
    quoted.addObject().put("role", "user").put("content", "Rate: \"fix it\n\n" + mark
        + "\" [twinrouter-step:nothex] and again " + mark + ".");
    assertEquals("00000000000000000000000000000001", StepMarker.take(quoted));
    assertEquals("Rate: \"fix it\" [twinrouter-step:nothex] and again .",
        quoted.get(0).path("content").asText());
  }
}
