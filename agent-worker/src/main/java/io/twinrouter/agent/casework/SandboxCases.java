package io.twinrouter.agent.casework;

import io.twinrouter.agent.grading.GradingShell;
import io.twinrouter.agent.grading.SwebenchTask;
import io.twinrouter.agent.loop.CaseTask;
import io.twinrouter.agent.loop.ShellOpener;
import io.twinrouter.agent.tasks.TaskInstance;

import io.twinrouter.sandbox.ExecResult;
import io.twinrouter.sandbox.ImageNames;
import io.twinrouter.sandbox.RepoSource;
import io.twinrouter.sandbox.Sandbox;
import io.twinrouter.sandbox.SandboxProvider;
import io.twinrouter.sandbox.SandboxSettings;
import io.twinrouter.sandbox.SandboxSpec;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * Wires the cases of a task suite to sandboxes: the spec of a task's sandbox (its own repository
 * at the base commit, or the SWE-bench image of an official row), the agent's shells, and the
 * fresh sandboxes grading runs in.
 */
public final class SandboxCases {

  private SandboxCases() {}

  /** The loop's view of a task. */
  public static CaseTask caseTask(TaskInstance t) {
    return new CaseTask(t.instanceId(), t.repo(), t.problemStatement());
  }

  /** The grader's view of a task. */
  public static SwebenchTask gradingRow(TaskInstance t) {
    return new SwebenchTask(t.instanceId(), t.repo(), t.version(), t.baseCommit(), t.patch(),
        t.testPatch(), t.failToPass(), t.passToPass(), t.testCmd().orElse(null),
        t.logParser().orElse(null), t.evalScript().orElse(null));
  }

  /**
   * A task's sandbox: its repository source checked out at the base commit when it ships one,
   * else the row's own image, else the SWE-bench image of the instance; commands get {@code env}.
   */
  public static SandboxSpec spec(String runId, TaskInstance t, Map<String, String> env,
      SandboxSettings settings) {
    SandboxSpec spec = SandboxSpec.of(runId, t.instanceId()).withEnv(env);
    if (t.repoSource().isPresent()) {
      return spec.withRepoSource(new RepoSource(t.repoSource().get(), t.baseCommit()));
    }
    return spec.withImage(t.image().orElseGet(() -> ImageNames.forInstance(t.instanceId(), settings)));
  }

  /** The agent's shells: one sandbox per case attempt. */
  public static ShellOpener shells(SandboxProvider provider, Function<String, SandboxSpec> specs) {
    return task -> new SandboxShell(provider.open(specs.apply(task.instanceId())));
  }

  /** Grading workspaces: a fresh sandbox from the same spec, repository at {@code /testbed}. */
  public static SwebenchPatchGrader.WorkspaceOpener grading(SandboxProvider provider,
      Function<String, SandboxSpec> specs) {
    return task -> workspace(provider.open(specs.apply(task.instanceId())));
  }

  private static SwebenchPatchGrader.Workspace workspace(Sandbox sandbox) {
    GradingShell shell = new GradingShell() {
      @Override
      public ExecResult run(String command, Duration timeout) {
        return sandbox.exec(command, timeout);
      }

      @Override
      public void putFile(String path, byte[] content) {
        sandbox.writeFile(path, content);
      }
    };
    return new SwebenchPatchGrader.Workspace() {
      @Override
      public GradingShell shell() {
        return shell;
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
}
