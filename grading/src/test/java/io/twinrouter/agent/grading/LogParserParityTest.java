package io.twinrouter.agent.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every parser on every log (real runner output under grading/logs, corner cases under
 * grading/quirks) against what SWE-bench v4.1.0's own parser gave on the same file (grading/expected,
 * see grading/README.md): same names, same statuses, same order.
 */
class LogParserParityTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  static Path resources() throws URISyntaxException {
    return Path.of(LogParserParityTest.class.getResource("/grading").toURI());
  }

  @TestFactory
  Stream<DynamicTest> everyParserOnEveryLogMatchesSwebench() throws Exception {
    Path root = resources();
    List<Path> expectations;
    try (Stream<Path> files = Files.list(root.resolve("expected"))) {
      expectations = files.sorted().toList();
    }
    assertTrue(expectations.size() >= 42, "expected files present: " + expectations.size());
    List<DynamicTest> tests = new ArrayList<>();
    for (Path expected : expectations) {
      String file = expected.getFileName().toString();
      String[] parts = file.split("\\.");
      String logName = parts[0];
      String parser = parts[1];
      Path log = Files.exists(root.resolve("logs/" + logName + ".log"))
          ? root.resolve("logs/" + logName + ".log")
          : root.resolve("quirks/" + logName + ".log");
      tests.add(DynamicTest.dynamicTest(logName + " with " + parser, () -> check(log, parser,
          expected)));
    }
    return tests.stream();
  }

  private static void check(Path log, String parser, Path expected) throws IOException {
    String text = Files.readString(log, StandardCharsets.UTF_8);
    LogParser p = LogParsers.byName(parser);
    if (expected.toString().endsWith(".raises")) {
      assertThrows(LogParseException.class, () -> p.parse(text));
      return;
    }
    LinkedHashMap<String, String> want =
        JSON.readValue(expected.toFile(), new TypeReference<LinkedHashMap<String, String>>() {});
    // entries as a list: the order is part of the parity (report lists follow the task's order,
    // but a Python dict's insertion order shows in parse-log output)
    assertEquals(new ArrayList<>(want.entrySet()), new ArrayList<>(p.parse(text).entrySet()));
  }
}
