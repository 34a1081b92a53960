package io.twinrouter.agent.casework;

import io.twinrouter.agent.grading.GradingLayout;

/** Whole live cases in bwrap sandboxes. */
class LiveCaseLocalIT extends LiveCaseContract {

  @Override
  String backend() {
    return "local";
  }

  /** The root is read-only in both backends: the grading files go to the private /tmp. */
  @Override
  GradingLayout gradingLayout() {
    return GradingLayout.SWEBENCH;
  }
}
