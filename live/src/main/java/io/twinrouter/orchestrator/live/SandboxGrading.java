package io.twinrouter.orchestrator.live;

import io.twinrouter.agent.grading.GradingLayout;

/** Where grading puts its files in each sandbox backend. */
final class SandboxGrading {
  private SandboxGrading() {}

  /**
   * The same in both backends: neither lets a command write outside /testbed, /tmp and /root
   * (Docker: for the images this project makes), so the patch and the eval script go to /tmp.
   */
  static GradingLayout layoutFor(String backend) {
    return GradingLayout.SWEBENCH;
  }
}
