package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinrouter.bank.BundledBank;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.TwinrouterSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code static route --router proxy:URL} over the bundled bank with the example routing proxy:
 * the gateway answers its upstream calls with canned completions, and each row's prediction is
 * the tier of the model the proxy chose, as its own log says.
 */
class StaticRouteProxyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ModelPool POOL = TwinrouterSettings.load().pool();

  @TempDir Path dir;

  private ServeCommandTest.Run route(RoutingProxy proxy, int gatewayPort, Path out) {
    return ServeCommandTest.cli("static", "route", "--bank", "bundled",
        "--router", proxy.routerName(), "--proxy-model", "rule-proxy",
        "--gateway-port", String.valueOf(gatewayPort), "--out", out.toString(),
        "--concurrency", "8");
  }

  @Test
  void eachPredictionIsTheModelTheProxyChose() throws Exception {
    int gateway = RoutingProxy.freePort();
    Path out = dir.resolve("preds.jsonl");
    ServeCommandTest.Run run;
    List<JsonNode> choices;
    try (RoutingProxy proxy = RoutingProxy.start(gateway, POOL, "route", dir.resolve("log"))) {
      run = route(proxy, gateway, out);
      choices = proxy.choices();
    }
    assertEquals(0, run.status(), run.err());
    Map<String, String> chosen = new HashMap<>();
    for (JsonNode c : choices) {
      assertEquals(200, c.path("status").asInt(), c.toString());
      chosen.put(RoutingProxy.withoutMarker(c.path("first_user").asText()) + "#"
          + c.path("n_messages").asInt(), c.path("model").asText());
    }
    Map<String, JsonNode> rows = new HashMap<>();
    for (String line : new String(BundledBank.bytes(), StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        JsonNode row = JSON.readTree(line);
        rows.put(row.path("id").asText(), row);
      }
    }
    List<String> predictions = Files.readAllLines(out);
    assertEquals(rows.size(), predictions.size());
    // every row asked once, the first twice (the check before the run)
    assertEquals(rows.size() + 1, choices.size());
    for (String line : predictions) {
      JsonNode p = JSON.readTree(line);
      assertFalse(p.has("error"), line);
      JsonNode messages = rows.get(p.path("id").asText()).path("messages");
      String firstUser = "";
      for (JsonNode m : messages) {
        if ("user".equals(m.path("role").asText())) {
          firstUser = m.path("content").asText();
          break;
        }
      }
      String model = chosen.get(firstUser + "#" + messages.size());
      assertEquals(POOL.byId(model).orElseThrow().tier().wireName(), p.path("tier").asText(),
          line);
    }
  }

  @Test
  void aProxyThatAnswersWithoutItsUpstreamLeavesErrorRows() throws Exception {
    int gateway = RoutingProxy.freePort();
    Path out = dir.resolve("preds.jsonl");
    ServeCommandTest.Run run;
    try (RoutingProxy proxy = RoutingProxy.start(gateway, POOL, "self-answer",
        dir.resolve("log"))) {
      run = route(proxy, gateway, out);
    }
    assertEquals(1, run.status(), run.err());
    for (String line : Files.readAllLines(out)) {
      assertTrue(JSON.readTree(line).path("error").asText()
          .contains("without calling any pool model through the gateway"), line);
    }
  }

  @Test
  void aProxyCallingAModelOutsideThePoolIsRefusedByTheGateway() throws Exception {
    int gateway = RoutingProxy.freePort();
    Path out = dir.resolve("preds.jsonl");
    ServeCommandTest.Run run;
    List<JsonNode> choices;
    try (RoutingProxy proxy = RoutingProxy.start(gateway, POOL, "outside-pool",
        dir.resolve("log"))) {
      run = route(proxy, gateway, out);
      choices = proxy.choices();
    }
    assertEquals(1, run.status(), run.err());
    assertFalse(choices.isEmpty());
    for (JsonNode c : choices) {
      assertEquals(404, c.path("status").asInt(), c.toString());
    }
    for (String line : Files.readAllLines(out)) {
      assertTrue(JSON.readTree(line).has("error"), line);
    }
  }
}
