package io.twinrouter.orchestrator.live;

import io.twinrouter.agent.casework.SandboxCases;
import io.twinrouter.agent.grading.SwebenchTask;
import io.twinrouter.agent.loop.CaseTask;
import io.twinrouter.agent.tasks.TaskInstance;
import io.twinrouter.sandbox.ExecShell;
import io.twinrouter.sandbox.SandboxSettings;
import io.twinrouter.sandbox.SandboxSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tasks of one run by instance id, and what each part of the run needs of them: the loop's
 * {@link CaseTask}, the grader's {@link SwebenchTask} and the sandbox to start.
 */
public final class TaskCatalog {
  private final Map<String, TaskInstance> byId = new LinkedHashMap<>();
  private final String runId;
  private final SandboxSettings sandbox;
  private final Map<String, String> commandEnv;
  private final ExecShell shell;

  /**
   * @param commandEnv environment of every agent command (mini's five variables)
   * @param shell the shell of every agent command ({@code bash -c} or {@code bash -lc})
   */
  public TaskCatalog(List<TaskInstance> tasks, String runId, SandboxSettings sandbox,
      Map<String, String> commandEnv, ExecShell shell) {
    tasks.forEach(t -> byId.put(t.instanceId(), t));
    this.runId = runId;
    this.sandbox = sandbox;
    this.commandEnv = Map.copyOf(commandEnv);
    this.shell = shell;
  }

  public List<String> ids() {
    return List.copyOf(byId.keySet());
  }

  public TaskInstance get(String id) {
    TaskInstance t = byId.get(id);
    if (t == null) {
      throw new IllegalArgumentException("no task " + id + " in this run");
    }
    return t;
  }

  public CaseTask caseTask(String id) {
    return SandboxCases.caseTask(get(id));
  }

  public SwebenchTask swebenchTask(String id) {
    return SandboxCases.gradingRow(get(id));
  }

  /** The agent's sandbox: the repository at its base commit in /testbed, mini's environment. */
  public SandboxSpec sandboxSpec(String id) {
    return SandboxCases.spec(runId, get(id), commandEnv, sandbox).withShell(shell);
  }

  /**
   * A grading sandbox: the same repository, no agent environment, the grading sandbox's network,
   * limits and output cap ({@code twinrouter.sandbox.grading}).
   */
  public SandboxSpec gradingSpec(String id) {
    return sandbox.grading().apply(SandboxCases.spec(runId, get(id), Map.of(), sandbox));
  }
}
