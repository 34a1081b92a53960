package io.twinrouter.agent.grading;

import java.util.Map;

/**
 * Turns a test runner's log into a map of test name to status word, as one of SWE-bench v4.1.0's
 * parsers does. Values are strings, not {@link TestStatus}, because some parsers copy whatever
 * token sits in the status position; grading only counts the words it knows.
 */
@FunctionalInterface
public interface LogParser {

  /**
   * @return test name to status, in first-seen order (a later line for the same test overwrites
   *     the status but keeps the position, as a Python dict does)
   * @throws LogParseException where SWE-bench's parser itself raises (an index error on a
   *     truncated line)
   */
  Map<String, String> parse(String log);
}
