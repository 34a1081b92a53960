package io.twinrouter.agent.casework;

import io.twinrouter.agent.loop.CaseTask;

/**
 * Grades a submitted patch the SWE-bench way, in a fresh sandbox from the case's image. Blocking.
 * A verdict the grader could not reach (patch does not apply, no report) is a value with
 * {@code evalError}; an exception (the grading sandbox failed, the test suite never ran) is an
 * infrastructure failure of the case: no result, retried under supervision.
 */
@FunctionalInterface
public interface PatchGrader {
  GradeOutcome grade(CaseTask task, String patch) throws Exception;
}
