package io.twinrouter.agent.grading;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a test log says when the test runner itself could not start: python's {@code No module
 * named X} for a {@code -m X} runner, bash's {@code command not found} for the command's first
 * word. Read only when no test reported a status, so a test that prints such a line itself
 * cannot turn a verdict into a retry.
 */
final class RunnerSigns {

  private static final Pattern MODULE = Pattern.compile("(?:^|\\s)-m\\s+([A-Za-z_][\\w.]*)");
  private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_]\\w*=\\S*");

  private RunnerSigns() {}

  /** Why the runner of {@code testCommand} did not start, judging by {@code log}; else empty. */
  static Optional<String> runnerMissing(String testCommand, String log) {
    Matcher m = MODULE.matcher(testCommand);
    if (m.find()) {
      String module = m.group(1);
      String top = module.contains(".") ? module.substring(0, module.indexOf('.')) : module;
      for (String name : new String[] {module, top}) {
        if (log.contains("No module named " + name) || log.contains("No module named '" + name)) {
          return Optional.of("the test runner '" + module + "' is not installed (No module named "
              + name + ")");
        }
      }
    }
    String program = firstWord(testCommand);
    if (program != null && (log.contains(program + ": command not found")
        || log.contains(program + ": No such file or directory"))) {
      return Optional.of("the test runner '" + program + "' is missing (command not found)");
    }
    return Optional.empty();
  }

  /** The program a command line starts, past leading {@code NAME=value} assignments. */
  private static String firstWord(String command) {
    for (String word : command.strip().split("\\s+")) {
      if (!ASSIGNMENT.matcher(word).matches()) {
        return word.isEmpty() ? null : word;
      }
    }
    return null;
  }
}
