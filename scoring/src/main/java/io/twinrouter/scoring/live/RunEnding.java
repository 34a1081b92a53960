package io.twinrouter.scoring.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a run ended, as twinrouter adds it to the reference's score.json: the run id, whether the
 * budget cut it short, and the cases that were never scored (not started, given up). One place,
 * so score.json written from a run directory and the one the service serves agree.
 */
public record RunEnding(
    String runId,
    boolean cutShort,
    Optional<Double> budgetUsd,
    int casesNotStarted,
    List<String> infrastructureErrors,
    Map<String, JsonNode> runFacts) {

  /**
   * What a run says of itself beyond its cases, copied into its score: the sandbox it ran and was
   * graded in, the agent's shell and limits, the rows it left out as unsupported, its router
   * timing and the steps that fell back after a failed router call, its ledger's checks ({@link
   * LedgerCheck}).
   */
  public static final List<String> RUN_FACTS = java.util.stream.Stream.concat(
      java.util.stream.Stream.of("sandbox", "agent", "unsupported_skipped", "router"),
      LedgerCheck.FIELDS.stream()).toList();

  public RunEnding {
    infrastructureErrors = List.copyOf(infrastructureErrors);
    runFacts = runFacts == null ? Map.of() : Map.copyOf(runFacts);
  }

  /** The {@link #RUN_FACTS} that {@code summary} (an eval_summary.json) holds. */
  public static Map<String, JsonNode> runFactsOf(JsonNode summary) {
    Map<String, JsonNode> facts = new LinkedHashMap<>();
    for (String key : RUN_FACTS) {
      if (summary != null && summary.has(key)) {
        facts.put(key, summary.get(key));
      }
    }
    return facts;
  }

  /** Adds the fields to a score document from {@link LiveScorer#score}. */
  public ObjectNode addTo(ObjectNode score) {
    score.put("run_id", runId);
    score.put("run_cut_short", cutShort);
    budgetUsd.ifPresent(b -> score.put("budget_usd", b));
    score.put("cases_not_started", casesNotStarted);
    ArrayNode infra = score.putArray("infrastructure_errors");
    infrastructureErrors.forEach(infra::add);
    for (String key : RUN_FACTS) {
      if (runFacts.containsKey(key)) {
        score.set(key, runFacts.get(key));
      }
    }
    return score;
  }
}
