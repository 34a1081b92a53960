package io.twinrouter.agent.casework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.twinrouter.agent.loop.Scripted;
import io.twinrouter.router.RouterEnvironment;
import io.twinrouter.router.catalog.Routers;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Whole cases (scripted model and sandbox) with real routers: a built-in one and HTTP on loopback. */
class RouterChooserTest extends CaseHarness {

  HttpServer server;
  final List<JsonNode> bodies = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** An HTTP router on 127.0.0.1 that waits {@code delayMs}, then answers {@code answer}. */
  String serve(String answer, long delayMs) throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/route", ex -> {
      bodies.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
      try {
        Thread.sleep(delayMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] out = answer.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, out.length);
      ex.getResponseBody().write(out);
      ex.close();
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/route";
  }

  RouterChooser chooser(String name, Duration routerTimeout) {
    var env = RouterEnvironment.of(SETTINGS).withSelectTimeout(routerTimeout);
    return new RouterChooser(Routers.byName(name, env), Executors.newCachedThreadPool());
  }

  Scripted.Model twoSteps() {
    return new Scripted.Model(
        Scripted.bash("THOUGHT: look", usage(), "ls"),
        Scripted.bash("THOUGHT: submit", usage(), SUBMIT));
  }

  @Test
  void aBuiltInRouterChoosesThePoolModelOfItsTier() throws Exception {
    Run r = run(limits(250, 3.0, Duration.ofSeconds(5)), twoSteps(),
        chooser("always-mid", Duration.ofSeconds(5)));
    assertEquals("Submitted", r.report().exitStatus());
    assertEquals(Map.of("minimax/minimax-m2.7", 2), r.report().modelDistribution());
    assertEquals("mid", r.trace().get(0).get("tier").asText());
  }

  @Test
  void anHttpRouterSeesTheLiveContextOfSpec11() throws Exception {
    String url = serve("{\"tier\": \"low\", \"rationale\": \"cheap is fine\"}", 0);
    Run r = run(limits(250, 3.0, Duration.ofSeconds(5)), twoSteps(), chooser(url, Duration.ofSeconds(5)));
    assertEquals("Submitted", r.report().exitStatus());
    assertEquals(Map.of(CHEAP, 2), r.report().modelDistribution());
    assertEquals("cheap is fine", r.trace().get(0).get("rationale").asText());

    assertEquals(2, bodies.size());
    JsonNode second = bodies.get(1);
    assertEquals("live", second.get("track").asText());
    assertEquals("django__django-1", second.get("instance_id").asText());
    assertEquals(1, second.get("step_index").asInt());
    assertEquals(0, second.get("tools").size(), "the mini scaffold exposes no tools to routers");
    assertEquals(4, second.get("messages").size());
    assertTrue(second.get("messages").get(2).has("extra"), "live messages carry mini's extra");
    assertEquals(4, second.get("available_models").size());
    JsonNode cache = second.get("cache_state");
    assertEquals(300, cache.get("wallclock_ttl_sec").asInt());
    JsonNode deepseek = cache.get("by_model").get(CHEAP);
    assertEquals(1_000, deepseek.get("prefix_token_count").asInt());
    assertEquals(64, deepseek.get("prefix_hash").asText().length());
    assertTrue(cache.get("by_model").get(OPUS).get("last_call_ts").isNull());
    assertTrue(second.get("budget_so_far_usd").asDouble() > 0);
    assertEquals(250, second.get("run_config").get("max_steps").asInt());
    assertEquals(5.0, second.get("run_config").get("select_timeout_sec").asDouble());
  }

  @Test
  void theRoutersDecisionKeepsItsTierAndTimeUpToTheTraceRow() throws Exception {
    // The router client measures from sending the request to the parsed answer; that figure, not
    // a second clock in the case, is the row's router_decision_ms.
    String url = serve("{\"tier\": \"high\", \"rationale\": \"hard\"}", 150);
    Run r = run(limits(250, 3.0, Duration.ofSeconds(5)), twoSteps(), chooser(url, Duration.ofSeconds(5)));
    assertEquals("Submitted", r.report().exitStatus());
    JsonNode row = r.trace().get(0);
    assertEquals("high", row.get("tier").asText());
    assertEquals(OPUS, row.get("model_id").asText());
    double ms = row.get("router_decision_ms").asDouble();
    assertTrue(ms >= 150 && ms < 5_000, "router_decision_ms " + ms);
  }

  @Test
  void aSlowHttpRouterMeetsTheEnforcedSelectTimeout() throws Exception {
    // the router client itself would wait 20 s; the case enforces its own 0.3 s
    String url = serve("{\"tier\": \"low\"}", 3_000);
    Run r = run(limits(250, 3.0, Duration.ofMillis(300)), twoSteps(), chooser(url, Duration.ofSeconds(20)));
    assertEquals("SelectDeadlineExceeded", r.report().exitStatus());
    assertFalse(r.report().resolved());
    assertEquals(0.0, r.report().apiCostUsd());
    assertTrue(r.model().modelIds.isEmpty(), "no model call without a decision");
  }

  @Test
  void anHttpRouterOutsideThePoolEndsTheCase() throws Exception {
    String url = serve("{\"model_id\": \"openai/gpt-9\"}", 0);
    Run r = run(limits(250, 3.0, Duration.ofSeconds(5)), twoSteps(), chooser(url, Duration.ofSeconds(5)));
    assertEquals("InvalidRouterDecision", r.report().exitStatus());
    assertTrue(r.report().agentError().contains("openai/gpt-9"), r.report().agentError());
  }
}
