package io.twinrouter.agent.grading;

import java.util.List;

/**
 * What SWE-bench's eval script needs for one repository at one version: the extra commands run
 * after activating the environment ({@code eval_commands}, e.g. Django's locale), the
 * re-install command it runs before the tests ({@code install}, may be null), the test command
 * the test files are appended to, and the log parser.
 */
public record RepoSpec(
    List<String> evalCommands, String install, String testCommand, String logParser) {

  public RepoSpec {
    evalCommands = List.copyOf(evalCommands);
    LogParsers.byName(logParser);
  }
}
