package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.orchestrator.live.LiveRunChecks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code live run --router proxy:URL}: the example routing proxy (a real server on loopback,
 * choosing by its own rule) answers every step of real cases in real sandboxes through the
 * metering gateway, which forwards to the simulated pool. The bill is what the gateway metered
 * and every step's model and tier is the proxy's own choice, with eight cases at once.
 */
class ProxyLiveRunIT {
  private static final ModelPool POOL = TwinrouterSettings.load().pool();

  @TempDir Path dir;

  private int run(RoutingProxy proxy, int gatewayPort, Path out, int workers, String... more)
      throws IOException {
    List<String> args = new ArrayList<>(List.of("live", "run", "--router", proxy.routerName(),
        "--proxy-model", "rule-proxy", "--gateway-port", String.valueOf(gatewayPort),
        "--sandbox", "local", "--workers", String.valueOf(workers), "--seed", "11",
        "--out", out.toString()));
    args.addAll(List.of(more));
    return CliOutput.run(args.toArray(String[]::new)).exitCode();
  }

  /** The gateway's log: the cost of each (case, step) and the models it called for it. */
  private record Metered(Map<String, Double> cost, Map<String, List<String>> models,
      double total) {}

  private static Metered metered(Path out) throws IOException {
    Map<String, Double> cost = new HashMap<>();
    Map<String, List<String>> models = new HashMap<>();
    double total = 0;
    for (String line : Files.readAllLines(out.resolve("gateway-calls.jsonl"))) {
      JsonNode c = LiveRunChecks.json(Files.writeString(out.resolve("line.json"), line));
      String key = c.path("case_id").asText() + "#" + c.path("step_index").asInt();
      assertFalse(c.path("case_id").isNull(), line);
      cost.merge(key, c.path("cost_usd").asDouble(), Double::sum);
      models.computeIfAbsent(key, k -> new ArrayList<>()).add(c.path("model_id").asText());
      total += c.path("cost_usd").asDouble();
    }
    return new Metered(cost, models, total);
  }

