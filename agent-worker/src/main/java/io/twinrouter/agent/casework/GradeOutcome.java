package io.twinrouter.agent.casework;

import io.twinrouter.agent.records.CaseReports;

/**
 * The verdict of grading one patch (live-track spec 4.5). Counts are null when no report was read.
 *
 * @param evalError why no verdict could be read, else null
 */
public record GradeOutcome(
    boolean resolved,
    boolean patchApplied,
    String evalError,
    String evalReportPath,
    Integer failToPassPass,
    Integer failToPassFail,
    Integer passToPassPass,
    Integer passToPassFail) implements CaseReports.Verdict {

  /** The reference's short-circuit for an empty or whitespace patch: nothing is evaluated. */
  public static GradeOutcome noPatch() {
    return failed("no patch produced (agent loop produced empty diff)");
  }

  public static GradeOutcome failed(String evalError) {
    return new GradeOutcome(false, false, evalError, null, null, null, null, null);
  }
}
