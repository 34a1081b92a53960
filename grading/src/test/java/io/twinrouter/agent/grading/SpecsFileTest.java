package io.twinrouter.agent.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.config.InputFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --specs FILE}: (repo, version) specs in SWE-bench's key names, and parser aliases. */
class SpecsFileTest {
  @TempDir Path dir;

  @Test
  void addedSpecsGiveARowWithoutTestCommandItsPlan() throws Exception {
    Path file = Files.writeString(dir.resolve("specs.json"), """
        {"inhouse/gadgets": {"2.1": {
            "python": "3.11", "packages": "requirements.txt", "pre_install": ["apt-get x"],
            "install": "python -m pip install -e .",
            "test_cmd": "pytest --no-header -rA",
            "eval_commands": ["export GADGETS_MODE=test"],
            "log_parser": "parse_log_pytest_v2"}}}
        """);
    SwebenchTask row = new SwebenchTask("inhouse__gadgets-7", "inhouse/gadgets", "2.1",
        "0".repeat(40), "", "diff --git a/tests/test_g.py b/tests/test_g.py\n", List.of("t"),
        List.of(), null, null);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TestPlan.of(row))
        .getMessage().contains("SWE-bench has no test command for inhouse/gadgets version 2.1"));

    RepoSpecs.add(SpecsFile.read(file));
    TestPlan plan = TestPlan.of(row);

    assertEquals("pytest --no-header -rA tests/test_g.py", plan.testCommand());
    assertEquals("python -m pip install -e .", plan.install());
    assertEquals(LogParsers.PYTEST_V2, plan.logParser());
    assertTrue(plan.evalScript().contains("export GADGETS_MODE=test\n"), plan.evalScript());
    assertTrue(plan.evalScript().contains("conda activate testbed"), plan.evalScript());
  }

  @Test
  void aMalformedSpecsFileIsNamedByFieldOrLine() throws Exception {
    Path noCmd = Files.writeString(dir.resolve("a.json"), "{\"a/b\": {\"1.0\": {\"install\": \"x\"}}}");
    InputFormatException e = assertThrows(InputFormatException.class, () -> SpecsFile.read(noCmd));
    assertEquals("a/b.1.0.test_cmd", e.field());

    Path badParser = Files.writeString(dir.resolve("b.json"),
        "{\"a/b\": {\"1.0\": {\"test_cmd\": \"pytest\", \"log_parser\": \"parse_log_cobol\"}}}");
    assertTrue(assertThrows(InputFormatException.class, () -> SpecsFile.read(badParser))
        .getMessage().contains("unknown log parser 'parse_log_cobol'"));

    Path broken = Files.writeString(dir.resolve("c.json"), "{\n\"a/b\": {\n\"1.0\": [\n");
    assertEquals(4, assertThrows(InputFormatException.class, () -> SpecsFile.read(broken)).line());
  }

  @Test
  void swebenchsParserNamesAreAliases() {
    assertEquals(LogParsers.byName(LogParsers.DJANGO), LogParsers.byName("parse_log_django"));
    assertEquals(LogParsers.PYTEST_OPTIONS, LogParsers.canonical("parse_log_pytest_options"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LogParsers.byName("parse_log_x"))
        .getMessage().contains("or SWE-bench's names: parse_log_django"));
  }
}
