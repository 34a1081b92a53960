package io.twinrouter.agent.grading;

import io.twinrouter.bank.PyText;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SWE-bench v4.1.0's {@code parse_log_sympy} for sympy's own runner ({@code bin/test -C
 * --verbose}): "test_x ok" / "test_x F" / "test_x E" lines, plus every "___ path.py:test_x ___"
 * failure header marked FAILED. Quirks kept: the header pattern needs no underscores at all, so
 * any " something.py:rest " span on a line counts as a failure (greedy, up to the last ".py:" and
 * the last space); the header key is "path.py:name" while the verbose lines give bare names, so a
 * failing test appears under both; a skipped or expected-failure test ("test_x s", "test_x f") is
 * absent.
 */
final class SympyLogParser {

  private SympyLogParser() {}

  private static final Pattern FAILURE_HEADER =
      Pattern.compile("(_*) (.*)\\.py:(.*) (_*)", Pattern.UNIX_LINES);

  static Map<String, String> parse(String log) {
    Map<String, String> map = new LinkedHashMap<>();
    Matcher m = FAILURE_HEADER.matcher(log);
    while (m.find()) {
      map.put(m.group(2) + ".py:" + m.group(3), "FAILED");
    }
    for (String rawLine : PyText.lines(log)) {
      String line = PyText.strip(rawLine);
      if (!line.startsWith("test_")) {
        continue;
      }
      if (line.endsWith(" E")) {
        map.put(PytestLogParsers.token(line, 0), "ERROR");
      }
      if (line.endsWith(" F")) {
        map.put(PytestLogParsers.token(line, 0), "FAILED");
      }
      if (line.endsWith(" ok")) {
        map.put(PytestLogParsers.token(line, 0), "PASSED");
      }
    }
    return map;
  }
}
