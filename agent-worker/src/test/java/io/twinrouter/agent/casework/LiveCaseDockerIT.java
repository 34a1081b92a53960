package io.twinrouter.agent.casework;

import io.twinrouter.agent.grading.GradingLayout;

/** Whole live cases in Docker containers (network none), graded as SWE-bench lays files out. */
class LiveCaseDockerIT extends LiveCaseContract {

  @Override
  String backend() {
    return "docker";
  }

  @Override
  GradingLayout gradingLayout() {
    return GradingLayout.SWEBENCH;
  }
}
