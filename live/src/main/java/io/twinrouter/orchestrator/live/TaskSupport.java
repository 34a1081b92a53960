package io.twinrouter.orchestrator.live;

import io.twinrouter.agent.casework.SandboxCases;
import io.twinrouter.agent.grading.TestPlan;
import io.twinrouter.agent.tasks.TaskInstance;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a run can carry each of its rows to a verdict, checked when the rows are loaded, before
 * any sandbox starts or any model is called: a row needs a place to run (its repository source,
 * or an instance image, which only the Docker backend runs) and a grading plan (SWE-bench's specs
 * for its repository and version, or a test command of its own). Finding out at grading time
 * would spend the agent's money on a case that can only end unscored.
 */
public final class TaskSupport {

  /** A row the run cannot carry, and why. */
  public record Unsupported(String instanceId, String location, String why) {}

  private TaskSupport() {}

  /** The rows of {@code tasks} that a run on {@code sandbox} cannot grade, in task order. */
  public static List<Unsupported> check(List<TaskInstance> tasks, String sandbox) {
    List<Unsupported> out = new ArrayList<>();
    for (TaskInstance t : tasks) {
      List<String> why = new ArrayList<>();
      if (t.repoSource().isEmpty() && "local".equals(sandbox)) {
        why.add("no repo_source, and the local sandbox cannot run an instance image"
            + " (--sandbox docker can)");
      }
      try {
        TestPlan.of(SandboxCases.gradingRow(t));
      } catch (IllegalArgumentException e) {
        String m = e.getMessage();
        why.add("no grading plan: " + (m.startsWith(t.instanceId() + ": ")
            ? m.substring(t.instanceId().length() + 2) : m));
      }
      if (!why.isEmpty()) {
        out.add(new Unsupported(t.instanceId(), t.location(), String.join("; ", why)));
      }
    }
    return out;
  }

  /** The message that refuses a run: every row and its reason, and the way out. */
  public static String refusal(List<Unsupported> rows) {
    StringBuilder m = new StringBuilder(rows.size() + " task" + (rows.size() == 1 ? "" : "s")
        + " cannot be graded by this run (nothing was started; --skip-unsupported leaves them"
        + " out and lists them in score.json):");
    for (Unsupported u : rows) {
      m.append("\n  ").append(u.location()).append(' ').append(u.instanceId()).append(": ")
          .append(u.why());
    }
    return m.toString();
  }
}
