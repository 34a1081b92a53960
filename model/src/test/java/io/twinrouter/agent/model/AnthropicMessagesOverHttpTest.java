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
import io.twinrouter.config.UsageFormat;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pool model with {@code api = anthropic-messages} against a real server on 127.0.0.1 that
 * answers as Anthropic's Messages API documentation shows (platform.claude.com "Using the Messages
 * API" for the message object, the SDKs' {@code Usage} and {@code CacheCreation} for the usage,
 * the errors page for {@code {"type": "error", "error": {...}}}): the request's shape and headers
 * as sent, the answer read back into the loop's one message shape, and the usage priced with
 * 1-hour cache writes apart.
 */
class AnthropicMessagesOverHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "sk-ant-test-0123456789";
  private HttpServer server;
  private final AtomicReference<JsonNode> lastBody = new AtomicReference<>();
  private final AtomicReference<Headers> lastHeaders = new AtomicReference<>();

  @BeforeEach
  void start() throws Exception {
    server = StandIn.start("/v1/messages", ex -> {
      lastBody.set(JSON.readTree(ex.getRequestBody().readAllBytes()));
      lastHeaders.set(ex.getRequestHeaders());
      boolean keyOk = KEY.equals(ex.getRequestHeaders().getFirst("x-api-key"));
      String answer = keyOk
          ? "{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\","
              + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":["
              + "{\"type\":\"thinking\",\"thinking\":\"...\",\"signature\":\"s\"},"
              + "{\"type\":\"text\",\"text\":\"Let me look.\"},"
              + "{\"type\":\"tool_use\",\"id\":\"toolu_02\",\"name\":\"bash\","
              + "\"input\":{\"command\":\"ls -la\"}}],"
              + "\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":{"
              + "\"input_tokens\":50,\"cache_creation_input_tokens\":3000,"
              + "\"cache_read_input_tokens\":10000,\"cache_creation\":{"
              + "\"ephemeral_5m_input_tokens\":1000,\"ephemeral_1h_input_tokens\":2000},"
              + "\"output_tokens\":120}}"
          : "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
              + "\"message\":\"invalid x-api-key\"}}";
      StandIn.json(ex, keyOk ? 200 : 401, answer);
    });
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private PoolModel model(String rates) {
    return ModelPool.from(ConfigFactory.parseString("models = [{ model-id = \"anthropic/sonnet\","
        + " api-model = claude-sonnet-4-5, tier = high, api = anthropic-messages,"
        + " api-key-env = ANTHROPIC_API_KEY, base-url = \"http://127.0.0.1:"
        + server.getAddress().getPort() + "/v1\", rates { " + rates + " } }]")).models().get(0);
  }

  private ModelOutcome call(PoolModel m, String key) throws Exception {
    List<JsonNode> conversation = List.of(
        JSON.readTree("{\"role\":\"system\",\"content\":\"You are a coding agent.\"}"),
        JSON.readTree("{\"role\":\"user\",\"content\":\"Fix the bug.\"}"),
        JSON.readTree("{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":["
            + "{\"id\":\"toolu_01\",\"type\":\"function\",\"function\":{\"name\":\"bash\","
            + "\"arguments\":\"{\\\"command\\\": \\\"cat a.py\\\"}\"}}],"
            + "\"extra\":{\"cost\":0.1}}"),
        JSON.readTree("{\"role\":\"tool\",\"tool_call_id\":\"toolu_01\",\"content\":\"x = 1\"}"),
        JSON.readTree("{\"role\":\"user\",\"content\":\"Keep going.\"}"));
    List<JsonNode> tools = List.of(JSON.readTree("{\"type\":\"function\",\"function\":{"
        + "\"name\":\"bash\",\"description\":\"Run a command\",\"parameters\":{\"type\":"
        + "\"object\",\"properties\":{\"command\":{\"type\":\"string\"}}}}}"));
    ModelClientSettings s = new ModelClientSettings(4, Duration.ofSeconds(10), 0,
        Duration.ofMillis(1), Duration.ofMillis(1), UsageFormat.AUTO);
    try (ModelClient c = new ModelClient(s, new EndpointLimiter(4),
        Map.of("ANTHROPIC_API_KEY", key)::get)) {
      return c.complete(m, conversation, tools, RequestOptions.miniDefaults());
    }
  }

  @Test
  void theRequestHasAnthropicsShapeAndTheAnswerIsReadIntoTheOneTurn() throws Exception {
    ModelTurn t = assertInstanceOf(ModelTurn.class, call(model(
        "input = 3.0, cache-read = 0.3, cache-write = 3.75, cache-write-1h = 6.0, output = 15.0"),
        KEY));
    // headers: the key in x-api-key, never as a Bearer token; the API version
    assertEquals(KEY, lastHeaders.get().getFirst("x-api-key"));
    assertNull(lastHeaders.get().getFirst("Authorization"));
    assertEquals(AnthropicMessagesCodec.VERSION, lastHeaders.get().getFirst("anthropic-version"));
    JsonNode body = lastBody.get();
    assertEquals("claude-sonnet-4-5", body.path("model").asText());
    assertEquals(AnthropicMessagesCodec.DEFAULT_MAX_TOKENS, body.path("max_tokens").asInt());
    // the system prompt is top-level, with a breakpoint; no message has the system role
    assertEquals("You are a coding agent.", body.path("system").get(0).path("text").asText());
    assertEquals("ephemeral", body.path("system").get(0).path("cache_control").path("type").asText());
    JsonNode turns = body.path("messages");
    assertEquals(3, turns.size(), turns.toString());
    assertEquals(List.of("user", "assistant", "user"), List.of(turns.get(0).path("role").asText(),
        turns.get(1).path("role").asText(), turns.get(2).path("role").asText()));
    JsonNode toolUse = turns.get(1).path("content").get(0);
    assertEquals("tool_use", toolUse.path("type").asText());
    assertEquals("toolu_01", toolUse.path("id").asText());
    assertEquals("cat a.py", toolUse.path("input").path("command").asText());
    assertFalse(turns.get(1).has("extra"));
    // the tool result and the next user text share one user turn; the last block is marked
    JsonNode last = turns.get(2).path("content");
    assertEquals("tool_result", last.get(0).path("type").asText());
    assertEquals("toolu_01", last.get(0).path("tool_use_id").asText());
    assertEquals("x = 1", last.get(0).path("content").asText());
    assertEquals("Keep going.", last.get(1).path("text").asText());
    assertEquals("ephemeral", last.get(1).path("cache_control").path("type").asText());
    assertFalse(last.get(0).has("cache_control"));
    assertEquals("object", body.path("tools").get(0).path("input_schema").path("type").asText());
    assertNull(body.get("parallel_tool_calls"));

    // the answer: text and tool use in the loop's shape, thinking left out
    assertEquals("Let me look.", t.content());
    assertEquals(1, t.toolCalls().size());
    assertEquals("toolu_02", t.toolCalls().get(0).id());
    assertEquals("ls -la", JSON.readTree(t.toolCalls().get(0).arguments()).path("command").asText());
    assertEquals("tool_calls", t.finishReason());
    assertEquals("anthropic", t.provider());
    // usage: input excludes reads and writes; the 1-hour writes priced at their own rate
    assertEquals(50, t.usage().inputTokens());
    assertEquals(10000, t.usage().cacheReadTokens());
    assertEquals(3000, t.usage().cacheWriteTokens());
    assertEquals(2000, t.usage().cacheWrite1hTokens());
    assertEquals(120, t.usage().outputTokens());
    assertEquals((50 * 3.0 + 10000 * 0.3 + 1000 * 3.75 + 2000 * 6.0 + 120 * 15.0) / 1e6,
        t.costUsd(), 1e-15);
    // the snapshot that served the alias is no mismatch
    assertEquals("claude-sonnet-4-5-20250929", t.ledger().servedModel());
    assertFalse(t.ledger().servedModelMismatch());
  }

  @Test
  void withoutAOneHourRateEveryWriteIsPricedAtTheCacheWriteRate() throws Exception {
    ModelTurn t = assertInstanceOf(ModelTurn.class, call(model(
        "input = 3.0, cache-read = 0.3, cache-write = 3.75, output = 15.0"), KEY));
    assertEquals((50 * 3.0 + 10000 * 0.3 + 3000 * 3.75 + 120 * 15.0) / 1e6, t.costUsd(), 1e-15);
  }

  @Test
  void aRefusedKeyStopsTheRunWithAnthropicsMessageAndTheKeyIsNotRepeated() {
    PoolModel m = model("input = 3.0, cache-read = 0.3, cache-write = 3.75, output = 15.0");
    ModelSetupException e = assertThrows(ModelSetupException.class,
        () -> call(m, "sk-ant-wrong-key-99"));
    assertTrue(e.getMessage().contains("HTTP 401") && e.getMessage().contains("invalid x-api-key"),
        e.getMessage());
    assertFalse(e.getMessage().contains("sk-ant-wrong-key-99"));
  }
}
