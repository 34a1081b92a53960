package io.twinrouter.agent.grading;

import io.twinrouter.bank.PyText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SWE-bench v4.1.0's grading of a test log ({@code grading.py}): find the test output between the
 * markers, parse it, and compare with the task's FAIL_TO_PASS and PASS_TO_PASS lists.
 */
public final class SwebenchGrading {

  public static final String APPLY_PATCH_FAIL = ">>>>> Patch Apply Failed";
  public static final String APPLY_PATCH_PASS = ">>>>> Applied Patch";
  public static final String RESET_FAILED = ">>>>> Reset Failed";
  public static final String TESTS_ERROR = ">>>>> Tests Errored";
  public static final String TESTS_TIMEOUT = ">>>>> Tests Timed Out";
  public static final String START_TEST_OUTPUT = ">>>>> Start Test Output";
  public static final String END_TEST_OUTPUT = ">>>>> End Test Output";

  private SwebenchGrading() {}

  /**
   * {@code get_logs_eval}: empty when the log carries a failure code or lacks a marker (SWE-bench
   * then calls the patch not applied); otherwise the parse of the text between the first start
   * marker and the next end marker, or of the whole log when that gives nothing.
   */
  public static Optional<Map<String, String>> statusMap(String log, LogParser parser) {
    for (String bad : List.of(APPLY_PATCH_FAIL, RESET_FAILED, TESTS_ERROR, TESTS_TIMEOUT)) {
      if (log.contains(bad)) {
        return Optional.empty();
      }
    }
    if (!log.contains(START_TEST_OUTPUT) || !log.contains(END_TEST_OUTPUT)) {
      return Optional.empty();
    }
    Map<String, String> map = parser.parse(testOutputSection(log));
    if (map.isEmpty()) {
      map = parser.parse(log);
    }
    return Optional.of(map);
  }

  /**
   * The text between the first start marker and the next end marker ({@code
   * content.split(START)[1].split(END)[0]}); the caller checks both markers are present.
   */
  public static String testOutputSection(String log) {
    int start = log.indexOf(START_TEST_OUTPUT) + START_TEST_OUTPUT.length();
    int nextStart = log.indexOf(START_TEST_OUTPUT, start);
    String afterStart = nextStart < 0 ? log.substring(start) : log.substring(start, nextStart);
    return PyText.before(afterStart, END_TEST_OUTPUT);
  }

  /** {@code test_passed}: PASSED or XFAIL. */
  public static boolean testPassed(String test, Map<String, String> statuses) {
    String s = statuses.get(test);
    return "PASSED".equals(s) || "XFAIL".equals(s);
  }

  /** {@code test_failed}: absent, FAILED or ERROR. A SKIPPED test is neither. */
  public static boolean testFailed(String test, Map<String, String> statuses) {
    String s = statuses.get(test);
    return s == null || "FAILED".equals(s) || "ERROR".equals(s);
  }

  /** {@code get_eval_tests_report} (pass-and-fail evaluation, as for every Python repository). */
  public static TestsStatus testsStatus(
      Map<String, String> statuses, List<String> failToPass, List<String> passToPass) {
    return new TestsStatus(
        split(statuses, failToPass),
        split(statuses, passToPass),
        TestsStatus.Split.EMPTY,
        TestsStatus.Split.EMPTY);
  }

  private static TestsStatus.Split split(Map<String, String> statuses, List<String> tests) {
    List<String> success = new ArrayList<>();
    List<String> failure = new ArrayList<>();
    for (String t : tests) {
      if (testPassed(t, statuses)) {
        success.add(t);
      } else if (testFailed(t, statuses)) {
        failure.add(t);
      }
    }
    return new TestsStatus.Split(success, failure);
  }

  /**
   * {@code get_eval_report} for a prediction whose patch applied and whose test log is {@code
   * log}.
   */
  public static ReportEntry report(
      String log, LogParser parser, List<String> failToPass, List<String> passToPass) {
    Optional<Map<String, String>> statuses = statusMap(log, parser);
    if (statuses.isEmpty()) {
      return new ReportEntry(false, true, false, false, Optional.empty());
    }
    TestsStatus ts = testsStatus(statuses.get(), failToPass, passToPass);
    return new ReportEntry(
        false, true, true, ts.resolution() == ResolvedStatus.FULL, Optional.of(ts));
  }
}
