package io.twinrouter.scoring.gap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.scoring.service.ServedBank;
import io.twinrouter.scoring.service.StaticEvaluations;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gap report on {@link GapExample}, every figure computed by hand: real files, the real
 * static scorer, a built-in router routed over the bank, the real run-directory reader.
 */
class GapReportTest {
  static final double EPS = 1e-9;

  @TempDir Path dir;
  GapExample example;
  ExecutorService workers;

  @BeforeEach
  void setUp() throws Exception {
    example = new GapExample(dir);
    workers = Executors.newFixedThreadPool(2);
  }

  @AfterEach
  void tearDown() {
    workers.shutdownNow();
  }

  ObjectNode report(List<Path> runs, Map<String, Path> predictions) throws Exception {
    TwinrouterSettings settings = TwinrouterSettings.load();
    GapService gap = new GapService(new StaticEvaluations(settings), workers,
        new GapSources(runs, predictions, GapReport.Settings.defaults(0.60)));
    return gap.report(ServedBank.of("gapbank", example.load()), Optional.empty()).toCompletableFuture().join();
  }

  ObjectNode fullReport() throws Exception {
    return report(List.of(example.runA, example.runB, example.runC),
        Map.of("router-a", example.predictionsA, "router-b", example.predictionsB));
  }

  static JsonNode router(JsonNode report, String label) {
    for (JsonNode r : report.get("routers")) {
      if (r.get("router").asText().equals(label)) {
        return r;
      }
    }
    throw new AssertionError("no router " + label + " in " + report);
  }

  static JsonNode pair(JsonNode report, String a, String b) {
    for (JsonNode p : report.get("pairs")) {
      if (p.get("a").asText().equals(a) && p.get("b").asText().equals(b)) {
        return p;
      }
    }
    throw new AssertionError("no pair " + a + "/" + b + " in " + report);
  }

  @Test
  void staticScoresLiveTotalsAndParetoPositionsAreTheHandComputedOnes() throws Exception {
    JsonNode report = fullReport();
    assertEquals(7, report.get("bank_rows").asInt());

    JsonNode a = router(report, "router-a");
    assertEquals(100.0 * 5 / 7, a.at("/static/case_pass_rate_percent").asDouble(), EPS);
    assertEquals(100.0 * 3 / 7, a.at("/static/case_exact_match_percent").asDouble(), EPS);
    // TRAJPASS is row-weighted: c1 (2 rows), c3, c4, c6 pass, of 7 rows
    assertEquals(100.0 * 5 / 7, a.at("/static/trajectory_pass_rate_percent").asDouble(), EPS);
    JsonNode b = router(report, "router-b");
    assertEquals(100.0 * 6 / 7, b.at("/static/case_pass_rate_percent").asDouble(), EPS);
    assertEquals(1, b.at("/static/error_rows").asInt(), "the router-error row");
    JsonNode c = router(report, "router-c");
    assertEquals("routed:always-low", c.get("predictions").asText());
    assertEquals(100.0 * 3 / 7, c.at("/static/case_pass_rate_percent").asDouble(), EPS);

    assertEquals(8, a.at("/live/cases").asInt());
    assertEquals(3, a.at("/live/resolved").asInt());
    assertEquals(0.375, a.at("/live/resolved_rate").asDouble(), EPS);
    assertEquals(0.20, a.at("/live/api_cost_usd").asDouble(), EPS);
    assertEquals(5 * 0.60, a.at("/live/penalty_usd").asDouble(), EPS);
    assertEquals(3.20, a.at("/live/bill_usd").asDouble(), EPS);
    assertEquals(0.80, b.at("/live/bill_usd").asDouble(), EPS);
    assertEquals(0.80 + 7 * 0.60, c.at("/live/bill_usd").asDouble(), EPS);

    // A (0.20, 3/8) and B (0.80, 8/8) are on the frontier; C (0.80, 1/8) is dominated by B
    assertTrue(a.at("/live/pareto_optimal").asBoolean());
    assertTrue(b.at("/live/pareto_optimal").asBoolean());
    assertFalse(c.at("/live/pareto_optimal").asBoolean());

    // every case resolved: every resample resolves all; else the interval brackets the rate
    assertEquals(1.0, b.at("/live/resolved_rate_low").asDouble(), 0.0);
    assertEquals(1.0, b.at("/live/resolved_rate_high").asDouble(), 0.0);
    double low = a.at("/live/resolved_rate_low").asDouble();
    double high = a.at("/live/resolved_rate_high").asDouble();
    assertTrue(low < 0.375 && 0.375 < high && low >= 0 && high <= 1, low + " " + high);
    assertEquals(report, fullReport(), "seeded: the same report twice");

    // the tier of every priced step, from the traces
    JsonNode c1 = a.get("cases").get(0);
    assertEquals("c1", c1.get("instance_id").asText());
    assertEquals(List.of("low", "mid"), texts(c1.get("tiers")));
    assertEquals(0.03, c1.get("api_cost_usd").asDouble(), EPS);
  }

