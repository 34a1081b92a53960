package io.twinrouter.agent.grading;

import io.twinrouter.sandbox.ExecResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Grades one prediction as SWE-bench v4.1.0's {@code run_instance} does, in a sandbox that holds
 * the case's repository at its base commit: apply the model patch (first of {@link
 * #APPLY_COMMANDS} to exit 0; attempts are not undone in between, as in SWE-bench), run the eval
 * script, parse the log between the markers and compare with the task's test lists.
 *
 * <p>Where SWE-bench writes no {@code report.json} (patch not applied, timeout, parser failure)
 * the result still carries the entry {@code get_eval_report} gives for such a log (not applied,
 * not resolved), so every graded case has a verdict; {@link GradingResult#outcome()} says why.
 *
 * <p>A run in which the suite never ran is no verdict at all: SWE-bench would call it not
 * resolved and blame the model for a host without the test runner. Here it is a {@link
 * TestsNotRunException}: the end marker is missing, or no test reported a status and either the
 * runner is missing or a control run without the model's patch reports nothing either. When the
 * control run does report, the model's patch silenced the suite, and that stays its verdict.
 */
public final class Grader {

  public static final List<String> APPLY_COMMANDS =
      List.of(
          "git apply --verbose", "git apply --verbose --reject", "patch --batch --fuzz=5 -p1 -i");

  public static final Duration DEFAULT_EVAL_TIMEOUT = Duration.ofSeconds(1800);
  private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(120);

  private final GradingLayout layout;
  private final Duration evalTimeout;

  public Grader(GradingLayout layout, Duration evalTimeout) {
    this.layout = layout;
    this.evalTimeout = evalTimeout;
  }

  /**
   * @param modelPatch the prediction; null or blank is not evaluated
   * @throws IOException when the sandbox itself fails
   */
  public GradingResult grade(GradingShell shell, TestPlan plan, String modelPatch)
      throws IOException, InterruptedException {
    if (modelPatch == null || modelPatch.isBlank()) {
      return new GradingResult(plan.instanceId(), GradingOutcome.EMPTY_PATCH,
          ReportEntry.unevaluated(modelPatch), Optional.empty(), "", Optional.empty(),
          Optional.empty(), Map.of(),
          Optional.of("no patch produced (agent loop produced empty diff)"), Duration.ZERO);
    }
    shell.putFile(layout.patchPath(), modelPatch.getBytes(StandardCharsets.UTF_8));
    StringBuilder applyLog = new StringBuilder();
    Optional<String> appliedWith = Optional.empty();
    for (String cmd : APPLY_COMMANDS) {
      ExecResult r = shell.run(
          "cd " + plan.repoDirectory() + " && " + cmd + " " + layout.patchPath(), APPLY_TIMEOUT);
      applyLog.append("$ ").append(cmd).append(" (exit ").append(r.exitCode()).append(")\n")
          .append(r.combinedOutput());
      if (r.exitCode() == 0) {
        applyLog.append(SwebenchGrading.APPLY_PATCH_PASS).append('\n');
        appliedWith = Optional.of(cmd);
        break;
      }
    }
    if (appliedWith.isEmpty()) {
      applyLog.append(SwebenchGrading.APPLY_PATCH_FAIL).append('\n');
      return new GradingResult(plan.instanceId(), GradingOutcome.PATCH_NOT_APPLIED,
          new ReportEntry(false, true, false, false, Optional.empty()), appliedWith,
          applyLog.toString(), Optional.empty(), Optional.empty(), Map.of(),
          Optional.of("patch failed to apply"), Duration.ZERO);
    }

    String script = plan.evalScript();
    shell.putFile(layout.evalScriptPath(), script.getBytes(StandardCharsets.UTF_8));
    // stderr joins stdout in order: bash's trace of the marker commands goes to stderr
    ExecResult run =
        shell.run("/bin/bash " + layout.evalScriptPath() + " 2>&1", evalTimeout);
    String log = run.combinedOutput();
    if (run.timedOut()) {
      log += "\n\nTimeout error: " + evalTimeout.toSeconds() + " seconds exceeded.";
      return notParsed(plan, GradingOutcome.TIMED_OUT, appliedWith, applyLog, script, log,
          "tests timed out after " + evalTimeout.toSeconds() + " s", run.duration());
    }
    if (!log.contains(SwebenchGrading.START_TEST_OUTPUT)
        || !log.contains(SwebenchGrading.END_TEST_OUTPUT)) {
      throw new TestsNotRunException(plan.instanceId(), "the eval script stopped before the"
          + " end-of-tests marker (exit " + run.exitCode() + ")", log);
    }
    LogParser parser = LogParsers.byName(plan.logParser());
    Optional<Map<String, String>> statuses;
    try {
      statuses = SwebenchGrading.statusMap(log, parser);
    } catch (LogParseException e) {
      return notParsed(plan, GradingOutcome.LOG_NOT_PARSED, appliedWith, applyLog, script, log,
          e.getMessage(), run.duration());
    }
    if (statuses.isEmpty()) {
      return notParsed(plan, GradingOutcome.LOG_NOT_PARSED, appliedWith, applyLog, script, log,
          "the test log has no complete test output section (did the test patch apply?)",
          run.duration());
    }
    if (statuses.get().isEmpty()) {
      int withoutPatch = reportedWithoutPatch(shell, plan, parser, log);
      return notParsed(plan, GradingOutcome.LOG_NOT_PARSED, appliedWith, applyLog, script, log,
          "no test reported a status with the patch; without it " + withoutPatch + " did",
          run.duration());
    }
    TestsStatus ts =
        SwebenchGrading.testsStatus(statuses.get(), plan.failToPass(), plan.passToPass());
    boolean resolved = ts.resolution() == ResolvedStatus.FULL;
    ReportEntry entry = new ReportEntry(false, true, true, resolved, Optional.of(ts));
    Optional<String> detail = resolved
        ? Optional.empty()
        : Optional.of(ts.resolution().value() + ": FAIL_TO_PASS failures "
            + ts.failToPass().failure() + ", PASS_TO_PASS failures "
            + ts.passToPass().failure() + (run.truncated() ? " (test output truncated)" : ""));
    return new GradingResult(plan.instanceId(),
        resolved ? GradingOutcome.RESOLVED : GradingOutcome.UNRESOLVED, entry, appliedWith,
        applyLog.toString(), Optional.of(script), Optional.of(log), statuses.get(), detail,
        run.duration());
  }

  /**
   * How many tests report a status when the eval script runs again on the base commit, the
   * model's patch undone; throws when none does or the runner is missing, since then the suite
   * cannot run here at all.
   */
  private int reportedWithoutPatch(GradingShell shell, TestPlan plan, LogParser parser,
      String log) throws IOException, InterruptedException {
    String section = SwebenchGrading.testOutputSection(log);
    Optional<String> missing = RunnerSigns.runnerMissing(plan.testCommand(), section);
    if (missing.isPresent()) {
      throw new TestsNotRunException(plan.instanceId(), missing.get(), log);
    }
    // untracked but ignored files stay: builds the image made of the repository
    ExecResult undo = shell.run("cd " + plan.repoDirectory()
        + " && git reset -q --hard && git clean -fdq", APPLY_TIMEOUT);
    if (undo.exitCode() != 0) {
      throw new TestsNotRunException(plan.instanceId(), "no test reported a status, and the patch"
          + " could not be undone for a run without it: " + undo.combinedOutput().strip(), log);
    }
    shell.putFile(layout.evalScriptPath(), plan.evalScript().getBytes(StandardCharsets.UTF_8));
    ExecResult control = shell.run("/bin/bash " + layout.evalScriptPath() + " 2>&1", evalTimeout);
    int reported;
    try {
      reported = control.timedOut() ? 0 : SwebenchGrading.statusMap(control.combinedOutput(),
          parser).map(Map::size).orElse(0);
    } catch (LogParseException e) {
      reported = 0;
    }
    if (reported == 0) {
      throw new TestsNotRunException(plan.instanceId(),
          "no test reported a status, with the patch or without it", log);
    }
    return reported;
  }

  private static GradingResult notParsed(TestPlan plan, GradingOutcome outcome,
      Optional<String> appliedWith, StringBuilder applyLog, String script, String log,
      String detail, Duration took) {
    return new GradingResult(plan.instanceId(), outcome,
        new ReportEntry(false, true, false, false, Optional.empty()), appliedWith,
        applyLog.toString(), Optional.of(script), Optional.of(log), Map.of(),
        Optional.of(detail), took);
  }
}
