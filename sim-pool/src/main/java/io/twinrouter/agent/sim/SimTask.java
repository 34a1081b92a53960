package io.twinrouter.agent.sim;

import java.util.List;

/**
 * A task the simulated pool knows, in SWE-bench instance terms.
 *
 * @param patch the gold patch the simulated models work toward
 * @param testCmd the command that runs tests (the directives are appended)
 * @param testDirectives what the test command is given: test files of {@code test_patch} (Django:
 *     module labels)
 */
public record SimTask(
    String instanceId,
    String repo,
    String problemStatement,
    String patch,
    String testPatch,
    List<String> failToPass,
    List<String> passToPass,
    String testCmd,
    List<String> testDirectives,
    Difficulty difficulty) {

  public SimTask {
    failToPass = List.copyOf(failToPass);
    passToPass = List.copyOf(passToPass);
    testDirectives = List.copyOf(testDirectives);
  }

  /**
   * The full test command line: the test command followed by the directives it does not name
   * already (task suites often give a complete {@code test_cmd}, SWE-bench gives the bare runner).
   */
  public String testCommandLine() {
    List<String> missing = testDirectives.stream().filter(d -> !testCmd.contains(d)).toList();
    return missing.isEmpty() ? testCmd : testCmd + " " + String.join(" ", missing);
  }
}
