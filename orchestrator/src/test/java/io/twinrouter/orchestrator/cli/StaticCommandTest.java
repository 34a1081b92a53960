package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI end to end on the parity fixtures: output, exit statuses, no partial files. */
class StaticCommandTest {
  private static final Path FIXTURES =
      Path.of(System.getProperty("twinrouter.testdata"), "fixtures", "static-parity");
  private static final String RULE = "regex:[A-Za-z0-9]+|[^A-Za-z0-9 \\t\\r\\u000B\\f]";

  @TempDir Path dir;

  record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cl = TwinrouterCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int status = cl.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  private static String fixture(String name) {
    return FIXTURES.resolve(name).toString();
  }

  @Test
  void jsonOutputIsTheReferenceSummaryByteForByte() throws IOException {
    Run r = run("static", "score", "--bank", fixture("bank2.jsonl"),
        "--predictions", fixture("predictions_bank2_mixed.jsonl"), "--label", "mixed",
        "--tokenizer", RULE, "--json");
    assertEquals(0, r.status, r.err);
    assertEquals(Files.readString(FIXTURES.resolve("expected_bank2_mixed.json"),
        StandardCharsets.UTF_8), r.out);
  }

  @Test
  void theStaticTreeAloneReadsAsTheWholeTree() throws IOException {
    // Main builds only the static commands for a command line that starts with "static"
    for (List<String> args : List.of(List.of("static", "--help"),
        List.of("static", "score", "--help"), List.of("static", "route", "--help"),
        List.of("static", "derive", "--help"))) {
      CliOutput alone = CliOutput.run(args.toArray(String[]::new));
      Run whole = run(args.toArray(String[]::new));
      assertEquals(whole.status, alone.exitCode(), args.toString());
      assertEquals(whole.out, alone.stdout(), args.toString());
    }
    assertTrue(run("static", "score", "--help").out.startsWith("Usage: twinrouter static score "));
    CliOutput scored = CliOutput.run("static", "score", "--bank", fixture("bank2.jsonl"),
        "--predictions", fixture("predictions_bank2_mixed.jsonl"), "--label", "mixed",
        "--tokenizer", RULE, "--json");
    assertEquals(0, scored.exitCode());
    assertEquals(Files.readString(FIXTURES.resolve("expected_bank2_mixed.json"),
        StandardCharsets.UTF_8), scored.stdout());
    assertEquals(2, CliOutput.run("static", "score", "--bank", fixture("bank2.jsonl"))
        .exitCode(), "a missing required option is a usage error");
  }

  @Test
  void aSecondScoreReadsTheCachedTokenCountsAndPrintsTheSameBytes() throws IOException {
    String[] args = {"static", "score", "--bank", fixture("bank2.jsonl"),
        "--predictions", fixture("predictions_bank2_mixed.jsonl"), "--label", "mixed",
        "--tokenizer", RULE, "--json"};
    Run first = run(args);
    Run second = run(args);
    assertEquals(0, second.status, second.err);
    // surefire points XDG_CACHE_HOME into target/, so this is the test's own cache
    assertTrue(second.err.contains("counts from the token-count cache"), second.err);
    assertEquals(first.out, second.out);
    assertEquals(Files.readString(FIXTURES.resolve("expected_bank2_mixed.json"),
        StandardCharsets.UTF_8), second.out);
    String[] uncached = java.util.Arrays.copyOf(args, args.length + 1);
    uncached[args.length] = "--no-token-cache";
    Run counted = run(uncached);
    assertFalse(counted.err.contains("cache"), counted.err);
    assertEquals(second.out, counted.out);
  }

  @Test
  void sampledRunWritesTheTraceAndTheDefaultLabel() throws IOException {
    Path trace = dir.resolve("trace.jsonl");
    Run r = run("static", "score", "--bank", fixture("bank1.jsonl"),
        "--predictions", fixture("predictions_bank1_mixed.jsonl"), "--sample", "30",
        "--seed", "123", "--tokenizer", RULE, "--json", "--trace", trace.toString());
    assertEquals(0, r.status, r.err);
    assertTrue(r.out.contains("\"classifier\": \"predictions_bank1_mixed\""), r.out);
    assertTrue(r.out.contains("\"combined_score_percent\": 65.64675554859008"), r.out);
    List<String> lines = Files.readAllLines(trace);
    assertEquals(Files.readAllLines(FIXTURES.resolve("trace_bank1_mixed_n30_seed123.jsonl"))
        .stream().filter(l -> !l.isBlank()).count(), lines.size());
  }

