package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code live run --router-timeout --on-router-error} on a bundled case (simulated pool, bwrap):
 * an HTTP router on loopback that answers high at once on even steps and takes 10 s on odd ones,
 * given 2 s. Under {@code end} the case ends as a router error; under {@code tier:low} the slow
 * steps go to the low model, marked in the trace and counted in score.json.
 */
class RouterTimingIT {
  static final String CASE = ReferenceAdapterIT.CASES.get(0);

  @TempDir Path dir;
  HttpServer server;
  String url;

  @BeforeEach
  void startRouter() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/route", ex -> {
      JsonNode ctx = ReferenceAdapterIT.JSON.readTree(ex.getRequestBody().readAllBytes());
      if (ctx.path("step_index").asInt() % 2 == 1) {
        try {
          Thread.sleep(10_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] out = "{\"tier\": \"high\", \"rationale\": \"own\"}".getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, out.length);
      ex.getResponseBody().write(out);
      ex.close();
    });
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort() + "/route";
  }

  @AfterEach
  void stopRouter() {
    server.stop(0);
  }

  JsonNode run(Path out, String policy) throws Exception {
    CliOutput r = CliOutput.run("live", "run", "--tasks", "bundled", "--router", url,
        "--router-name", "slow-odd", "--pool", "sim", "--sandbox", "local",
        "--instance-ids", ReferenceAdapterIT.ids(dir, List.of(CASE)).toString(),
        "--out", out.toString(), "--router-timeout", "2s", "--on-router-error", policy, "--json");
    assertEquals(0, r.exitCode(), r.stdout());
    return ReferenceAdapterIT.JSON.readTree(r.stdout());
  }

  @Test
  void underEndASlowRouterEndsTheCaseAsARouterError() throws Exception {
    Path out = dir.resolve("end");
    JsonNode score = run(out, "end");

    JsonNode result = ReferenceAdapterIT.JSON.readTree(
        out.resolve("results").resolve(CASE + ".json").toFile());
    assertTrue(result.path("agent_error").asText().startsWith("SelectDeadlineExceeded: "),
        result.path("agent_error").toString());
    assertFalse(result.path("resolved").asBoolean());
    List<JsonNode> steps = ReferenceAdapterIT.steps(out, CASE);
    assertEquals(1, steps.size(), "only step 0 was answered and billed");
    JsonNode router = score.path("router");
    assertEquals(2.0, router.path("timeout_sec").asDouble(), score.toString());
    assertEquals("end", router.path("on_error").asText());
    assertEquals(0, router.path("fallback_steps").asInt());
  }

  @Test
  void underTierLowTheSlowStepsFallBackAndAreCounted() throws Exception {
    Path out = dir.resolve("fallback");
    JsonNode score = run(out, "tier:low");

    List<JsonNode> steps = ReferenceAdapterIT.steps(out, CASE);
    int fallbacks = 0;
    for (JsonNode row : steps) {
      boolean odd = row.path("step_index").asInt() % 2 == 1;
      assertEquals(odd ? "low" : "high", row.path("tier").asText(), row.toString());
      assertEquals(odd, row.path("router_fallback").asBoolean(false), row.toString());
      if (odd) {
        fallbacks++;
        assertTrue(row.path("router_error").asText().startsWith("SelectDeadlineExceeded: "),
            row.toString());
      }
    }
    assertTrue(fallbacks >= 1, "no odd step was priced: " + steps);
    JsonNode router = score.path("router");
    assertEquals("tier:low", router.path("on_error").asText(), score.toString());
    assertEquals(2.0, router.path("timeout_sec").asDouble());
    assertEquals(fallbacks, router.path("fallback_steps").asInt());
    JsonNode result = ReferenceAdapterIT.JSON.readTree(
        out.resolve("results").resolve(CASE + ".json").toFile());
    assertFalse(result.path("agent_error").asText("").startsWith("SelectDeadlineExceeded"),
        "the case went on past its slow steps: " + result);
  }
}
