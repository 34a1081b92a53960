package io.twinrouter.orchestrator.live;

import io.twinrouter.agent.grading.GradingLayout;

/** Where grading puts its files in each sandbox backend. */
final class SandboxGrading {
  private SandboxGrading() {}

  /**
   * The local sandbox can only write below /testbed, /tmp and /root, so the patch and the eval
   * script both go to /tmp there; Docker sandboxes use SWE-bench's own places (/eval.sh).
   */
  static GradingLayout layoutFor(String backend) {
    return "local".equals(backend)
        ? new GradingLayout("/tmp/patch.diff", "/tmp/eval.sh")
        : GradingLayout.SWEBENCH;
  }
}
