package io.twinrouter.agent.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.ConfigFactory;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.Rates;
import io.twinrouter.config.UsageFormat;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a call tells the ledger, against a real server on 127.0.0.1 that answers as OpenRouter's
 * API reference and its model-routing page describe: the response's {@code model} names the model
 * that actually served (a fallback may serve another than the one requested), {@code provider}
 * names the upstream, and {@code usage.cost} is the USD billed (usage-accounting page). Before its
 * good answer the server sends a 200 whose usage is sound but which has no choices, and a 200
 * without usage, as a flaky upstream can; both are retried and kept as paid-but-unusable.
 */
class CallLedgerOverHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Rates RATES = new Rates(2.5, 1.25, 3.0, 10.0);
  private HttpServer server;
  private final Deque<String> answers = new ArrayDeque<>();

  @BeforeEach
  void start() throws Exception {
    server = StandIn.start("/api/v1/chat/completions", ex -> {
      ex.getRequestBody().readAllBytes();
      String answer = answers.isEmpty() ? "{}" : answers.poll();
      StandIn.json(ex, 200, answer);
    });
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private PoolModel model() {
    return ModelPool.from(ConfigFactory.parseString("models = [{ model-id = gpt, tier = high,"
        + " api-model = \"openai/gpt-4o\", usage-format = openrouter, base-url = \"http://127.0.0.1:"
        + server.getAddress().getPort() + "/api/v1\", rates { input = 2.5, cache-read = 1.25,"
        + " cache-write = 3.0, output = 10.0 } }]")).models().get(0);
  }

  private ModelOutcome call() throws Exception {
    ModelClientSettings s = new ModelClientSettings(4, Duration.ofSeconds(10), 3,
        Duration.ofMillis(1), Duration.ofMillis(2), UsageFormat.AUTO);
    try (ModelClient c = new ModelClient(s, new EndpointLimiter(4), k -> null)) {
      return c.complete(model(), List.of(JSON.readTree("{\"role\":\"user\",\"content\":\"hi\"}")),
          List.of(), RequestOptions.miniDefaults());
    }
  }

  @Test
  void theServedModelTheProviderAndThePaidButUnusableResponsesAreKept() throws Exception {
    answers.add("{\"id\":\"gen-1\",\"model\":\"openai/gpt-4o\",\"choices\":[],"
        + "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":7,\"cost\":0.00257,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":0}}}");
    answers.add("{\"id\":\"gen-2\",\"model\":\"openai/gpt-4o\",\"choices\":[{\"index\":0,"
        + "\"message\":{\"role\":\"assistant\",\"content\":\"\"}}]}");
    answers.add("{\"id\":\"gen-3\",\"model\":\"openai/gpt-4o-mini\",\"provider\":\"Azure\","
        + "\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":"
        + "\"assistant\",\"content\":\"done\"}}],\"usage\":{\"prompt_tokens\":1200,"
        + "\"completion_tokens\":30,\"cost\":0.0004,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":1000}}}");
    ModelTurn turn = assertInstanceOf(ModelTurn.class, call());

    CallLedger ledger = turn.ledger();
    assertEquals("openai/gpt-4o", ledger.requestedModel());
    assertEquals("openai/gpt-4o-mini", ledger.servedModel());
    assertEquals("Azure", ledger.servedProvider());
    assertTrue(ledger.servedModelMismatch());
    // the answer kept: computed at the pool's rates, the provider's own figure beside it
    assertEquals((200 * 2.5 + 1000 * 1.25 + 30 * 10.0) / 1e6, turn.costUsd(), 1e-15);
    assertEquals(0.0004, turn.usage().billedCostUsd(), 0);

    assertEquals(2, ledger.unusable().size());
    UnusableResponse priced = ledger.unusable().get(0);
    assertEquals("gpt", priced.modelId());
    assertTrue(priced.cause().contains("no choices[0].message"), priced.cause());
    assertEquals(1000, priced.usage().inputTokens());
    assertEquals((1000 * 2.5 + 7 * 10.0) / 1e6, priced.costUsd(), 1e-15);
    UnusableResponse unknown = ledger.unusable().get(1);
    assertTrue(unknown.cause().contains("missing usage object"), unknown.cause());
    assertNull(unknown.usage());
    assertNull(unknown.costUsd());
    // each unusable answer was a retry
    assertEquals(2, turn.retries().size());
  }

  @Test
  void aDatedSnapshotOfTheRequestedAliasIsNoMismatch() {
    assertFalse(CallLedger.mismatch("gpt-4o", "gpt-4o-2024-08-06"));
    assertFalse(CallLedger.mismatch("claude-sonnet-4-5", "claude-sonnet-4-5-20250929"));
    assertFalse(CallLedger.mismatch("deepseek-chat", "DeepSeek-Chat"));
    assertFalse(CallLedger.mismatch("gpt-4o", null));
    assertTrue(CallLedger.mismatch("gpt-4o", "gpt-4o-mini"));
    assertTrue(CallLedger.mismatch("gpt-4o", "gpt-4o-mini-2024-07-18"));
    assertTrue(CallLedger.mismatch("anthropic/claude-opus-4", "anthropic/claude-sonnet-4"));
  }

  @Test
  void repricingReadsTheRawUsageAgainAtTheNewRates() throws Exception {
    ModelPool doubled = ModelPool.from(ConfigFactory.parseString("models = [{ model-id = gpt,"
        + " tier = high, usage-format = openrouter, rates { input = 5.0, cache-read = 2.5,"
        + " cache-write = 6.0, output = 20.0 } }]"));
    JsonNode row = JSON.readTree("{\"model_id\":\"gpt\",\"step_cost_usd\":0.00205,"
        + "\"raw_usage\":{\"prompt_tokens\":1200,\"completion_tokens\":30,\"cost\":0.0004,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":1000}}}");
    assertEquals((200 * 5.0 + 1000 * 2.5 + 30 * 20.0) / 1e6,
        new Repricing(doubled).applyAsDouble(row), 1e-15);
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> new Repricing(doubled).applyAsDouble(
            JSON.readTree("{\"model_id\":\"other\",\"raw_usage\":{}}")));
    assertTrue(unknown.getMessage().contains("model_id 'other' is not in the repricing pool"),
        unknown.getMessage());
    IllegalArgumentException noRaw = assertThrows(IllegalArgumentException.class,
        () -> new Repricing(doubled).applyAsDouble(JSON.readTree("{\"model_id\":\"gpt\"}")));
    assertTrue(noRaw.getMessage().contains("no raw_usage"), noRaw.getMessage());
  }
}
