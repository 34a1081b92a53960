package io.twinrouter.orchestrator.run;

import io.twinrouter.protocol.CaseReport;
import io.twinrouter.protocol.LiveRunUpdate;

/**
 * How a case ended, as the run supervisor and the scoring actor see it.
 *
 * @param exitStatus the agent's exit status ({@code Submitted}, {@code LimitsExceeded}, an error
 *     class name), or {@code InfrastructureError} when the supervisor gave up restarting it
 * @param infrastructureError true when the case could not be run (kept apart from model failures)
 * @param detail an error text, or null
 * @param report the case's own report (what the scoring service scores); null when the supervisor
 *     gave the case up
 */
public record CaseResult(
    String caseId,
    boolean resolved,
    boolean infrastructureError,
    String exitStatus,
    double costUsd,
    int steps,
    String detail,
    CaseReport report) {

  /** A result without a case report (the supervisor's own verdicts, tests). */
  public CaseResult(String caseId, boolean resolved, boolean infrastructureError, String exitStatus,
      double costUsd, int steps, String detail) {
    this(caseId, resolved, infrastructureError, exitStatus, costUsd, steps, detail, null);
  }

  /** What the live-run registry hears of this result (the detail only for a given-up case). */
  public LiveRunUpdate.CaseFinished update(String runId) {
    return new LiveRunUpdate.CaseFinished(
        runId, caseId, report, costUsd, steps, report == null ? detail : null);
  }

  static CaseResult infrastructure(String caseId, double costUsd, int steps, String detail) {
    return new CaseResult(caseId, false, true, "InfrastructureError", costUsd, steps, detail);
  }
}
