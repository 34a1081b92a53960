package io.twinrouter.orchestrator.cli;

import io.twinrouter.agent.grading.LogParseException;
import io.twinrouter.agent.grading.LogParser;
import io.twinrouter.agent.grading.LogParsers;
import io.twinrouter.agent.grading.SwebenchGrading;
import io.twinrouter.bank.json.PyJson;
import io.twinrouter.console.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** SWE-bench helpers: {@code swebench parse-log}. */
@Command(
    name = "swebench",
    mixinStandardHelpOptions = true,
    description = "SWE-bench grading helpers (SWE-bench v4.1.0 rules).",
    subcommands = {SwebenchCommand.ParseLog.class})
public final class SwebenchCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  @Command(
      name = "parse-log",
      mixinStandardHelpOptions = true,
      description = {
        "Parses a test log with one of SWE-bench v4.1.0's log parsers and prints the map of test"
            + " name to status (PASSED, FAILED, SKIPPED, ERROR, XFAIL) as one JSON object.",
        "A log holding SWE-bench's '>>>>> Start Test Output' / '>>>>> End Test Output' markers"
            + " (a test_output.txt) is parsed between them, as grading does, falling back to the"
            + " whole log when that finds nothing; any other log is parsed whole."
      })
  static final class ParseLog implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--parser",
        required = true,
        paramLabel = "NAME",
        description = "pytest, pytest-v2, pytest-options, django, sympy, matplotlib or seaborn")
    String parser;

    @Option(names = "--whole", description = "Parse the whole file even if it has markers.")
    boolean whole;

    @Parameters(paramLabel = "FILE", description = "The test log.")
    Path file;

    @Override
    public Integer call() {
      LogParser p = LogParsers.find(parser)
          .orElseThrow(() -> new InputException("unknown log parser '" + parser
              + "'; known: " + String.join(", ", LogParsers.names())));
      String log = read(file);
      Map<String, String> statuses;
      try {
        statuses = whole || !hasMarkers(log) ? p.parse(log) : parseBetweenMarkers(p, log);
      } catch (LogParseException e) {
        throw new InputException(file + ": " + e.getMessage());
      }
      spec.commandLine().getOut().println(PyJson.dumpsValue(statuses, 2));
      spec.commandLine().getOut().flush();
      return 0;
    }

    private static boolean hasMarkers(String log) {
      return log.contains(SwebenchGrading.START_TEST_OUTPUT)
          && log.contains(SwebenchGrading.END_TEST_OUTPUT);
    }

    private static Map<String, String> parseBetweenMarkers(LogParser p, String log) {
      Map<String, String> m = p.parse(SwebenchGrading.testOutputSection(log));
      return m.isEmpty() ? p.parse(log) : m;
    }

    private static String read(Path file) {
      if (!Files.isRegularFile(file)) {
        throw new InputException("log file not found: " + file);
      }
      try {
        // undecodable bytes become U+FFFD rather than failing: logs hold arbitrary output
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new InputException("cannot read log file " + file + ": " + e.getMessage(), e);
      }
    }
  }
}
