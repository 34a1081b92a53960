package io.twinrouter.agent.grading;

import java.util.ArrayList;
import java.util.List;

/**
 * How one case is tested: our counterpart of the evaluation half of SWE-bench's {@code TestSpec}.
 * Official rows take their command, environment and parser from {@link RepoSpecs}; a row with its
 * own {@code test_cmd} runs that command as given, with no conda activation and no re-install.
 *
 * @param envCommands run first: conda activation and the repository's {@code eval_commands}
 * @param install SWE-bench's re-install command run before the tests, or null
 * @param testCommand the full test command, test directives included
 * @param testFiles files the test patch modifies, reset to the base commit around the run
 * @param givenEvalScript the row's own eval script, run instead of the one written here; or null
 */
public record TestPlan(
    String instanceId,
    String repoDirectory,
    String baseCommit,
    String testPatch,
    List<String> envCommands,
    String install,
    String testCommand,
    List<String> testFiles,
    String logParser,
    List<String> failToPass,
    List<String> passToPass,
    String givenEvalScript) {

  /** The image's environment, as SWE-bench activates it in every eval script. */
  public static final List<String> CONDA_ACTIVATE =
      List.of("source /opt/miniconda3/bin/activate", "conda activate testbed");

  public static final String TESTBED = "/testbed";

  public TestPlan {
    envCommands = List.copyOf(envCommands);
    testFiles = List.copyOf(testFiles);
    failToPass = List.copyOf(failToPass);
    passToPass = List.copyOf(passToPass);
    LogParsers.byName(logParser);
  }

  public static TestPlan of(SwebenchTask task) {
    return of(task, TESTBED);
  }

  /**
   * @throws IllegalArgumentException when the row has no {@code test_cmd} and SWE-bench has no
   *     specs for its repository and version
   */
  public static TestPlan of(SwebenchTask task, String repoDirectory) {
    List<String> testFiles = TestPatchFiles.modifiedFiles(task.testPatch());
    if (task.evalScript() != null) {
      // a v5 row: its script knows its own test command, environment and markers
      return new TestPlan(task.instanceId(), repoDirectory, task.baseCommit(), task.testPatch(),
          List.of(), null, "(the row's eval_script)", testFiles, parserOf(task), task.failToPass(),
          task.passToPass(), task.evalScript());
    }
    if (task.testCmd() != null) {
      return new TestPlan(task.instanceId(), repoDirectory, task.baseCommit(), task.testPatch(),
          List.of(), null, task.testCmd(), testFiles, parserOf(task), task.failToPass(),
          task.passToPass(), null);
    }
    RepoSpec spec = RepoSpecs.find(task.repo(), task.version())
        .orElseThrow(() -> new IllegalArgumentException(
            task.instanceId() + ": SWE-bench has no test command for " + task.repo()
                + " version " + task.version() + " (known versions: "
                + String.join(", ", RepoSpecs.versions(task.repo()))
                + "); give the row a test_cmd and log_parser"));
    List<String> env = new ArrayList<>(CONDA_ACTIVATE);
    env.add("cd " + repoDirectory);
    env.addAll(spec.evalCommands());
    List<String> command = new ArrayList<>();
    command.add(spec.testCommand());
    command.addAll(TestPatchFiles.directives(task.repo(), task.testPatch()));
    return new TestPlan(task.instanceId(), repoDirectory, task.baseCommit(), task.testPatch(),
        env, spec.install(), String.join(" ", command), testFiles,
        task.logParser() != null ? task.logParser() : spec.logParser(), task.failToPass(),
        task.passToPass(), null);
  }

  /** The row's parser, else its repository's, else pytest's. */
  private static String parserOf(SwebenchTask task) {
    return task.logParser() != null
        ? task.logParser()
        : RepoSpecs.find(task.repo(), task.version()).map(RepoSpec::logParser)
            .orElse(LogParsers.PYTEST);
  }

  /** True when the plan uses the image's conda environment (official SWE-bench rows). */
  public boolean usesConda() {
    return !envCommands.isEmpty();
  }

  /**
   * The eval script in SWE-bench's layout ({@code make_eval_script_list_py} under {@code set
   * -uxo pipefail}): informational git output, reset the test files, apply the test patch from a
   * here-document, the test command between the two marker commands (bash's trace prints them),
   * reset the test files again.
   */
  public String evalScript() {
    if (givenEvalScript != null) {
      return givenEvalScript;
    }
    String delimiter = "EOF_114329324912";
    String reset = "git checkout " + baseCommit + " " + String.join(" ", testFiles);
    List<String> lines = new ArrayList<>();
    lines.add("#!/bin/bash");
    lines.add("set -uxo pipefail");
    if (usesConda()) {
      lines.addAll(envCommands);
    } else {
      lines.add("cd " + repoDirectory);
    }
    lines.add("git config --global --add safe.directory " + repoDirectory);
    lines.add("cd " + repoDirectory);
    lines.add("git status");
    lines.add("git show");
    lines.add("git -c core.fileMode=false diff " + baseCommit);
    if (usesConda()) {
      lines.addAll(CONDA_ACTIVATE);
    }
    if (install != null) {
      lines.add(install);
    }
    lines.add(reset);
    lines.add("git apply -v - <<'" + delimiter + "'\n" + testPatch + "\n" + delimiter);
    lines.add(": '" + SwebenchGrading.START_TEST_OUTPUT + "'");
    lines.add(testCommand);
    lines.add(": '" + SwebenchGrading.END_TEST_OUTPUT + "'");
    lines.add(reset);
    return String.join("\n", lines) + "\n";
  }
}
