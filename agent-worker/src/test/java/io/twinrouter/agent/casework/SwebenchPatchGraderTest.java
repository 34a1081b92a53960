package io.twinrouter.agent.casework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.twinrouter.agent.grading.Grader;
import io.twinrouter.agent.grading.GradingLayout;
import io.twinrouter.agent.grading.GradingShell;
import io.twinrouter.agent.grading.LocalGradingShell;
import io.twinrouter.agent.grading.LogParsers;
import io.twinrouter.agent.grading.SwebenchTask;
import io.twinrouter.agent.loop.CaseTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The case's grading step on a real git repository, this machine's python3 and pytest, and the
 * SWE-bench grader; every grading gets a fresh clone, as a case gets a fresh sandbox.
 */
class SwebenchPatchGraderTest {

  static final String ID = "demo__shout-7";

  static final String SHOUT = "def shout(text):\n    return text.upper()\n";
  static final String TESTS = "from shout import shout\n\n\ndef test_plain():\n"
      + "    assert shout('hi') == 'HI'\n";
  static final String TEST_PATCH = """
      diff --git a/test_shout.py b/test_shout.py
      --- a/test_shout.py
      +++ b/test_shout.py
      @@ -3,3 +3,7 @@
       
       def test_plain():
           assert shout('hi') == 'HI'
      +
      +
      +def test_bang():
      +    assert shout('hi', bang=True) == 'HI!'
      """;
  static final String GOLD = """
      diff --git a/shout.py b/shout.py
      --- a/shout.py
      +++ b/shout.py
      @@ -1,2 +1,2 @@
      -def shout(text):
      -    return text.upper()
      +def shout(text, bang=False):
      +    return text.upper() + ('!' if bang else '')
      """;
  static final String BROKEN = """
      --- a/shout.py
      +++ b/shout.py
      @@ -30,2 +30,2 @@
      -def whisper(text):
      +def whisper(text, soft=True):
      """;

  @TempDir Path tmp;
  Path origin;
  String baseCommit;
  String python;
  final AtomicInteger clones = new AtomicInteger();

  @BeforeEach
  void makeOrigin() throws Exception {
    origin = Files.createDirectories(tmp.resolve("origin"));
    Files.writeString(origin.resolve("shout.py"), SHOUT);
    Files.writeString(origin.resolve("test_shout.py"), TESTS);
    var sh = shell(origin);
    python = null;
    for (String candidate : List.of("/usr/bin/python3", "python3")) {
      if (sh.run(candidate + " -c 'import pytest'", Duration.ofSeconds(60)).exitCode() == 0) {
        python = candidate;
        break;
      }
    }
    assumeTrue(python != null, "python3 with pytest is needed (scripts/prepare-test-env)");
    var init = sh.run("git init -q && git add -A && git -c user.name=t -c user.email=t@localhost"
        + " commit -q -m base && git rev-parse HEAD", Duration.ofSeconds(60));
    assertEquals(0, init.exitCode(), init.combinedOutput());
    baseCommit = init.stdout().strip();
  }

  LocalGradingShell shell(Path dir) throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    return new LocalGradingShell(dir, Map.of("HOME", home.toString(), "PYTHONPATH", "."), false);
  }

  /** A fresh clone per grading, removed afterwards (as a sandbox is). */
  SwebenchPatchGrader.Workspace clone(CaseTask task) throws Exception {
    Path dir = tmp.resolve("clone-" + clones.incrementAndGet());
    var r = shell(tmp).run("git clone -q " + origin + " " + dir, Duration.ofSeconds(60));
    assertEquals(0, r.exitCode(), r.combinedOutput());
    LocalGradingShell sh = shell(dir);
    return new SwebenchPatchGrader.Workspace() {
      public GradingShell shell() {
        return sh;
      }

      public String repoDirectory() {
        return dir.toString();
      }

      public void close() {
        try (var files = Files.walk(dir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };
  }

  SwebenchPatchGrader grader() {
    SwebenchTask row = new SwebenchTask(ID, "demo/shout", "1.0", baseCommit, GOLD, TEST_PATCH,
        List.of("test_shout.py::test_bang"), List.of("test_shout.py::test_plain"),
        python + " -m pytest -rA -p no:cacheprovider test_shout.py", LogParsers.PYTEST);
    Grader g = new Grader(new GradingLayout(tmp.resolve("patch.diff").toString(),
        tmp.resolve("eval.sh").toString()), Duration.ofSeconds(120));
    return new SwebenchPatchGrader(Map.of(ID, row)::get, this::clone, g,
        tmp.resolve("logs/run_evaluation"), "run-9");
  }

  static final CaseTask TASK = new CaseTask(ID, "demo/shout", "shout() needs a bang option");

  @Test
  void theGoldPatchResolves() throws Exception {
    GradeOutcome o = grader().grade(TASK, GOLD);
    assertTrue(o.resolved(), String.valueOf(o));
    assertTrue(o.patchApplied());
    assertNull(o.evalError());
    assertEquals(1, o.failToPassPass());
    assertEquals(0, o.failToPassFail());
    assertEquals(1, o.passToPassPass());
    Path report = tmp.resolve("logs/run_evaluation/run-9/swerouterbench/" + ID + "/report.json");
    assertEquals(report.toAbsolutePath().toString(), o.evalReportPath());
    assertTrue(Files.readString(report).contains("\"resolved\": true"));
    assertFalse(Files.exists(tmp.resolve("clone-1")), "the grading workspace is released");
  }

  @Test
  void anEmptyPatchIsNotGraded() throws Exception {
    GradeOutcome o = grader().grade(TASK, "\n");
    assertFalse(o.resolved());
    assertEquals("no patch produced (agent loop produced empty diff)", o.evalError());
    assertEquals(0, clones.get(), "no workspace for an empty patch");
  }

  @Test
  void aBrokenPatchIsReportedAsNotApplied() throws Exception {
    GradeOutcome o = grader().grade(TASK, BROKEN);
    assertFalse(o.resolved());
    assertFalse(o.patchApplied());
    assertTrue(o.evalError().startsWith("eval report not produced at "), o.evalError());
    assertTrue(o.evalError().contains("PATCH_NOT_APPLIED"), o.evalError());
    assertNull(o.failToPassPass());
  }
}
