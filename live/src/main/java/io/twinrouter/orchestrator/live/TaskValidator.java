package io.twinrouter.orchestrator.live;

import io.twinrouter.agent.casework.SandboxCases;
import io.twinrouter.agent.casework.SwebenchPatchGrader;
import io.twinrouter.agent.grading.Grader;
import io.twinrouter.agent.grading.GradingLayout;
import io.twinrouter.agent.grading.GradingOutcome;
import io.twinrouter.agent.grading.GradingResult;
import io.twinrouter.agent.grading.GradingShell;
import io.twinrouter.agent.grading.LogParsers;
import io.twinrouter.agent.grading.SwebenchGrading;
import io.twinrouter.agent.grading.SwebenchTask;
import io.twinrouter.agent.grading.TestPlan;
import io.twinrouter.agent.grading.TestsNotRunException;
import io.twinrouter.agent.grading.TestsStatus;
import io.twinrouter.sandbox.ExecResult;
import io.twinrouter.sandbox.SandboxProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Validates a task as SWE-bench validates its own instances, each check in a fresh sandbox of
 * the task: with the gold patch the task must resolve; with no fix (the test patch alone) every
 * FAIL_TO_PASS test must fail and every PASS_TO_PASS test pass, so an empty patch cannot resolve.
 */
public final class TaskValidator {

  /**
   * One task's verdict; {@code detail} says what was checked or what went wrong.
   *
   * @param infrastructure true when the task could not be checked here (the sandbox failed, the
   *     test suite did not run): a fault of this machine's environment, not of the task
   */
  public record Verdict(String instanceId, boolean valid, boolean infrastructure, String detail) {
    static Verdict of(String instanceId, boolean valid, String detail) {
      return new Verdict(instanceId, valid, false, detail);
    }
  }

  private final SandboxProvider sandboxes;
  private final TaskCatalog catalog;
  private final GradingLayout layout;
  private final Duration evalTimeout;

  public TaskValidator(SandboxProvider sandboxes, TaskCatalog catalog, Duration evalTimeout) {
    this.sandboxes = sandboxes;
    this.catalog = catalog;
    this.layout = SandboxGrading.layoutFor(sandboxes.backend());
    this.evalTimeout = evalTimeout;
  }

  /**
   * Blocking: two sandboxes, two test runs. Failures of the sandbox and test suites that did not
   * run are verdicts too, marked as the environment's.
   */
  public Verdict validate(String id) {
    SwebenchTask task = catalog.swebenchTask(id);
    try {
      String gold = checkGold(id, task);
      if (gold != null) {
        return Verdict.of(id, false, gold);
      }
      return checkWithoutFix(id, task);
    } catch (TestsNotRunException e) {
      return new Verdict(id, false, true, e.getMessage());
    } catch (Exception e) {
      return new Verdict(id, false, true,
          "sandbox failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /** Null when the gold patch resolves, else why not. */
  private String checkGold(String id, SwebenchTask task) throws Exception {
    if (task.patch() == null || task.patch().isBlank()) {
      return "no gold patch";
    }
    GradingResult r;
    try (SwebenchPatchGrader.Workspace w = workspace(id)) {
      r = new Grader(layout, evalTimeout).grade(w.shell(), TestPlan.of(task, w.repoDirectory()), task.patch());
    }
    if (r.outcome() == GradingOutcome.RESOLVED) {
      return null;
    }
    return "the gold patch does not resolve: " + r.outcome() + r.detail().map(d -> " (" + d + ")").orElse("");
  }

  private Verdict checkWithoutFix(String id, SwebenchTask task) throws Exception {
    TestPlan plan;
    ExecResult run;
    try (SwebenchPatchGrader.Workspace w = workspace(id)) {
      plan = TestPlan.of(task, w.repoDirectory());
      w.shell().putFile(layout.evalScriptPath(), plan.evalScript().getBytes(StandardCharsets.UTF_8));
      run = w.shell().run("/bin/bash " + layout.evalScriptPath() + " 2>&1", evalTimeout);
    }
    if (run.timedOut()) {
      return Verdict.of(id, false, "without the fix the tests timed out");
    }
    Optional<Map<String, String>> statuses =
        SwebenchGrading.statusMap(run.combinedOutput(), LogParsers.byName(plan.logParser()));
    if (statuses.isEmpty()) {
      return Verdict.of(id, false, "without the fix the test log has no test output section");
    }
    if (statuses.get().isEmpty()) {
      // the gold patch's run reported statuses: this one not doing so is the environment's fault
      return new Verdict(id, false, true, "without the fix no test reported a status");
    }
    TestsStatus ts = SwebenchGrading.testsStatus(statuses.get(), task.failToPass(), task.passToPass());
    int f2p = task.failToPass().size();
    int p2p = task.passToPass().size();
    boolean valid = ts.failToPass().success().isEmpty() && ts.passToPass().failure().isEmpty() && f2p > 0;
    String detail = String.format(java.util.Locale.ROOT,
        "gold resolves; without it FAIL_TO_PASS fail %d/%d, PASS_TO_PASS pass %d/%d",
        ts.failToPass().failure().size(), f2p, ts.passToPass().success().size(), p2p);
    return Verdict.of(id, valid, detail);
  }

  private SwebenchPatchGrader.Workspace workspace(String id) throws Exception {
    return SandboxCases.grading(sandboxes, catalog::gradingSpec).open(catalog.caseTask(id));
  }
}
