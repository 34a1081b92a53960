package io.twinrouter.agent.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** SWE-bench v4.1.0's grading rules ({@code grading.py}) and its report.json format. */
class SwebenchGradingTest {

  private static final String START = "+ : '>>>>> Start Test Output'\n";
  private static final String END = "+ : '>>>>> End Test Output'\n";

  @Test
  void passedAndXfailSucceedSkippedDropsOutAbsentFails() {
    Map<String, String> statuses = Map.of(
        "p", "PASSED", "x", "XFAIL", "s", "SKIPPED", "f", "FAILED", "e", "ERROR", "odd", "ERROR:");
    TestsStatus ts = SwebenchGrading.testsStatus(
        statuses, List.of("p", "x", "s", "f", "e", "absent", "odd"), List.of("s"));

    assertEquals(List.of("p", "x"), ts.failToPass().success());
    assertEquals(List.of("f", "e", "absent"), ts.failToPass().failure());
    // a skipped PASS_TO_PASS test counts nowhere, so P2P is vacuously complete
    assertEquals(List.of(), ts.passToPass().success());
    assertEquals(List.of(), ts.passToPass().failure());
    assertEquals(1.0, ts.passToPass().rate());
    assertEquals(2.0 / 5, ts.failToPass().rate());
  }

  @Test
  void resolutionLevels() {
    Map<String, String> st = Map.of("a", "PASSED", "b", "FAILED", "c", "PASSED");
    assertEquals(ResolvedStatus.FULL,
        SwebenchGrading.testsStatus(st, List.of("a"), List.of("c")).resolution());
    assertEquals(ResolvedStatus.PARTIAL,
        SwebenchGrading.testsStatus(st, List.of("a", "b"), List.of("c")).resolution());
    assertEquals(ResolvedStatus.NO,
        SwebenchGrading.testsStatus(st, List.of("a"), List.of("b")).resolution());
    assertEquals(ResolvedStatus.NO,
        SwebenchGrading.testsStatus(st, List.of("b"), List.of()).resolution());
    // no tests at all: both rates are 1
    assertEquals(ResolvedStatus.FULL,
        SwebenchGrading.testsStatus(st, List.of(), List.of()).resolution());
  }

  @Test
  void failureCodesAndMissingMarkersMeanNotApplied() {
    LogParser pytest = LogParsers.byName("pytest");
    for (String bad : List.of(SwebenchGrading.APPLY_PATCH_FAIL, SwebenchGrading.RESET_FAILED,
        SwebenchGrading.TESTS_ERROR, SwebenchGrading.TESTS_TIMEOUT)) {
      String log = START + "PASSED t::a\n" + END + bad + "\n";
      assertEquals(Optional.empty(), SwebenchGrading.statusMap(log, pytest), bad);
    }
    assertEquals(Optional.empty(), SwebenchGrading.statusMap(START + "PASSED t::a\n", pytest));
    ReportEntry r = SwebenchGrading.report("PASSED t::a\n", pytest, List.of("t::a"), List.of());
    assertTrue(r.patchExists());
    assertFalse(r.patchSuccessfullyApplied());
    assertTrue(r.testsStatus().isEmpty());
  }

  @Test
  void parsesBetweenMarkersElseTheWholeLog() {
    LogParser pytest = LogParsers.byName("pytest");
    String log = "PASSED t::before\n" + START + "PASSED t::inside\n" + END + "PASSED t::after\n";
    assertEquals(Map.of("t::inside", "PASSED"), SwebenchGrading.statusMap(log, pytest).get());

    // nothing between the markers (e.g. the runner wrote elsewhere): the whole log is parsed
    String empty = "PASSED t::before\n" + START + "no summary\n" + END + "FAILED t::after\n";
    Map<String, String> whole = new LinkedHashMap<>();
    whole.put("t::before", "PASSED");
    whole.put("t::after", "FAILED");
    assertEquals(whole, SwebenchGrading.statusMap(empty, pytest).get());
  }

  @Test
  void skippedPytestTestIsAbsentAndSoFails() {
    String log = START + "PASSED t::a\nSKIPPED [1] t.py:3: why\n" + END;
    ReportEntry r = SwebenchGrading.report(log, LogParsers.byName("pytest"), List.of("t::a"),
        List.of("t::skipped"));
    // pytest's skip summary line ("SKIPPED [1] file:line: reason") names no test, so the parser
    // never reports SKIPPED for pytest and a skipped required test is absent, which fails
    assertTrue(r.patchSuccessfullyApplied());
    assertFalse(r.resolved());
    assertEquals(List.of("t::a"), r.testsStatus().get().failToPass().success());
    assertEquals(List.of("t::skipped"), r.testsStatus().get().passToPass().failure());
  }

  @Test
  void reportJsonIsByteForByteWhatPythonWrites() {
    TestsStatus ts = new TestsStatus(
        new TestsStatus.Split(List.of("t::a[é]"), List.of("t::b \"q\"")),
        TestsStatus.Split.EMPTY, TestsStatus.Split.EMPTY, TestsStatus.Split.EMPTY);
    ReportEntry e = new ReportEntry(false, true, true, false, Optional.of(ts));
    // json.dumps({...}, indent=4) from Python 3.11
    String python = "{\n    \"x__y-1\": {\n        \"patch_is_None\": false,\n"
        + "        \"patch_exists\": true,\n        \"patch_successfully_applied\": true,\n"
        + "        \"resolved\": false,\n        \"tests_status\": {\n"
        + "            \"FAIL_TO_PASS\": {\n                \"success\": [\n"
        + "                    \"t::a[\\u00e9]\"\n                ],\n"
        + "                \"failure\": [\n                    \"t::b \\\"q\\\"\"\n"
        + "                ]\n            },\n            \"PASS_TO_PASS\": {\n"
        + "                \"success\": [],\n                \"failure\": []\n            },\n"
        + "            \"FAIL_TO_FAIL\": {\n                \"success\": [],\n"
        + "                \"failure\": []\n            },\n            \"PASS_TO_FAIL\": {\n"
        + "                \"success\": [],\n                \"failure\": []\n            }\n"
        + "        }\n    }\n}";
    assertEquals(python, e.toReportJson("x__y-1"));
    assertEquals("{\"a\": \"b\", \"c\": \"\\u007f\\t\"}",
        io.twinrouter.bank.json.PyJson.dumpsValue(new LinkedHashMap<>(Map.of("a", "b")) {{ put("c", "\u007f\t"); }}, null));
  }

  @Test
  void unevaluatedReportForMissingAndEmptyPatches() {
    assertEquals("{\n    \"i\": {\n        \"patch_is_None\": true,\n"
            + "        \"patch_exists\": false,\n        \"patch_successfully_applied\": false,\n"
            + "        \"resolved\": false\n    }\n}",
        ReportEntry.unevaluated(null).toReportJson("i"));
    ReportEntry empty = ReportEntry.unevaluated("");
    assertFalse(empty.patchIsNone());
    assertTrue(empty.patchExists());
  }
}
