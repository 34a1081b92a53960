package io.twinrouter.agent.casework;

import io.twinrouter.agent.grading.Grader;
import io.twinrouter.agent.grading.GradingArtifacts;
import io.twinrouter.agent.grading.GradingOutcome;
import io.twinrouter.agent.grading.GradingResult;
import io.twinrouter.agent.grading.GradingShell;
import io.twinrouter.agent.grading.SwebenchTask;
import io.twinrouter.agent.grading.TestPlan;
import io.twinrouter.agent.grading.TestsStatus;
import io.twinrouter.agent.loop.CaseTask;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * Grades a case's patch with the SWE-bench grader in a fresh workspace (a new sandbox from the
 * case's image, never the one the agent worked in), leaves SWE-bench's log-directory files under
 * {@code <logRoot>/<run_id>/swerouterbench/<id>/} and reads the verdict as the reference does
 * (live-track spec 4.5).
 */
public final class SwebenchPatchGrader implements PatchGrader {

  /** The model name the reference gives SWE-bench, which names the log directory. */
  public static final String MODEL_NAME = "swerouterbench";

  /** A place holding the repository at its base commit, released after grading. */
  public interface Workspace extends AutoCloseable {
    GradingShell shell();

    /** Where the repository is inside the workspace ({@code /testbed} in a sandbox). */
    String repoDirectory();

    @Override
    void close();
  }

  @FunctionalInterface
  public interface WorkspaceOpener {
    Workspace open(CaseTask task) throws Exception;
  }

  private final Function<String, SwebenchTask> tasks;
  private final WorkspaceOpener workspaces;
  private final Grader grader;
  private final Path logRoot;
  private final String runId;

  /**
   * @param tasks the grading row of an instance id (test patch, test lists, test command)
   * @param logRoot SWE-bench's {@code logs/run_evaluation} directory of the run
   */
  public SwebenchPatchGrader(Function<String, SwebenchTask> tasks, WorkspaceOpener workspaces,
      Grader grader, Path logRoot, String runId) {
    this.tasks = tasks;
    this.workspaces = workspaces;
    this.grader = grader;
    this.logRoot = logRoot;
    this.runId = runId;
  }

  @Override
  public GradeOutcome grade(CaseTask task, String patch) throws Exception {
    if (patch == null || patch.isBlank()) {
      return GradeOutcome.noPatch();
    }
    SwebenchTask row = tasks.apply(task.instanceId());
    if (row == null) {
      throw new IllegalArgumentException("no grading row for instance " + task.instanceId());
    }
    GradingResult result;
    String repoDirectory;
    try (Workspace w = workspaces.open(task)) {
      repoDirectory = w.repoDirectory();
      result = grader.grade(w.shell(), TestPlan.of(row, repoDirectory), patch);
    }
    Path dir = GradingArtifacts.caseDirectory(logRoot, runId, MODEL_NAME, task.instanceId());
    GradingArtifacts.write(dir, result, patch);
    return outcome(result, dir.resolve("report.json").toAbsolutePath().toString());
  }

  /** The verdict in the reference's result terms. */
  static GradeOutcome outcome(GradingResult r, String reportPath) {
    GradingOutcome o = r.outcome();
    if (o == GradingOutcome.EMPTY_PATCH) {
      return GradeOutcome.noPatch();
    }
    if (o != GradingOutcome.RESOLVED && o != GradingOutcome.UNRESOLVED) {
      // SWE-bench writes no report.json here, and the reference records exactly this phrase
      // (which its infrastructure probes also match, patch-apply failures included).
      String detail = r.detail().map(d -> " (" + o + ": " + d + ")").orElse(" (" + o + ")");
      return new GradeOutcome(false, false, "eval report not produced at " + reportPath + detail,
          null, null, null, null, null);
    }
    TestsStatus ts = r.report().testsStatus().orElse(null);
    return new GradeOutcome(r.resolved(), r.patchApplied(), null, reportPath,
        ts == null ? null : ts.failToPass().success().size(),
        ts == null ? null : ts.failToPass().failure().size(),
        ts == null ? null : ts.passToPass().success().size(),
        ts == null ? null : ts.passToPass().failure().size());
  }

  /** Rows by instance id, for the {@code tasks} argument. */
  public static Function<String, SwebenchTask> byId(Map<String, SwebenchTask> rows) {
    return rows::get;
  }
}
