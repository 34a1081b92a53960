package io.twinrouter.scoring.live;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
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
    List<String> infrastructureErrors) {

  public RunEnding {
    infrastructureErrors = List.copyOf(infrastructureErrors);
  }

  /** Adds the fields to a score document from {@link LiveScorer#score}. */
  public ObjectNode addTo(ObjectNode score) {
    score.put("run_id", runId);
    score.put("run_cut_short", cutShort);
    budgetUsd.ifPresent(b -> score.put("budget_usd", b));
    score.put("cases_not_started", casesNotStarted);
    ArrayNode infra = score.putArray("infrastructure_errors");
    infrastructureErrors.forEach(infra::add);
    return score;
  }
}
