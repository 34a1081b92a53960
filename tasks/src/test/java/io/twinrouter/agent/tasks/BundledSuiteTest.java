package io.twinrouter.agent.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validates every bundled task the way SWE-bench validates its own, on the machine's git and
 * python3-pytest: at the base commit with the test patch, every FAIL_TO_PASS test fails and every
 * PASS_TO_PASS test passes (so an empty patch does not resolve); with the gold patch too, all pass.
 */
class BundledSuiteTest {
  private static final Pattern DIFF_PATH = Pattern.compile("(?m)^diff --git a/\\S+ b/(\\S+)$");
  private static final List<String> STATUSES =
      List.of("PASSED", "FAILED", "ERROR", "SKIPPED", "XFAIL", "XPASS");

  @TempDir static Path work;
  private static List<TaskInstance> tasks;

  @BeforeAll
  static void extract() {
    tasks = TaskSuite.bundled(work.resolve("suite"));
  }

  @TestFactory
  Stream<DynamicTest> goldPatchResolvesAndEmptyPatchDoesNot() {
    return tasks.stream().map(task -> DynamicTest.dynamicTest(task.instanceId(), () -> validate(task)));
  }

  @Test
  void patchesTouchOnlyTheirSideOfTheTests() {
    for (TaskInstance task : tasks) {
      for (String path : paths(task.patch())) {
        assertTrue(!isTestPath(path), task.instanceId() + ": gold patch touches test file " + path);
      }
      for (String path : paths(task.testPatch())) {
        assertTrue(isTestPath(path), task.instanceId() + ": test patch touches " + path);
      }
      for (String path : paths(task.testPatch())) {
        assertTrue(task.testCmd().orElseThrow().contains(path), task.instanceId() + ": test_cmd misses " + path);
      }
    }
  }

  private static void validate(TaskInstance task) throws Exception {
    Path testbed = work.resolve("testbed-" + task.instanceId());
    run(work, "git", "clone", "-q", task.repoSource().orElseThrow().toString(), testbed.toString());
    run(testbed, "git", "checkout", "-q", task.baseCommit());
    run(testbed, "git", "cat-file", "-e", task.environmentSetupCommit() + "^{commit}");
    apply(testbed, task.testPatch(), "test.diff");

    Map<String, String> before = pytest(testbed, task);
    for (String test : task.failToPass()) {
      String status = before.getOrDefault(test, "missing");
      assertTrue(status.equals("FAILED") || status.equals("ERROR"),
          task.instanceId() + ": FAIL_TO_PASS " + test + " is " + status + " without the gold patch");
    }
    for (String test : task.passToPass()) {
      assertEquals("PASSED", before.getOrDefault(test, "missing"),
          task.instanceId() + ": PASS_TO_PASS " + test + " without the gold patch");
    }

    apply(testbed, task.patch(), "gold.diff");
    Map<String, String> after = pytest(testbed, task);
    for (String test : concat(task.failToPass(), task.passToPass())) {
      assertEquals("PASSED", after.getOrDefault(test, "missing"),
          task.instanceId() + ": " + test + " with the gold patch");
    }
    assertEquals(task.failToPass().size() + task.passToPass().size(), after.size(),
        task.instanceId() + ": tests run but not listed: " + after.keySet());
  }

  private static void apply(Path testbed, String patch, String name) throws Exception {
    Path file = work.resolve(testbed.getFileName() + "-" + name);
    Files.writeString(file, patch);
    run(testbed, "git", "apply", "--verbose", file.toString());
  }

  /** Status per test id from the short summary of {@code pytest -rA}. */
  private static Map<String, String> pytest(Path testbed, TaskInstance task) throws Exception {
    String output = run(testbed, "bash", "-c", task.testCmd().orElseThrow() + " || true");
    Map<String, String> statuses = new LinkedHashMap<>();
    for (String line : output.split("\n")) {
      String[] words = line.trim().split("\\s+");
      if (words.length >= 2 && STATUSES.contains(words[0])) {
        statuses.putIfAbsent(words[1], words[0]);
      }
    }
    if (statuses.isEmpty()) {
      fail(task.instanceId() + ": no test results in the output:\n" + output);
    }
    return statuses;
  }

  private static String run(Path dir, String... command) throws IOException, InterruptedException {
    Path log = Files.createTempFile(work, "run-", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().keySet().removeIf(key -> key.startsWith("PYTHON") || key.startsWith("GIT_"));
    builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      fail(String.join(" ", command) + " timed out after 120 s");
    }
    String text = Files.readString(log, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      fail(String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + text);
    }
    return text;
  }

  private static List<String> paths(String patch) {
    List<String> paths = new ArrayList<>();
    Matcher matcher = DIFF_PATH.matcher(patch);
    while (matcher.find()) {
      paths.add(matcher.group(1));
    }
    assertTrue(!paths.isEmpty(), "a patch without diff --git headers");
    return paths;
  }

  private static boolean isTestPath(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    return path.startsWith("tests/") || name.startsWith("test_") || name.equals("conftest.py");
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }
}
