package io.twinrouter.agent.grading;

/** The statuses SWE-bench's log parsers report, spelled as in its {@code TestStatus} enum. */
public enum TestStatus {
  FAILED,
  PASSED,
  SKIPPED,
  ERROR,
  XFAIL;

  /** The status word a line starts with, or null ({@code any(line.startswith(x.value) ...)}). */
  static TestStatus prefixOf(String line) {
    for (TestStatus s : values()) {
      if (line.startsWith(s.name())) {
        return s;
      }
    }
    return null;
  }

  static boolean anySuffixOf(String line) {
    for (TestStatus s : values()) {
      if (line.endsWith(s.name())) {
        return true;
      }
    }
    return false;
  }
}
