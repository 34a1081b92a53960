package io.twinrouter.orchestrator.live;

import io.twinrouter.agent.grading.SwebenchTask;
import io.twinrouter.agent.loop.CaseTask;
import io.twinrouter.agent.tasks.TaskInstance;
import io.twinrouter.sandbox.ImageNames;
import io.twinrouter.sandbox.RepoSource;
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

  /** @param commandEnv environment of every agent command (mini's five variables) */
  public TaskCatalog(
      List<TaskInstance> tasks, String runId, SandboxSettings sandbox, Map<String, String> commandEnv) {
    tasks.forEach(t -> byId.put(t.instanceId(), t));
    this.runId = runId;
    this.sandbox = sandbox;
    this.commandEnv = Map.copyOf(commandEnv);
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
    TaskInstance t = get(id);
    return new CaseTask(t.instanceId(), t.repo(), t.problemStatement());
  }

  public SwebenchTask swebenchTask(String id) {
    TaskInstance t = get(id);
    return new SwebenchTask(t.instanceId(), t.repo(), t.version(), t.baseCommit(), t.patch(),
        t.testPatch(), t.failToPass(), t.passToPass(), t.testCmd().orElse(null),
        t.logParser().orElse(null));
  }

  /** The agent's sandbox: the repository at its base commit in /testbed. */
  public SandboxSpec sandboxSpec(String id) {
    return gradingSpec(id).withEnv(commandEnv);
  }

  /**
   * A sandbox holding the task's repository at its base commit: from the task's own repository
   * source when it has one, else the SWE-bench image of the instance.
   */
  public SandboxSpec gradingSpec(String id) {
    TaskInstance t = get(id);
    SandboxSpec spec = SandboxSpec.of(runId, id);
    if (t.repoSource().isPresent()) {
      return spec.withRepoSource(RepoSource.bundle(t.repoSource().get(), t.baseCommit()));
    }
    return spec.withImage(ImageNames.forInstance(id, sandbox));
  }
}
