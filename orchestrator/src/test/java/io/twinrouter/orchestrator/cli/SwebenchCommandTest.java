package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code twinrouter swebench parse-log} through the real command line. */
class SwebenchCommandTest {

  @TempDir Path tmp;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = TwinrouterCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void printsTheStatusMapAsOneJsonObject() throws Exception {
    Path log = tmp.resolve("test_output.txt");
    Files.writeString(log, String.join("\n",
        "PASSED outside::the_markers",
        "+ : '>>>>> Start Test Output'",
        "test_a (app.tests.T) ... ok",
        "test_b (app.tests.T) ... FAIL",
        "test_c (app.tests.T) ... skipped 'no db'",
        "+ : '>>>>> End Test Output'",
        ""));

    assertEquals(0, run("swebench", "parse-log", "--parser", "django", log.toString()), err.toString());

    Map<String, String> want = new LinkedHashMap<>();
    want.put("test_a (app.tests.T)", "PASSED");
    want.put("test_b (app.tests.T)", "FAILED");
    want.put("test_c (app.tests.T)", "SKIPPED");
    @SuppressWarnings("unchecked")
    Map<String, String> got = new ObjectMapper().readValue(out.toString(), LinkedHashMap.class);
    assertEquals(List.copyOf(want.entrySet()), List.copyOf(got.entrySet()));
    assertEquals("", err.toString());
  }

  @Test
  void wholeFileWithoutMarkersOrOnRequest() throws Exception {
    Path log = tmp.resolve("pytest.log");
    Files.writeString(log, "PASSED a.py::t1\nFAILED a.py::t2 - AssertionError\n");
    assertEquals(0, run("swebench", "parse-log", "--parser", "pytest", log.toString()));
    assertEquals("{\n  \"a.py::t1\": \"PASSED\",\n  \"a.py::t2\": \"FAILED\"\n}\n",
        out.toString().replace(System.lineSeparator(), "\n"));
  }

  @Test
  void unknownParserAndMissingFileAreUserErrors() {
    Path missing = tmp.resolve("nope.log");
    assertEquals(2, run("swebench", "parse-log", "--parser", "nose", missing.toString()));
    assertTrue(err.toString().contains(
        "unknown log parser 'nose'; known: pytest, pytest-v2, pytest-options, django, sympy"),
        err.toString());

    assertEquals(2, run("swebench", "parse-log", "--parser", "pytest", missing.toString()));
    assertTrue(err.toString().contains("log file not found: " + missing), err.toString());
    assertEquals("", out.toString());
  }
}
