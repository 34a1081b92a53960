package io.twinrouter.orchestrator.run;

import java.util.List;

/**
 * A snapshot of a run: counts of cases, steps and spend, and whether the budget cut it short.
 *
 * @param failed cases ended as infrastructure errors
 * @param notStarted cases never started because the budget was reached
 */
public record RunProgress(
    String runId,
    int total,
    int done,
    int running,
    int failed,
    int notStarted,
    long steps,
    double spendUsd,
    boolean budgetReached,
    boolean finished,
    List<CaseResult> results) {

  public RunProgress {
    results = List.copyOf(results);
  }
}
