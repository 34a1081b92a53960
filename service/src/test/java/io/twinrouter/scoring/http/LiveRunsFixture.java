package io.twinrouter.scoring.http;

import io.twinrouter.protocol.CaseReport;
import io.twinrouter.protocol.LiveRunUpdate;
import java.util.List;
import java.util.Map;

/** Real updates of a live run, as a run sends them: reports built as the case runner builds them. */
final class LiveRunsFixture {
  static final String POOL = "pool-fp";
  static final String HIGH = "sim-high";

  private LiveRunsFixture() {}

  static LiveRunUpdate.RunStarted started(String runId, List<String> caseIds) {
    return new LiveRunUpdate.RunStarted(runId, "always-high", "/tmp/" + runId, caseIds, List.of(),
        POOL, 1, HIGH, 0.60, null);
  }

  static LiveRunUpdate.CaseFinished reported(String runId, String caseId, boolean resolved,
      double costUsd, int pricedSteps) {
    CaseReport report = new CaseReport(runId, caseId, "always-high", "Submitted", resolved, resolved,
        false, costUsd, pricedSteps, pricedSteps, resolved ? "diff --git a/x b/x\n" : "", null,
        null, Map.of(HIGH, pricedSteps), 0L, 10L, "/tmp/" + runId + "/results/" + caseId + ".json");
    return new LiveRunUpdate.CaseFinished(runId, caseId, report, costUsd, pricedSteps, null);
  }

  static LiveRunUpdate.CaseFinished givenUp(String runId, String caseId, double spendUsd) {
    return new LiveRunUpdate.CaseFinished(runId, caseId, null, spendUsd, 0,
        "sandbox engine gone");
  }

  static LiveRunUpdate.RunFinished finished(String runId, String... infraErrors) {
    return new LiveRunUpdate.RunFinished(runId, false, List.of(), List.of(infraErrors));
  }
}
