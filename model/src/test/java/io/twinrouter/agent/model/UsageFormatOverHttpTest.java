package io.twinrouter.agent.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.Rates;
import io.twinrouter.config.Tier;
import io.twinrouter.config.UsageFormat;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-model usage format and the provider's billed cost, through a real HTTP server on
 * 127.0.0.1 answering as LiteLLM's proxy documents it: OpenAI's body with Anthropic's
 * cache_creation_input_tokens at the top of usage, and the billed USD in the
 * x-litellm-response-cost header (docs.litellm.ai, "Response Headers" and "Prompt Caching").
 */
class UsageFormatOverHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USAGE = "{\"prompt_tokens\":2006,\"completion_tokens\":300,"
      + "\"total_tokens\":2306,\"prompt_tokens_details\":{\"cached_tokens\":1920},"
      + "\"cache_creation_input_tokens\":80,\"cache_read_input_tokens\":1920}";
  private HttpServer server;
  private String costHeader = "0.01234";

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/chat/completions", ex -> {
      ex.getRequestBody().readAllBytes();
      byte[] body = ("{\"id\":\"x\",\"model\":\"claude\",\"choices\":[{\"index\":0,\"finish_reason\":"
          + "\"stop\",\"message\":{\"role\":\"assistant\",\"content\":\"hi\"}}],\"usage\":" + USAGE
          + "}").getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      if (costHeader != null) {
        ex.getResponseHeaders().add("x-litellm-response-cost", costHeader);
      }
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private ModelTurn call(UsageFormat format) throws Exception {
    ModelClientSettings s = new ModelClientSettings(4, Duration.ofSeconds(10), 0,
        Duration.ofMillis(10), Duration.ofMillis(10), UsageFormat.AUTO);
    PoolModel m = new PoolModel("anthropic/claude", Tier.HIGH, new Rates(5, 0.5, 6.25, 25),
        "http://127.0.0.1:" + server.getAddress().getPort() + "/v1", "claude", "", false, "",
        format);
    try (ModelClient c = new ModelClient(s, new EndpointLimiter(4), Map.<String, String>of()::get)) {
      List<JsonNode> messages = List.of(JSON.readTree("{\"role\":\"user\",\"content\":\"hi\"}"));
      return assertInstanceOf(ModelTurn.class,
          c.complete(m, messages, List.of(), RequestOptions.miniDefaults()));
    }
  }

  @Test
  void autoRecognisesLiteLlmAndKeepsTheBilledCostBesideTheComputedOne() throws Exception {
    ModelTurn t = call(UsageFormat.AUTO);
    assertEquals("litellm", t.provider());
    Usage u = t.usage();
    assertEquals(List.of(6L, 1920L, 80L, 300L),
        List.of(u.inputTokens(), u.cacheReadTokens(), u.cacheWriteTokens(), u.outputTokens()));
    assertEquals(0.01234, u.billedCostUsd());
    assertEquals(new Rates(5, 0.5, 6.25, 25).costUsd(6, 1920, 80, 300), t.costUsd(), 1e-15);
    assertEquals(JSON.readTree(USAGE), u.raw());
  }

  @Test
  void aConfiguredFormatWinsOverRecognition() throws Exception {
    costHeader = null;
    ModelTurn t = call(UsageFormat.OPENAI);
    assertEquals("openai", t.provider());
    // read as plain OpenAI, the cache write is invisible: the reason formats are per model
    assertEquals(86, t.usage().inputTokens());
    assertEquals(0, t.usage().cacheWriteTokens());
    assertNull(t.usage().billedCostUsd());
  }
}
