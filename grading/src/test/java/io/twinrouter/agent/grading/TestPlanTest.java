package io.twinrouter.agent.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Test commands, files and eval scripts as SWE-bench derives them from a task row. */
class TestPlanTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String DJANGO_TEST_PATCH = """
      diff --git a/tests/admin_views/tests.py b/tests/admin_views/tests.py
      --- a/tests/admin_views/tests.py
      +++ b/tests/admin_views/tests.py
      @@ -1,3 +1,4 @@
       import os
      +import re
      -- a removed line that looks like a header
      +++ an added line that looks like one
      diff --git a/tests/admin_views/fixtures/data.json b/tests/admin_views/fixtures/data.json
      --- a/tests/admin_views/fixtures/data.json
      +++ b/tests/admin_views/fixtures/data.json
      @@ -1 +1 @@
      -[]
      +[{}]
      diff --git a/tests/i18n/sampleproject/new_test.py b/tests/i18n/sampleproject/new_test.py
      new file mode 100644
      --- /dev/null
      +++ b/tests/i18n/sampleproject/new_test.py
      @@ -0,0 +1 @@
      +x = 1
      diff --git a/tests/results.csv b/tests/results.csv
      --- a/tests/results.csv
      +++ b/tests/results.csv
      @@ -1 +1 @@
      -a
      +b
      """;

  /** A row as SWE-bench Verified's export has it: the test lists are JSON-encoded strings. */
  private static String officialRow(String repo, String version, String testPatch)
      throws Exception {
    return JSON.writeValueAsString(new java.util.LinkedHashMap<String, Object>() {{
        put("instance_id", "django__django-11099");
        put("repo", repo);
        put("version", version);
        put("base_commit", "abc123");
        put("patch", "diff --git a/x b/x\n");
        put("test_patch", testPatch);
        put("FAIL_TO_PASS", "[\"test_a (admin_views.tests.T)\"]");
        put("PASS_TO_PASS", "[]");
      }});
  }

  @Test
  void djangoDirectivesAreModuleLabelsAndDataFilesAreDropped() {
    assertEquals(List.of("admin_views.tests", "i18n.sampleproject.new_test"),
        TestPatchFiles.directives("django/django", DJANGO_TEST_PATCH));
    assertEquals(
        List.of("tests/admin_views/tests.py", "tests/i18n/sampleproject/new_test.py"),
        TestPatchFiles.directives("pallets/flask", DJANGO_TEST_PATCH));
  }

  @Test
  void modifiedFilesSkipNewFilesAndHunkBodies() {
    assertEquals(List.of("tests/admin_views/tests.py", "tests/admin_views/fixtures/data.json",
            "tests/results.csv"),
        TestPatchFiles.modifiedFiles(DJANGO_TEST_PATCH));
    String plain = "--- a/one.py\n+++ b/one.py\n@@ -1 +1 @@\n-a\n+b\n"
        + "--- a/two.py\t2020-01-01\n+++ b/two.py\n@@ -1 +1 @@\n-a\n+b\n";
    assertEquals(List.of("one.py", "two.py"), TestPatchFiles.modifiedFiles(plain));
  }

  @Test
  void officialDjangoRowGetsSwebenchsScript() throws Exception {
    SwebenchTask task = SwebenchTask.fromJson(
        JSON.readTree(officialRow("django/django", "3.0", DJANGO_TEST_PATCH)));
    TestPlan plan = TestPlan.of(task);

    assertEquals(List.of("test_a (admin_views.tests.T)"), plan.failToPass());
    assertEquals("django", plan.logParser());
    assertEquals("./tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1"
        + " admin_views.tests i18n.sampleproject.new_test", plan.testCommand());
    String reset = "git checkout abc123 tests/admin_views/tests.py"
        + " tests/admin_views/fixtures/data.json tests/results.csv";
    String expectedStart = String.join("\n",
        "#!/bin/bash",
        "set -uxo pipefail",
        "source /opt/miniconda3/bin/activate",
        "conda activate testbed",
        "cd /testbed",
        "sed -i '/en_US.UTF-8/s/^# //g' /etc/locale.gen && locale-gen",
        "export LANG=en_US.UTF-8",
        "export LANGUAGE=en_US:en",
        "export LC_ALL=en_US.UTF-8",
        "git config --global --add safe.directory /testbed",
        "cd /testbed",
        "git status",
        "git show",
        "git -c core.fileMode=false diff abc123",
        "source /opt/miniconda3/bin/activate",
        "conda activate testbed",
        "python -m pip install -e .",
        reset,
        "git apply -v - <<'EOF_114329324912'");
    String script = plan.evalScript();
    assertTrue(script.startsWith(expectedStart + "\n" + DJANGO_TEST_PATCH + "\nEOF_114329324912\n"),
        script);
    assertTrue(script.endsWith("\n: '>>>>> Start Test Output'\n" + plan.testCommand()
        + "\n: '>>>>> End Test Output'\n" + reset + "\n"), script);
  }

  @Test
  void everyVerifiedRepositoryHasItsParser() {
    assertEquals("pytest-v2", RepoSpecs.find("astropy/astropy", "5.2").get().logParser());
    assertEquals("pytest -rA -vv -o console_output_style=classic --tb=no",
        RepoSpecs.find("astropy/astropy", "1.3").get().testCommand());
    assertEquals("./tests/runtests.py --verbosity 2",
        RepoSpecs.find("django/django", "1.9").get().testCommand());
    assertEquals("sympy", RepoSpecs.find("sympy/sympy", "1.12").get().logParser());
    assertEquals("pytest-options", RepoSpecs.find("psf/requests", "2.26").get().logParser());
    assertEquals("pytest-options", RepoSpecs.find("pylint-dev/pylint", "2.15").get().logParser());
    assertEquals("pytest-v2", RepoSpecs.find("sphinx-doc/sphinx", "7.2").get().logParser());
    assertEquals("tox --current-env -epy39 -v --",
        RepoSpecs.find("sphinx-doc/sphinx", "7.2").get().testCommand());
    assertEquals("pytest-v2", RepoSpecs.find("scikit-learn/scikit-learn", "1.3").get().logParser());
    assertEquals("matplotlib", RepoSpecs.find("matplotlib/matplotlib", "3.7").get().logParser());
    assertEquals("seaborn", RepoSpecs.find("mwaskom/seaborn", "0.12").get().logParser());
    assertEquals("pytest", RepoSpecs.find("pydata/xarray", "2022.06").get().logParser());
    assertEquals("pytest", RepoSpecs.find("pytest-dev/pytest", "5.4").get().logParser());
    assertEquals("pytest -rA", RepoSpecs.find("pallets/flask", "2.3").get().testCommand());
    assertEquals(12, RepoSpecs.repositories().size());
  }

  @Test
  void ownTestCommandRunsAsGivenWithoutConda() throws Exception {
    String row = """
        {"instance_id": "ours-1", "repo": "acme/tool", "base_commit": "b0",
         "test_patch": "diff --git a/t/test_x.py b/t/test_x.py\\n--- a/t/test_x.py\\n+++ b/t/test_x.py\\n",
         "FAIL_TO_PASS": ["t/test_x.py::test_a"], "PASS_TO_PASS": [],
         "test_cmd": "pytest -rA t/test_x.py", "log_parser": "pytest-v2"}
        """;
    TestPlan plan = TestPlan.of(SwebenchTask.fromJson(JSON.readTree(row)));

    assertEquals("pytest -rA t/test_x.py", plan.testCommand());
    assertEquals("pytest-v2", plan.logParser());
    assertTrue(!plan.usesConda() && !plan.evalScript().contains("conda"));
    assertTrue(plan.evalScript().contains("\ngit checkout b0 t/test_x.py\n"));
  }

  @Test
  void clearErrorsForUnknownVersionsAndParsers() throws Exception {
    SwebenchTask old = SwebenchTask.fromJson(
        JSON.readTree(officialRow("django/django", "0.9", DJANGO_TEST_PATCH)));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TestPlan.of(old));
    assertTrue(e.getMessage().contains("django/django version 0.9"), e.getMessage());
    assertTrue(e.getMessage().contains("test_cmd"), e.getMessage());

    String row = "{\"instance_id\": \"x-1\", \"repo\": \"a/b\", \"base_commit\": \"c\","
        + " \"test_patch\": \"\", \"log_parser\": \"nose\"}";
    e = assertThrows(IllegalArgumentException.class,
        () -> SwebenchTask.fromJson(JSON.readTree(row)));
    assertTrue(e.getMessage().contains("x-1: unknown log_parser 'nose'; known: pytest"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> SwebenchTask.fromJson(JSON.readTree("{\"instance_id\": \"x-2\", \"repo\": \"a/b\"}")));
    assertEquals("x-2: missing field 'base_commit'", e.getMessage());
  }
}
