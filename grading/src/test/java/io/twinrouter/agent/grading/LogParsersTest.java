package io.twinrouter.agent.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The behaviour of each parser on real runner output that decides verdicts, spelled out (the
 * parity test checks whole maps; these say which quirks matter and why).
 */
class LogParsersTest {

  private static Map<String, String> parse(String parser, String log) throws Exception {
    return LogParsers.byName(parser).parse(
        Files.readString(LogParserParityTest.resources().resolve("logs/" + log)));
  }

  @Test
  void pytestReadsTheShortSummary() throws Exception {
    Map<String, String> m = parse("pytest", "pytest-rA.log");
    assertEquals("PASSED", m.get("test_mixed.py::test_passes"));
    assertEquals("FAILED", m.get("test_mixed.py::test_fails"));
    assertEquals("ERROR", m.get("test_mixed.py::test_fixture_error"));
    assertEquals("XFAIL", m.get("test_mixed.py::test_expected_failure"));
    assertEquals("FAILED", m.get("test_mixed.py::test_strict_unexpected_pass"));
    assertEquals("FAILED", m.get("test_mixed.py::TestGroup::test_method_fails"));
    // quirks: an XPASS is not read; a skip line yields "[1]"; an id with a space is cut there;
    // a captured stdout line starting with a status word becomes a "test"
    assertFalse(m.containsKey("test_mixed.py::test_unexpected_pass"));
    assertEquals("SKIPPED", m.get("[1]"));
    assertEquals("PASSED", m.get("test_mixed.py::test_param[a"));
    assertEquals("PASSED", m.get("is"));
    assertEquals("FAILED", m.get("too,"));
  }

  @Test
  void collectionErrorNamesTheFileOnly() throws Exception {
    assertEquals(Map.of("test_collect_error.py", "ERROR"),
        parse("pytest", "pytest-collect-error.log"));
  }

  @Test
  void pytestOptionsKeepsOnlyTheLastComponentOfPathIds() throws Exception {
    Map<String, String> m = parse("pytest-options", "pytest-rA.log");
    assertEquals("PASSED", m.get("test_mixed.py::test_path_param[/test_mixed.py]"));
    assertEquals("PASSED", m.get("test_mixed.py::test_path_param[//server/share]"));
    assertEquals("PASSED", m.get("test_mixed.py::test_path_param[/tmp/*.txt]"));
  }

  @Test
  void pytestV2ReadsColouredVerboseLines() throws Exception {
    Map<String, String> m = parse("pytest-v2", "pytest-v2-classic-color.log");
    assertEquals("PASSED", m.get("test_mixed.py::test_passes"));
    assertEquals("ERROR", m.get("test_mixed.py::test_fixture_error"));
    assertEquals("XFAIL", m.get("test_mixed.py::test_expected_failure"));
    // plain pytest parser sees nothing here: every line starts with a colour code
    assertTrue(parse("pytest", "pytest-v2-classic-color.log").isEmpty());
  }

  @Test
  void djangoAtVerbosityTwo() throws Exception {
    Map<String, String> m = parse("django", "django-verbosity2.log");
    assertEquals("PASSED", m.get("test_create (shop.tests.ItemTests.test_create)"));
    assertEquals("FAILED", m.get("test_fails (shop.tests.ItemTests.test_fails)"));
    assertEquals("ERROR", m.get("test_errors (shop.tests.ItemTests.test_errors)"));
    assertEquals("SKIPPED", m.get("test_skipped (shop.tests.ItemTests.test_skipped)"));
    // output between "..." and "ok": the "ok" on the next line passes the test
    assertEquals("PASSED", m.get("test_noisy (shop.tests.DocstringTests.test_noisy)"));
    // a docstring's first line replaces the name on the result line
    assertEquals("PASSED", m.get("Checks the total"));
    assertEquals("PASSED", m.get("Adds two numbers."));
    // "FAIL: name (...)" headers add the bare method name
    assertEquals("FAILED", m.get("test_subtests"));
    assertEquals("FAILED",
        m.get("test_subtests (shop.tests.DocstringTests.test_subtests) (i=1)"));
    // expected failures and unexpected successes are not read
    assertFalse(m.keySet().stream().anyMatch(k -> k.startsWith("test_expected_failure")));
  }

  @Test
  void sympyOwnRunner() throws Exception {
    Map<String, String> m = parse("sympy", "sympy-verbose.log");
    assertEquals("PASSED", m.get("test_expand"));
    assertEquals("FAILED", m.get("test_wrong"));
    assertEquals("ERROR", m.get("test_raises_other"));
    assertEquals("FAILED", m.get("sympy/demo/tests/test_sample.py:test_wrong"));
    // skips ("test_x reason s") and expected failures ("test_x f") are not read
    assertFalse(m.containsKey("test_skips"));
    assertFalse(m.containsKey("test_known_bug"));
  }

  @Test
  void sympyMissesTheResultLineThatCarriesTheFileVerdict() {
    // the runner appends "[FAIL]" / "[OK]" to a file's last result line
    Map<String, String> m = SympyLogParser.parse("test_a ok\ntest_b ok        [FAIL]\n");
    assertEquals(Map.of("test_a", "PASSED"), m);
  }

  @Test
  void namesAndUnknownName() {
    assertEquals(List.of("pytest", "pytest-v2", "pytest-options", "django", "sympy",
        "matplotlib", "seaborn"), List.copyOf(LogParsers.names()));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LogParsers.byName("nose"));
    assertTrue(e.getMessage().startsWith("unknown log parser 'nose'; known: pytest, pytest-v2"));
  }
}
