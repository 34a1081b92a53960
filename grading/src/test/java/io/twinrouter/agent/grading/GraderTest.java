package io.twinrouter.agent.grading;

import io.twinrouter.sandbox.ExecResult;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grader on a real git repository with a real bug, real patches and this machine's python3
 * and pytest, run through bash as a sandbox would run them.
 */
class GraderTest {

  private static final String CALC = """
      # arithmetic helpers
      # (kept small on purpose)


      def add(a, b):
          return a - b


      def sub(a, b):
          return a - b
      """;

  private static final String TESTS = """
      from calc import sub


      def test_sub():
          assert sub(5, 3) == 2
      """;

  private static final String TEST_PATCH = """
      diff --git a/tests/test_calc.py b/tests/test_calc.py
      --- a/tests/test_calc.py
      +++ b/tests/test_calc.py
      @@ -1,5 +1,9 @@
      -from calc import sub
      +from calc import add, sub
      \s
      \s
       def test_sub():
           assert sub(5, 3) == 2
      +
      +
      +def test_add():
      +    assert add(2, 3) == 5
      """;

  private static final String GOLD_PATCH = """
      diff --git a/calc.py b/calc.py
      --- a/calc.py
      +++ b/calc.py
      @@ -3,7 +3,7 @@
      \s
      \s
       def add(a, b):
      -    return a - b
      +    return a + b
      \s
      \s
       def sub(a, b):
      """;

  /** The gold fix, but its first context line differs from the file: only fuzz applies it. */
  private static final String FUZZY_PATCH = """
      --- a/calc.py
      +++ b/calc.py
      @@ -2,8 +2,8 @@
       # (kept tiny on purpose)
      \s
      \s
       def add(a, b):
      -    return a - b
      +    return a + b
      \s
      \s
       def sub(a, b):
      """;

  /** Fixes add but breaks sub: FAIL_TO_PASS passes, PASS_TO_PASS fails. */
  private static final String BREAKS_SUB = """
      --- a/calc.py
      +++ b/calc.py
      @@ -3,10 +3,10 @@
      \s
      \s
       def add(a, b):
      -    return a - b
      +    return a + b
      \s
      \s
       def sub(a, b):
      -    return a - b
      +    return a + b
      """;

  private static final String BROKEN_PATCH = """
      --- a/calc.py
      +++ b/calc.py
      @@ -40,3 +40,3 @@
       def mul(a, b):
      -    return a + b
      +    return a * b
       # end
      """;

  @TempDir Path tmp;
  private Path repo;
  private LocalGradingShell shell;
  private Grader grader;
  private String baseCommit;
  private static String python; // found once: starting an interpreter is not cheap

  @BeforeEach
  void makeRepository() throws Exception {
    repo = tmp.resolve("testbed");
    Files.createDirectories(repo.resolve("tests"));
    Files.writeString(repo.resolve("calc.py"), CALC);
    Files.writeString(repo.resolve("tests/test_calc.py"), TESTS);
    Path home = Files.createDirectories(tmp.resolve("home"));
    // a private HOME: the eval script runs `git config --global`
    shell = new LocalGradingShell(repo, Map.of("HOME", home.toString(), "PYTHONPATH", "."),
        false);
    if (python == null) {
      python = pythonWithPytest();
    }
    ExecResult init = run("git init -q && git add -A && git -c user.name=t"
        + " -c user.email=t@localhost commit -q -m base && git rev-parse HEAD");
    assertEquals(0, init.exitCode(), init.combinedOutput());
    baseCommit = init.stdout().strip();
    grader = new Grader(
        new GradingLayout(tmp.resolve("patch.diff").toString(), tmp.resolve("eval.sh").toString()),
        Duration.ofSeconds(120));
  }

  /** Debian's python3 when it has pytest (starts fastest), else whatever python3 is on PATH. */
  private String pythonWithPytest() throws Exception {
    for (String candidate : List.of("/usr/bin/python3", "python3")) {
      if (run(candidate + " -c 'import pytest'").exitCode() == 0) {
        return candidate;
      }
    }
    assumeTrue(false,
        "python3 with pytest is needed (scripts/prepare-test-env installs python3-pytest)");
    return null;
  }

  private ExecResult run(String command) throws Exception {
    return shell.run(command, Duration.ofSeconds(60));
  }

  private TestPlan plan(String testCmd) {
    SwebenchTask task = new SwebenchTask("demo__calc-1", "demo/calc", "1.0", baseCommit,
        GOLD_PATCH, TEST_PATCH, List.of("tests/test_calc.py::test_add"),
        List.of("tests/test_calc.py::test_sub"), testCmd, LogParsers.PYTEST);
    return TestPlan.of(task, repo.toString());
  }

  private TestPlan plan() {
    return plan(python + " -m pytest -rA -p no:cacheprovider tests/test_calc.py");
  }

