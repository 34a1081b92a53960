package io.twinrouter.agent.casework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.agent.grading.Grader;
import io.twinrouter.agent.grading.GradingLayout;
import io.twinrouter.agent.tasks.TaskInstance;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.sandbox.ExecResult;
import io.twinrouter.sandbox.Sandbox;
import io.twinrouter.sandbox.SandboxProvider;
import io.twinrouter.sandbox.SandboxSettings;
import io.twinrouter.sandbox.backends.SandboxProviders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gold patch and the test patch never enter the agent's sandbox, and the test patch enters the
 * grading sandbox (issue 18): for a bundled task, no line the two patches add is anywhere in the
 * agent's sandbox, before or after grading; grading the gold patch in its own sandbox resolves
 * the task, which it cannot without the test patch (its FAIL_TO_PASS tests live there).
 */
class AnswerStaysOutIT {
  static final Duration T = Duration.ofSeconds(120);

  @Test
  void theAnswerNeverEntersTheAgentsSandbox(@TempDir Path tmp) throws Exception {
    TaskInstance task = TaskSuite.bundled(tmp.resolve("suite")).stream()
        .filter(t -> t.instanceId().endsWith("ledgerkit-102")).findFirst().orElseThrow();
    Set<String> markers = addedLinesAbsentAtBase(task, tmp);
    assertTrue(markers.size() >= 5, "lines the patches add: " + markers);
    SandboxSettings settings = SandboxSettings.load().withBackend("local");
    String runId = "answer-" + UUID.randomUUID().toString().substring(0, 8);
    try (SandboxProvider provider = SandboxProviders.create(settings);
        Sandbox agent = provider.open(SandboxCases.spec(runId, task, Map.of(), settings))) {
      ExecResult head = agent.exec("git rev-parse HEAD", T);
      assertEquals(task.baseCommit() + "\n", head.stdout(), "the agent's repository is at the base commit");
      assertEquals(Set.of(), found(agent, markers), "the patches' lines in the agent's sandbox");

      SwebenchPatchGrader grader = new SwebenchPatchGrader(
          id -> SandboxCases.gradingRow(task),
          SandboxCases.grading(provider, id -> SandboxCases.spec(runId, task, Map.of(), settings)),
          new Grader(GradingLayout.SWEBENCH, T), tmp.resolve("logs"), runId);
      GradeOutcome graded = grader.grade(SandboxCases.caseTask(task), task.patch());
      assertTrue(graded.resolved(), "the gold patch resolves in the grading sandbox: " + graded);
      assertEquals(Set.of(), found(agent, markers), "the patches' lines in the agent's sandbox after grading");
      // the control: a marker the sandbox does hold is found
      String one = markers.iterator().next();
      agent.writeFile("/testbed/control.txt", one.getBytes(StandardCharsets.UTF_8));
      assertEquals(Set.of(one), found(agent, markers));
    }
  }

  /**
   * The lines the gold and test patches add (20 characters or more) that the repository at its
   * base commit does not hold anywhere: only the answer can have put them into a sandbox.
   */
  static Set<String> addedLinesAbsentAtBase(TaskInstance task, Path tmp) throws Exception {
    Path repo = tmp.resolve("base");
    git(tmp, "clone", "-q", task.repoSource().orElseThrow().toString(), repo.toString());
    git(repo, "checkout", "-q", task.baseCommit());
    StringBuilder all = new StringBuilder();
    try (var files = Files.walk(repo)) {
      for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.toString().contains("/.git/")).toList()) {
        all.append(Files.readString(f, StandardCharsets.ISO_8859_1)).append('\n');
      }
    }
    Set<String> markers = new TreeSet<>();
    for (String patch : List.of(task.patch(), task.testPatch())) {
      for (String line : patch.lines().toList()) {
        String added = line.startsWith("+") && !line.startsWith("+++") ? line.substring(1).strip() : "";
        if (added.length() >= 20 && !all.toString().contains(added) && !added.contains("'")) {
          markers.add(added);
        }
      }
    }
    return markers;
  }

  /** Which markers a file anywhere in the sandbox holds (outside /proc, /sys, /dev). */
  static Set<String> found(Sandbox s, Set<String> markers) throws IOException {
    // the markers travel in a file, not on a command line a search would also find
    s.writeFile("/tmp/markers.txt", String.join("\n", markers).getBytes(StandardCharsets.UTF_8));
    ExecResult r = s.exec("grep -rhoasF --exclude-dir=proc --exclude-dir=sys --exclude-dir=dev "
        + "--exclude=markers.txt -f /tmp/markers.txt / | sort -u; rm /tmp/markers.txt", T);
    assertEquals(0, r.exitCode(), r.toString());
    return new TreeSet<>(r.stdout().lines().filter(l -> !l.isBlank()).toList());
  }

  private static void git(Path dir, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("git"));
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, argv + ": " + out);
    assertFalse(out.contains("fatal"), out);
  }
}
