package io.twinrouter.scoring.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveScorerTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static final RunIdentity RUN =
      new RunIdentity("r", "/runs/r", "a|b", 12, "anthropic/claude-opus-4.6");

  @TempDir Path dir;

  @Test
  void billIsApiCostPlusPenaltyPerUnresolvedCase() throws Exception {
    // the reference's synthetic two-instance run: 0.35 API spend, one unresolved case
    writeCase("a__a-1", true, List.of(0.10, 0.15), null, null);
    writeCase("b__b-2", false, List.of(0.10), null, null);
    ObjectNode s = LiveScorer.score(RUN, RunDirectory.read(dir), ScoreOptions.defaults(0.60));
    assertEquals(0.95, s.get("total_leaderboard_bill_usd").asDouble(), 1e-12);
    assertEquals(0.35, s.get("total_router_cost_usd").asDouble(), 1e-12);
    assertEquals(0.60, s.get("total_penalty_cost_usd").asDouble(), 1e-12);
    assertEquals(1, s.get("resolved_count").asInt());
    assertEquals(0.5, s.get("resolved_rate").asDouble());
    assertEquals(1.5, s.get("avg_steps").asDouble());
    assertEquals(0.95, s.get("avg_cost_per_resolved_usd").asDouble(), 1e-12);
    assertEquals("12.a|b", s.get("pricing_fingerprint").asText());
    JsonNode second = s.get("per_instance").get(1);
    assertEquals("b__b-2", second.get("instance_id").asText());
    assertEquals(0.70, second.get("instance_bill_usd").asDouble(), 1e-12);
    assertEquals(1, second.get("step_count").asInt());
  }

  @Test
  void nothingResolvedGivesInfiniteCostPerResolved() throws Exception {
    writeCase("a__a-1", false, List.of(0.2), null, null);
    ObjectNode s = LiveScorer.score(RUN, RunDirectory.read(dir), ScoreOptions.defaults(0.60));
    assertTrue(Double.isInfinite(s.get("avg_cost_per_resolved_usd").asDouble()));
  }

  @Test
  void infraFailuresCanBeExcludedButStayListed() throws Exception {
    writeCase("a__a-1", true, List.of(0.2), null, null);
    writeCase("b__b-2", false, List.of(0.3), "APIError: HTTP 503 from upstream", null);
    var opts = new ScoreOptions(0.60, Optional.empty(), true, Optional.empty());
    ObjectNode s = LiveScorer.score(RUN, RunDirectory.read(dir), opts);
    assertEquals(0.2, s.get("total_leaderboard_bill_usd").asDouble(), 1e-12);
    assertEquals(1, s.get("instance_count").asInt());
    assertEquals(2, s.get("raw_instance_count").asInt());
    assertEquals(1, s.get("infra_excluded_count").asInt());
    assertTrue(s.get("per_instance").get(1).get("excluded_from_metrics").asBoolean());
  }

  @Test
  void allowlistKeepsOnlyListedCasesAndNamesMissingOnes() throws Exception {
    writeCase("a__a-1", true, List.of(0.2), null, null);
    writeCase("b__b-2", false, List.of(0.3), null, null);
    var opts =
        new ScoreOptions(0.60, Optional.of(1.0), false, Optional.of(Set.of("b__b-2", "c__c-3")));
    ObjectNode s = LiveScorer.score(RUN, RunDirectory.read(dir), opts);
    assertEquals(1, s.get("instance_count").asInt());
    assertEquals(1.3, s.get("total_leaderboard_bill_usd").asDouble(), 1e-12);
    assertEquals(0.60, s.get("failure_penalty_usd").asDouble());
    assertEquals(1.0, s.get("fixed_failure_penalty_usd").asDouble());
    assertEquals("c__c-3", s.get("allowlist_missing_ids").get(0).asText());
  }

  @Test
  void aMissingTraceIsAnErrorNamingTheFile() throws Exception {
    Files.createDirectories(dir.resolve("results"));
    Files.writeString(
        dir.resolve("results/x__x-1.json"), "{\"instance_id\":\"x__x-1\",\"resolved\":true}");
    var e = assertThrows(RunDirectory.RunDirException.class, () -> RunDirectory.read(dir));
    assertTrue(e.getMessage().contains("x__x-1.json"), e.getMessage());
  }

  @Test
  void leaderboardRanksByBillWithinOnePricingFingerprint() {
    var cheap = LiveScorer.score(RUN, List.of(outcome("a", true, 0.5)), ScoreOptions.defaults(0.6));
    var dear = LiveScorer.score(
        new RunIdentity("dear", "d", "a|b", 12, "x"),
        List.of(outcome("a", false, 0.1)),
        ScoreOptions.defaults(0.6));
    var other = LiveScorer.score(
        new RunIdentity("other", "o", "c", 3, "x"), List.of(outcome("a", true, 9)), ScoreOptions.defaults(0.6));
    Map<String, List<JsonNode>> ranked = Leaderboard.rank(List.of(dear, other, cheap));
    assertEquals(2, ranked.size());
    assertEquals("r", ranked.get("12.a|b").get(0).get("router_label").asText());
    String table = Leaderboard.render(List.of(dear, other, cheap));
    assertTrue(table.contains("warning"), table);
    assertTrue(table.contains("pricing group 1 of 2\n") && table.contains("pricing group 2 of 2\n"), table);
    assertFalse(table.contains("a|b"), "the fingerprint belongs in score.json, not the table: " + table);
  }

  @Test
  void aLeaderboardOfComparableRunsStartsWithItsHeader() {
    var cheap = LiveScorer.score(RUN, List.of(outcome("a", true, 0.5)), ScoreOptions.defaults(0.6));
    String table = Leaderboard.render(List.of(cheap));
    assertTrue(table.startsWith("rank router"), table);
    assertFalse(table.contains("pricing"), table);
  }

  private static CaseOutcome outcome(String id, boolean resolved, double cost) {
    return new CaseOutcome(id, resolved, 3, cost, Map.of("m", 3), true, null, null);
  }

  private void writeCase(
      String id, boolean resolved, List<Double> stepCosts, String agentError, String evalError)
      throws Exception {
    Files.createDirectories(dir.resolve("results"));
    StringBuilder trace = new StringBuilder();
    int i = 0;
    for (double c : stepCosts) {
      trace.append(M.writeValueAsString(Map.of("instance_id", id, "step_index", i++, "step_cost_usd", c)))
          .append('\n');
    }
    trace.append("{\"__marker__\":\"loop_summary\",\"instance_id\":\"").append(id).append("\"}\n");
    Files.writeString(dir.resolve(id + ".trace.jsonl"), trace);
    ObjectNode r = M.createObjectNode();
    r.put("instance_id", id);
    r.put("resolved", resolved);
    r.put("patch_applied", resolved);
    r.put("agent_error", agentError);
    r.put("eval_error", evalError);
    r.putObject("model_distribution").put("m", stepCosts.size());
    Files.writeString(dir.resolve("results/" + id + ".json"), M.writeValueAsString(r));
  }
}
