package io.twinrouter.agent.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.ConfigFactory;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.SettingsException;
import io.twinrouter.config.UsageFormat;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pool model's {@code params}, {@code drop-params}, {@code headers} and stripped assistant
 * fields, against a real server on 127.0.0.1 behaving as DeepSeek's reasoning-model guide says:
 * the answer carries {@code reasoning_content}, and a request whose messages carry it back is
 * refused with a 400.
 */
class RequestShapeOverHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private HttpServer server;
  private final AtomicReference<JsonNode> lastBody = new AtomicReference<>();
  private final AtomicReference<Headers> lastHeaders = new AtomicReference<>();

  @BeforeEach
  void start() throws Exception {
    server = StandIn.start("/v1/chat/completions", ex -> {
      JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
      lastBody.set(body);
      lastHeaders.set(ex.getRequestHeaders());
      boolean echoed = false;
      for (JsonNode m : body.path("messages")) {
        echoed |= m.has("reasoning_content");
      }
      String answer = echoed
          ? "{\"error\":{\"message\":\"The reasoning_content is an intermediate result; please"
              + " remove it from the input messages\",\"type\":\"invalid_request_error\"}}"
          : "{\"id\":\"x\",\"model\":\"deepseek-reasoner\",\"choices\":[{\"index\":0,"
              + "\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\",\"content\":\"ok\","
              + "\"reasoning_content\":\"thinking...\"}}],\"usage\":{\"prompt_tokens\":100,"
              + "\"completion_tokens\":20,\"total_tokens\":120,\"prompt_cache_hit_tokens\":64,"
              + "\"prompt_cache_miss_tokens\":36,"
              + "\"completion_tokens_details\":{\"reasoning_tokens\":12}}}";
      StandIn.json(ex, echoed ? 400 : 200, answer);
    });
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private PoolModel model(String extra) {
    return ModelPool.from(ConfigFactory.parseString("models = [{ model-id = \"deepseek/r1\","
        + " api-model = deepseek-reasoner, tier = low, base-url = \"http://127.0.0.1:"
        + server.getAddress().getPort() + "/v1\", usage-format = deepseek, " + extra
        + " rates { input = 0.55, cache-read = 0.14, cache-write = 0.55, output = 2.19 } }]"))
        .models().get(0);
  }

  private ModelOutcome call(PoolModel m, List<JsonNode> messages, Map<String, String> env) {
    ModelClientSettings s = new ModelClientSettings(4, Duration.ofSeconds(10), 0,
        Duration.ofMillis(10), Duration.ofMillis(10), UsageFormat.AUTO);
    try (ModelClient c = new ModelClient(s, new EndpointLimiter(4), env::get)) {
      return c.complete(m, messages, List.of(JSON.createObjectNode().put("type", "function")),
          RequestOptions.miniDefaults());
    }
  }

  @Test
  void reasoningContentIsNotSentBackSoTheSecondTurnIsNotRefused() throws Exception {
    PoolModel m = model("");
    List<JsonNode> first = List.of(JSON.readTree("{\"role\":\"user\",\"content\":\"hi\"}"));
    ModelTurn t = assertInstanceOf(ModelTurn.class, call(m, first, Map.of()));
    assertEquals("thinking...", t.message().get("reasoning_content").asText());
    assertEquals(12L, t.usage().reasoningTokens());
    List<JsonNode> second = List.of(first.get(0), t.message(),
        JSON.readTree("{\"role\":\"user\",\"content\":\"go on\"}"));
    assertInstanceOf(ModelTurn.class, call(m, second, Map.of()));
    assertFalse(lastBody.get().path("messages").get(1).has("reasoning_content"));
    assertEquals("ok", lastBody.get().path("messages").get(1).path("content").asText());
    // without the stripping, the provider's documented 400
    PoolModel keeping = model("strip-message-fields = [],");
    ModelRequestRejected refused =
        assertInstanceOf(ModelRequestRejected.class, call(keeping, second, Map.of()));
    assertEquals(400, refused.httpStatus());
    assertTrue(refused.detail().contains("reasoning_content"), refused.detail());
  }

  @Test
  void paramsOverrideTheDefaultsDroppedOnesAreNotSentAndHeadersMayNameTheEnvironment()
      throws Exception {
    PoolModel m = model("params { temperature = 1.0, max_completion_tokens = 512,"
        + " reasoning_effort = low }, drop-params = [parallel_tool_calls],"
        + " headers { X-Title = twinrouter, X-Org = \"env:TEST_ORG_ID\" },");
    call(m, List.of(JSON.readTree("{\"role\":\"user\",\"content\":\"hi\"}")),
        Map.of("TEST_ORG_ID", "org-42"));
    JsonNode body = lastBody.get();
    assertEquals(1.0, body.path("temperature").asDouble());
    assertEquals(512, body.path("max_completion_tokens").asInt());
    assertEquals("low", body.path("reasoning_effort").asText());
    assertNull(body.get("parallel_tool_calls"));
    assertEquals("deepseek-reasoner", body.path("model").asText());
    assertEquals("twinrouter", lastHeaders.get().getFirst("X-Title"));
    assertEquals("org-42", lastHeaders.get().getFirst("X-Org"));
    // an unset header variable is a preflight problem, named; Authorization is refused outright
    List<String> problems = ModelPreflight.check(new ModelPool(List.of(m)), Map.<String, String>of()::get);
    assertEquals(List.of("model deepseek/r1: headers.X-Org names TEST_ORG_ID, which is not set or"
        + " empty"), problems);
    SettingsException auth = assertThrows(SettingsException.class,
        () -> model("headers { Authorization = \"Bearer x\" },"));
    assertTrue(auth.getMessage().contains("Authorization comes from api-key-env"), auth.getMessage());
  }
}
