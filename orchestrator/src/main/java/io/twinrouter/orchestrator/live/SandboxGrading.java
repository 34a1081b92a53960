package io.twinrouter.orchestrator.live;

import io.twinrouter.agent.casework.SwebenchPatchGrader;
import io.twinrouter.agent.grading.GradingLayout;
import io.twinrouter.agent.grading.GradingShell;
import io.twinrouter.agent.loop.CaseTask;
import io.twinrouter.sandbox.Sandbox;
import io.twinrouter.sandbox.SandboxProvider;
import io.twinrouter.sandbox.SandboxSpec;
import java.time.Duration;

/**
 * Grading workspaces over sandboxes: each patch is graded in a fresh sandbox of the task (never
 * the one the agent worked in), through the grader's small {@link GradingShell} interface.
 */
final class SandboxGrading implements SwebenchPatchGrader.WorkspaceOpener {

  /**
   * Where the grader puts the patch and the eval script. The local sandbox can only write below
   * /testbed, /tmp and /root, so both go to /tmp there (SWE-bench's /eval.sh otherwise).
   */
  static GradingLayout layoutFor(String backend) {
    return "local".equals(backend)
        ? new GradingLayout("/tmp/patch.diff", "/tmp/eval.sh")
        : GradingLayout.SWEBENCH;
  }

  private final SandboxProvider provider;
  private final TaskCatalog catalog;

  SandboxGrading(SandboxProvider provider, TaskCatalog catalog) {
    this.provider = provider;
    this.catalog = catalog;
  }

  @Override
  public SwebenchPatchGrader.Workspace open(CaseTask task) {
    return workspace(provider.open(catalog.gradingSpec(task.instanceId())));
  }

  static SwebenchPatchGrader.Workspace workspace(Sandbox sandbox) {
    return new SwebenchPatchGrader.Workspace() {
      @Override
      public GradingShell shell() {
        return new Shell(sandbox);
      }

      @Override
      public String repoDirectory() {
        return SandboxSpec.TESTBED;
      }

      @Override
      public void close() {
        sandbox.close();
      }
    };
  }

  /** The grader's shell over one sandbox. */
  record Shell(Sandbox sandbox) implements GradingShell {
    @Override
    public GradingShell.ExecResult run(String command, Duration timeout) {
      io.twinrouter.sandbox.ExecResult r = sandbox.exec(command, timeout);
      return new GradingShell.ExecResult(
          r.exitCode(), r.stdout(), r.stderr(), r.duration(), r.timedOut(), r.truncated());
    }

    @Override
    public void putFile(String path, byte[] content) {
      sandbox.writeFile(path, content);
    }
  }
}
