package io.twinrouter.agent.grading;

/** How grading one prediction ended. Only {@link #RESOLVED} is a resolved case. */
public enum GradingOutcome {
  /** Every FAIL_TO_PASS and PASS_TO_PASS test passed (SWE-bench's RESOLVED_FULL). */
  RESOLVED,
  /** The tests ran and were parsed, but not all required tests passed. */
  UNRESOLVED,
  /** Empty or whitespace-only patch: not evaluated, as SWE-bench and TwinRouterBench do. */
  EMPTY_PATCH,
  /** None of git apply, git apply --reject, patch --fuzz=5 accepted the patch. */
  PATCH_NOT_APPLIED,
  /** The eval script outlived its time limit; SWE-bench writes no report then. */
  TIMED_OUT,
  /**
   * The test log lacks the markers (the test patch did not apply, the run broke off) or SWE-bench's
   * parser itself fails on it.
   */
  LOG_NOT_PARSED
}