  @Test
  void anUnsampledRunEchoesItsSeed() {
    Run r = run("static", "score", "--bank", fixture("bank1.jsonl"),
        "--predictions", fixture("predictions_bank1_mixed.jsonl"), "--seed", "7",
        "--tokenizer", RULE, "--json");
    assertEquals(0, r.status, r.err);
    assertTrue(r.out.contains("\"sample_mode\": \"full_bank\",\n  \"sampled\": 56,\n"
        + "  \"seed\": 7,"), r.out);
  }

  @Test
  void tableShowsHeadlinesAndBenchmarks() {
    Run r = run("static", "score", "--bank", fixture("bank1.jsonl"),
        "--predictions", fixture("predictions_bank1_always-high.jsonl"), "--tokenizer", RULE);
    assertEquals(0, r.status, r.err);
    assertTrue(r.out.contains("COMBINED"), r.out);
    for (String b : List.of("bfcl", "mtrag", "pinchbench", "qmsum", "swebench")) {
      assertTrue(r.out.contains(b), r.out);
    }
  }

  @Test
  void aMalformedBankExitsTwoNamingFileLineAndFieldAndWritesNothing() throws IOException {
    Path bank = dir.resolve("bad.jsonl");
    List<String> rows = Files.readAllLines(FIXTURES.resolve("bank1.jsonl"));
    Files.write(bank, List.of(rows.get(0), rows.get(1).replace("\"target_tier_id\": 0",
        "\"target_tier_id\": 9")));
    Path trace = dir.resolve("trace.jsonl");
    Run r = run("static", "score", "--bank", bank.toString(),
        "--predictions", fixture("predictions_bank1_mixed.jsonl"), "--json",
        "--trace", trace.toString(), "--tokenizer", RULE);
    assertEquals(2, r.status);
    assertEquals("", r.out);
    assertTrue(r.err.contains(bank + " line 2, field target_tier_id"), r.err);
    assertFalse(Files.exists(trace));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "only the bank itself");
    }
  }

  @Test
  void missingPredictionsAreCountedAndUnknownIdsRejected() throws IOException {
    Path preds = dir.resolve("few.jsonl");
    Files.writeString(preds, "{\"id\": \"bfcl_bfcl_multi_00\", \"tier\": \"low\"}\n");
    Run few = run("static", "score", "--bank", fixture("bank1.jsonl"),
        "--predictions", preds.toString(), "--tokenizer", RULE, "--json");
    assertEquals(0, few.status, few.err);
    assertTrue(few.err.contains("55 of 56 rows had no prediction"), few.err);

    Files.writeString(preds, "{\"id\": \"bfcl_bfcl_multi_00\", \"tier\": \"low\"}\n"
        + "{\"id\": \"nope\", \"tier\": \"low\"}\n");
    Run unknown = run("static", "score", "--bank", fixture("bank1.jsonl"),
        "--predictions", preds.toString(), "--tokenizer", RULE, "--json");
    assertEquals(2, unknown.status);
    assertTrue(unknown.err.contains(preds + " line 2, field id"), unknown.err);
  }

  @Test
  void badOptionsExitTwo() {
    Run tokenizer = run("static", "score", "--bank", fixture("bank1.jsonl"),
        "--predictions", fixture("predictions_bank1_mixed.jsonl"), "--tokenizer", "low=gpt2");
    assertEquals(2, tokenizer.status);
    assertTrue(tokenizer.err.contains("unknown tokenizer 'gpt2'"), tokenizer.err);
    Run sample = run("static", "score", "--bank", fixture("bank1.jsonl"),
        "--predictions", fixture("predictions_bank1_mixed.jsonl"), "--sample", "0");
    assertEquals(2, sample.status);
    Run noBank = run("static", "score", "--bank", dir.resolve("none.jsonl").toString(),
        "--predictions", fixture("predictions_bank1_mixed.jsonl"));
    assertEquals(2, noBank.status);
    assertTrue(noBank.err.contains("none.jsonl"), noBank.err);
  }
}