  private static List<JsonNode> steps(Path out, String id) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve(id + ".trace.jsonl"))) {
      JsonNode row = LiveRunChecks.json(Files.writeString(out.resolve("row.json"), line));
      if (!row.has("__marker__")) {
        rows.add(row);
      }
    }
    return rows;
  }

  private static List<String> caseIds(Path out) throws IOException {
    List<String> ids = new ArrayList<>();
    try (var files = Files.list(out.resolve("results"))) {
      files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json"))
          .forEach(n -> ids.add(n.substring(0, n.length() - ".json".length())));
    }
    return ids;
  }

  /**
   * Checks every traced step against the gateway's log and the run's bill against the sum; the
   * gateway's calls for steps the trace lacks are format errors, which the reference never bills
   * (quirk 2.1.9), directly or through a proxy. Returns the bill.
   */
  private static double checkBill(Path out, Metered m) throws IOException {
    double traced = 0;
    double resultsTotal = 0;
    double untraced = m.total();
    for (String id : caseIds(out)) {
      for (JsonNode row : steps(out, id)) {
        String key = id + "#" + row.path("step_index").asInt();
        assertEquals(m.cost().get(key), row.path("step_cost_usd").asDouble(), 1e-12, key);
        assertEquals(m.models().get(key).get(m.models().get(key).size() - 1),
            row.path("model_id").asText(), key);
        traced += row.path("step_cost_usd").asDouble();
        untraced -= m.cost().get(key);
      }
      resultsTotal += LiveRunChecks.json(out.resolve("results").resolve(id + ".json"))
          .path("total_router_cost_usd").asDouble();
    }
    assertEquals(traced, resultsTotal, 1e-9);
    JsonNode score = LiveRunChecks.json(out.resolve("score.json"));
    assertEquals(traced, score.path("total_router_cost_usd").asDouble(), 1e-9,
        score.toString());
    assertTrue(untraced >= -1e-9, "untraced " + untraced);
    System.err.printf("proxy run: bill $%.6f, gateway total $%.6f (format errors $%.6f)%n",
        traced, m.total(), untraced);
    return traced;
  }

  @Test
  void theBundledSuiteThroughAProxyIsBilledAndTieredAsTheGatewaySawIt() throws Exception {
    int gateway = RoutingProxy.freePort();
    Path out = dir.resolve("route");
    List<JsonNode> choices;
    try (RoutingProxy proxy = RoutingProxy.start(gateway, POOL, "route", dir.resolve("log"))) {
      assertEquals(0, run(proxy, gateway, out, 8));
      choices = proxy.choices();
    }
    List<String> ids = caseIds(out);
    assertEquals(13, ids.size());
    double bill = checkBill(out, metered(out));
    assertTrue(bill > 0);
    Map<String, String> chosen = new HashMap<>();
    for (JsonNode c : choices) {
      chosen.put(RoutingProxy.withoutMarker(c.path("first_user").asText()) + "#"
          + c.path("n_messages").asInt(), c.path("model").asText());
    }
    int checked = 0;
    for (String id : ids) {
      JsonNode traj = LiveRunChecks.json(out.resolve(id + ".mini_traj.json"));
      String firstUser = traj.path("messages").path(1).path("content").asText();
      for (JsonNode row : steps(out, id)) {
        String model = chosen.get(firstUser + "#" + row.path("prompt_messages_count").asInt());
        assertEquals(model, row.path("model_id").asText(), id + " " + row);
        assertEquals(POOL.byId(model).orElseThrow().tier().wireName(), row.path("tier").asText());
        assertTrue(row.path("router_decision_ms").asDouble() >= 0);
        checked++;
      }
    }
    assertTrue(checked > 13 * 2, "steps checked: " + checked);
    assertEquals(8, mostCasesAtOnce(out, ids), "cases whose steps overlapped in time");
  }

  /** The most cases with a step in flight at one moment: each case from its first to last call. */
  private static int mostCasesAtOnce(Path out, List<String> ids) throws IOException {
    List<double[]> edges = new ArrayList<>();
    for (String id : ids) {
      List<JsonNode> rows = steps(out, id);
      edges.add(new double[] {rows.get(0).path("started_at").asDouble(), 1});
      edges.add(new double[] {rows.get(rows.size() - 1).path("finished_at").asDouble(), -1});
    }
    edges.sort((a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
    int now = 0;
    int most = 0;
    for (double[] e : edges) {
      now += (int) e[1];
      most = Math.max(most, now);
    }
    return most;
  }

  @Test
  void aStepWithSeveralUpstreamCallsBillsAndListsEachOfThem() throws Exception {
    int gateway = RoutingProxy.freePort();
    Path out = dir.resolve("cascade");
    try (RoutingProxy proxy = RoutingProxy.start(gateway, POOL, "cascade", dir.resolve("log"))) {
      assertEquals(0, run(proxy, gateway, out, 2, "--instance-ids",
          LiveRunChecks.idsFile(dir, PersonaLiveRunIT.CASES).toString()));
    }
    Metered m = metered(out);
    checkBill(out, m);
    for (String id : PersonaLiveRunIT.CASES) {
      for (JsonNode row : steps(out, id)) {
        JsonNode calls = row.path("upstream_calls");
        assertEquals(2, calls.size(), row.toString());
        double sum = 0;
        for (JsonNode c : calls) {
          sum += c.path("cost_usd").asDouble();
        }
        assertEquals(row.path("step_cost_usd").asDouble(), sum, 1e-12);
        assertEquals(m.models().get(id + "#" + row.path("step_index").asInt()).get(0),
            calls.get(0).path("model_id").asText());
      }
    }
  }

  @Test
  void aProxyAnsweringOnItsOwnEndsTheCaseAsARouterError() throws Exception {
    int gateway = RoutingProxy.freePort();
    Path out = dir.resolve("self");
    String id = PersonaLiveRunIT.CASES.get(0);
    try (RoutingProxy proxy = RoutingProxy.start(gateway, POOL, "self-answer",
        dir.resolve("log"))) {
      run(proxy, gateway, out, 1, "--instance-ids",
          LiveRunChecks.idsFile(dir, List.of(id)).toString());
    }
    JsonNode result = LiveRunChecks.json(out.resolve("results").resolve(id + ".json"));
    assertTrue(result.toString().contains("without calling any pool model through the gateway"),
        result.toString());
    assertFalse(result.path("resolved").asBoolean());
    assertEquals(0.0, result.path("total_router_cost_usd").asDouble());
  }
}