  @Test
  void agreementJoinsBankRowsToLiveCasesByInstanceIdAndNamesTheCasesWithoutRows() throws Exception {
    JsonNode report = fullReport();
    // A: static T F T T F T, live T F T F F T (c1-c6)
    JsonNode a = router(report, "router-a").get("agreement");
    assertEquals(6, a.get("cases_joined").asInt());
    assertEquals(List.of("c7", "c8"), texts(a.get("cases_without_bank_rows")));
    assertEquals(List.of(3, 1, 0, 2), counts(a));
    assertEquals(5.0 / 6, a.get("rate").asDouble(), EPS);
    assertEquals(2.0 / 3, a.get("kappa").asDouble(), EPS);
    // B: the error row fails c2's static verdict; live resolves everything
    JsonNode b = router(report, "router-b").get("agreement");
    assertEquals(List.of(5, 0, 1, 0), counts(b));
    assertTrue(b.get("kappa").isNull(), "kappa is undefined when one side never varies: " + b);
    assertEquals("every joined case resolved live, so agreement is all chance", b.get("kappa_undefined").asText());
    assertFalse(a.has("kappa_undefined"), a.toString());
    assertTrue(GapTable.render(report).contains(
        "router-b: kappa undefined (-): every joined case resolved live, so agreement is all chance"),
        GapTable.render(report));
    // C (routed always-low): static F F F T F T, live T F F F F F
    JsonNode c = router(report, "router-c").get("agreement");
    assertEquals(List.of(0, 2, 1, 3), counts(c));
    assertEquals(0.5, c.get("rate").asDouble(), EPS);
    assertEquals(-2.0 / 7, c.get("kappa").asDouble(), EPS);

    JsonNode cases = router(report, "router-a").get("cases");
    assertEquals(List.of(true, false, true, true, false, true),
        List.of(0, 1, 2, 3, 4, 5).stream().map(i -> cases.get(i).get("static_pass").asBoolean()).toList());
    assertTrue(cases.get(6).get("static_pass").isNull(), "c7 has no bank rows");
    assertFalse(report.toString().contains("target_tier"), "no label leaves the report");
  }

  @Test
  void pairsGetTheExactMcNemarTestAndTheMinimumDetectableDifference() throws Exception {
    JsonNode report = fullReport();
    assertEquals(3, report.get("pairs").size());
    // A vs B: B alone resolves c2 c4 c5 c7 c8; p = 2 * (1/2)^5
    JsonNode ab = pair(report, "router-a", "router-b");
    assertEquals(8, ab.get("cases").asInt());
    assertEquals(0, ab.get("only_a").asInt());
    assertEquals(5, ab.get("only_b").asInt());
    assertEquals(2.0 / 32, ab.get("mcnemar_p").asDouble(), EPS);
    assertEquals(3.0 / 8 - 1, ab.get("difference").asDouble(), EPS);
    // 5 discordant of 8: even a difference of 5/8 is not detectable at 80% power
    assertTrue(ab.get("min_detectable_difference").isNull());
    // A vs C: A alone resolves c3 c6; p = min(1, 2 * (1/2)^2)
    JsonNode ac = pair(report, "router-a", "router-c");
    assertEquals(List.of(2, 0), List.of(ac.get("only_a").asInt(), ac.get("only_b").asInt()));
    assertEquals(0.5, ac.get("mcnemar_p").asDouble(), EPS);
    // B vs C: 7 discordant of 8; p = 2 * (1/2)^7; Connor's formula solved by hand:
    // sqrt(8) d = 1.959964 sqrt(0.875) + 0.841621 sqrt(0.875 - d^2) at d = 0.794913
    JsonNode bc = pair(report, "router-b", "router-c");
    assertEquals(2.0 / 128, bc.get("mcnemar_p").asDouble(), EPS);
    assertEquals(0.875, bc.get("planning_discordance").asDouble(), EPS);
    assertEquals(0.7949127867, bc.get("min_detectable_difference").asDouble(), 1e-6);
  }

  @Test
  void aRouterThatIsNotBuiltInNeedsAPredictionFileAndUnknownRunsAreNamed() throws Exception {
    CompletionException e = assertThrows(CompletionException.class,
        () -> report(List.of(example.runA), Map.of()));
    assertTrue(e.getCause() instanceof GapService.GapInputException, e.toString());
    assertTrue(e.getCause().getMessage().contains("router-a"), e.getCause().getMessage());
    CompletionException missing = assertThrows(CompletionException.class,
        () -> report(List.of(dir.resolve("nowhere")), Map.of()));
    assertTrue(missing.getCause().getMessage().contains("nowhere"), missing.getCause().getMessage());
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  static List<Integer> counts(JsonNode agreement) {
    return List.of(agreement.get("both_pass").asInt(), agreement.get("static_only").asInt(),
        agreement.get("live_only").asInt(), agreement.get("neither").asInt());
  }
}