  @Test
  void goldPatchResolvesAndLeavesSwebenchsFiles() throws Exception {
    GradingResult r = grader.grade(shell, plan(), GOLD_PATCH);

    assertEquals(GradingOutcome.RESOLVED, r.outcome(), r.testOutput().orElse(r.applyLog()));
    assertEquals(Optional.of("git apply --verbose"), r.appliedWith());
    assertEquals("PASSED", r.statuses().get("tests/test_calc.py::test_add"));
    TestsStatus ts = r.report().testsStatus().orElseThrow();
    assertEquals(List.of("tests/test_calc.py::test_add"), ts.failToPass().success());
    assertEquals(List.of("tests/test_calc.py::test_sub"), ts.passToPass().success());
    assertTrue(r.resolved() && r.patchApplied());
    // the eval script put the test file back as it was at the base commit
    assertEquals(TESTS, Files.readString(repo.resolve("tests/test_calc.py")));

    Path dir = GradingArtifacts.caseDirectory(tmp.resolve("logs"), "run1", "org/model",
        "demo__calc-1");
    GradingArtifacts.write(dir, r, GOLD_PATCH);

    assertTrue(dir.endsWith(Path.of("run1", "org__model", "demo__calc-1")));
    JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile())
        .get("demo__calc-1");
    assertTrue(report.get("resolved").asBoolean());
    assertFalse(report.get("patch_is_None").asBoolean());
    assertEquals("tests/test_calc.py::test_add",
        report.at("/tests_status/FAIL_TO_PASS/success/0").asText());
    String log = Files.readString(dir.resolve("test_output.txt"));
    assertTrue(log.contains("+ : '>>>>> Start Test Output'"), log);
    assertEquals(GOLD_PATCH, Files.readString(dir.resolve("patch.diff")));
    assertTrue(Files.exists(dir.resolve("eval.sh")));
  }

  @Test
  void emptyPatchIsNotResolvedAndNotRun() throws Exception {
    GradingResult r = grader.grade(shell, plan(), "  \n");

    assertEquals(GradingOutcome.EMPTY_PATCH, r.outcome());
    assertFalse(r.resolved());
    assertFalse(r.patchApplied());
    assertTrue(r.report().patchExists());
    assertTrue(r.testOutput().isEmpty());
    assertFalse(Files.exists(tmp.resolve("eval.sh")));
    assertTrue(grader.grade(shell, plan(), null).report().patchIsNone());
  }

  @Test
  void unchangedCodeRunsTheTestsAndIsNotResolved() throws Exception {
    // a patch that touches only a new file: it applies, the bug stays
    String notes = """
        diff --git a/NOTES.md b/NOTES.md
        new file mode 100644
        --- /dev/null
        +++ b/NOTES.md
        @@ -0,0 +1 @@
        +looked at add()
        """;
    GradingResult r = grader.grade(shell, plan(), notes);

    assertEquals(GradingOutcome.UNRESOLVED, r.outcome());
    assertTrue(r.patchApplied());
    TestsStatus ts = r.report().testsStatus().orElseThrow();
    assertEquals(List.of("tests/test_calc.py::test_add"), ts.failToPass().failure());
    assertEquals(ResolvedStatus.NO, ts.resolution());
  }

  @Test
  void brokenPatchIsReportedAsNotApplied() throws Exception {
    GradingResult r = grader.grade(shell, plan(), BROKEN_PATCH);

    assertEquals(GradingOutcome.PATCH_NOT_APPLIED, r.outcome());
    assertFalse(r.patchApplied());
    assertFalse(r.resolved());
    assertTrue(r.report().patchExists());
    assertTrue(r.report().testsStatus().isEmpty());
    assertTrue(r.applyLog().contains(SwebenchGrading.APPLY_PATCH_FAIL), r.applyLog());
    assertTrue(r.applyLog().contains("patch --batch --fuzz=5 -p1 -i"), r.applyLog());
    assertEquals(CALC, Files.readString(repo.resolve("calc.py")));
  }

  @Test
  void patchThatOnlyAppliesWithFuzzIsAppliedByPatch() throws Exception {
    GradingResult r = grader.grade(shell, plan(), FUZZY_PATCH);

    assertEquals(Optional.of("patch --batch --fuzz=5 -p1 -i"), r.appliedWith(), r.applyLog());
    assertEquals(GradingOutcome.RESOLVED, r.outcome(), r.testOutput().orElse(""));
  }

  @Test
  void brokenPassToPassTestMeansNotResolved() throws Exception {
    GradingResult r = grader.grade(shell, plan(), BREAKS_SUB);

    assertEquals(GradingOutcome.UNRESOLVED, r.outcome());
    TestsStatus ts = r.report().testsStatus().orElseThrow();
    assertEquals(List.of("tests/test_calc.py::test_add"), ts.failToPass().success());
    assertEquals(List.of("tests/test_calc.py::test_sub"), ts.passToPass().failure());
  }

  @Test
  void slowTestsTimeOut() throws Exception {
    Grader quick = new Grader(
        new GradingLayout(tmp.resolve("patch.diff").toString(), tmp.resolve("eval.sh").toString()),
        Duration.ofSeconds(2));
    GradingResult r = quick.grade(shell, plan("sleep 30"), GOLD_PATCH);

    assertEquals(GradingOutcome.TIMED_OUT, r.outcome());
    assertFalse(r.resolved());
    assertTrue(r.testOutput().orElseThrow().endsWith("Timeout error: 2 seconds exceeded."));
  }

  @Test
  void parsesOnlyBetweenTheMarkers() throws Exception {
    // the test command's own output names a test the way -rA would; outside the markers it is
    // ignored, as in SWE-bench
    TestPlan p = plan("echo 'PASSED tests/test_calc.py::test_add'");
    GradingResult r = grader.grade(shell, p, GOLD_PATCH);
    assertEquals(Map.of("tests/test_calc.py::test_add", "PASSED"), r.statuses());
    assertEquals(GradingOutcome.UNRESOLVED, r.outcome(), "test_sub is absent, so it fails");
  }

  @Test
  void aMissingTestRunnerIsNoVerdictAndAFixedEnvironmentGradesTheSamePatch() throws Exception {
    // -S leaves out site-packages, where pytest lives: the host without its test runner
    TestPlan noRunner = plan(python + " -S -m pytest -rA -p no:cacheprovider tests/test_calc.py");
    TestsNotRunException e = org.junit.jupiter.api.Assertions.assertThrows(
        TestsNotRunException.class, () -> grader.grade(shell, noRunner, GOLD_PATCH));
    assertTrue(e.getMessage().contains("No module named pytest"), e.getMessage());
    assertTrue(e.log().contains(SwebenchGrading.END_TEST_OUTPUT), e.log());

    run("git checkout -q -- . && git clean -fdq");
    assertEquals(GradingOutcome.RESOLVED, grader.grade(shell, plan(), GOLD_PATCH).outcome());
  }

  @Test
  void anEvalScriptThatStopsBeforeTheEndMarkerIsNoVerdict() throws Exception {
    TestsNotRunException e = org.junit.jupiter.api.Assertions.assertThrows(
        TestsNotRunException.class, () -> grader.grade(shell, plan("exit 3"), GOLD_PATCH));
    assertTrue(e.getMessage().contains("end-of-tests marker (exit 3)"), e.getMessage());
  }

  @Test
  void aSuiteThatReportsNothingEvenWithoutThePatchIsNoVerdict() throws Exception {
    TestsNotRunException e = org.junit.jupiter.api.Assertions.assertThrows(
        TestsNotRunException.class, () -> grader.grade(shell, plan("true"), GOLD_PATCH));
    assertTrue(e.getMessage().contains("with the patch or without it"), e.getMessage());
  }

  @Test
  void aPatchThatSilencesTheSuiteIsTheModelsUnresolvedVerdict() throws Exception {
    String breaksImport = """
        --- a/calc.py
        +++ b/calc.py
        @@ -1,2 +1,2 @@
        -# arithmetic helpers
        +raise SystemExit("no arithmetic today")
         # (kept small on purpose)
        """;
    // the suite runs only once calc imports: a broken calc leaves nothing to parse
    TestPlan p = plan(python + " -c 'import calc' && " + python
        + " -m pytest -rA -p no:cacheprovider tests/test_calc.py");
    GradingResult r = grader.grade(shell, p, breaksImport);

    assertEquals(GradingOutcome.LOG_NOT_PARSED, r.outcome());
    assertTrue(r.appliedWith().isPresent());
    assertEquals(Optional.of("no test reported a status with the patch; without it 2 did"),
        r.detail());
    assertEquals(CALC, Files.readString(repo.resolve("calc.py")), "the control run undid it");
  }

  @Test
  void aRowsOwnEvalScriptIsRunAsGiven() throws Exception {
    // a v5 row: no test_cmd, a repository SWE-bench has no spec for, and its own eval script
    String script = plan().evalScript().replace("set -uxo pipefail",
        "set -uxo pipefail\necho row-script-ran");
    SwebenchTask row = new SwebenchTask("demo__calc-1", "demo/calc", "1.0", baseCommit,
        GOLD_PATCH, TEST_PATCH, List.of("tests/test_calc.py::test_add"),
        List.of("tests/test_calc.py::test_sub"), null, null, script);
    TestPlan p = TestPlan.of(row, repo.toString());
    assertEquals(script, p.evalScript());

    GradingResult r = grader.grade(shell, p, GOLD_PATCH);

    assertEquals(GradingOutcome.RESOLVED, r.outcome(), r.testOutput().orElse(""));
    assertTrue(r.testOutput().orElseThrow().contains("\nrow-script-ran\n"));
  }
}
