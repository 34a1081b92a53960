package io.twinrouter.agent.casework;

import io.twinrouter.agent.grading.GradingLayout;

/** Whole live cases in bwrap sandboxes. */
class LiveCaseLocalIT extends LiveCaseContract {

  @Override
  String backend() {
    return "local";
  }

  /** The host's folders are read-only inside bwrap: the grading files go to the private /tmp. */
  @Override
  GradingLayout gradingLayout() {
    return new GradingLayout("/tmp/patch.diff", "/tmp/eval.sh");
  }
}
