package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.orchestrator.live.RunOutputs;
import io.twinrouter.scoring.http.ScoringServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code serve} end to end: the command starts the service on loopback, and for every parity
 * fixture the summary over HTTP is byte for byte what {@code static score --json} prints.
 */
class ServeCommandTest {
  static final Path FIXTURES = Path.of(System.getProperty("twinrouter.testdata"), "fixtures", "static-parity");
  static final String RULE = "regex:[A-Za-z0-9]+|[^A-Za-z0-9 \\t\\r\\u000B\\f]";

  record Run(int status, String out, String err) {}

  static Run cli(String... args) {
    CommandLine cl = TwinrouterCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return new Run(cl.execute(args), out.toString(), err.toString());
  }

  /** A {@code serve} running in this JVM, its exit status and its stderr. */
  record Serving(ScoringServer server, CompletableFuture<Integer> status, StringWriter err) {}

  static Serving serve(String... args) throws Exception {
    ServeCommand serve = new ServeCommand();
    CompletableFuture<ScoringServer> ready = new CompletableFuture<>();
    serve.onReady = ready::complete;
    CommandLine cl = new CommandLine(serve);
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err, true));
    CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> cl.execute(args));
    return new Serving(ready.get(120, TimeUnit.SECONDS), status, err);
  }

  @Test
  void theSummaryOverHttpIsTheClisByteForByte() throws Exception {
    Serving serving = serve("--port", "0", "--bank", "bank1=" + FIXTURES.resolve("bank1.jsonl"),
        "--bank", "bank2=" + FIXTURES.resolve("bank2.jsonl"), "--tokenizer", RULE);
    ScoringServer server = serving.server();
    StringWriter err = serving.err();
    CompletableFuture<Integer> status = serving.status();
    try {
      assertEquals("127.0.0.1", server.host());
      assertTrue(err.toString().contains("listening on http://127.0.0.1:" + server.port()), err.toString());
      HttpClient client = HttpClient.newHttpClient();
      URI base = URI.create("http://127.0.0.1:" + server.port());
      assertEquals(200, client.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
      for (String bank : List.of("bank1", "bank2")) {
        for (String set : List.of("always-high", "always-low", "mixed")) {
          Path predictions = FIXTURES.resolve("predictions_" + bank + "_" + set + ".jsonl");
          HttpResponse<String> http = client.send(
              HttpRequest.newBuilder(base.resolve("/v1/static/banks/" + bank + "/score?label=" + set))
                  .header("Content-Type", "application/x-ndjson")
                  .POST(HttpRequest.BodyPublishers.ofFile(predictions)).build(),
              HttpResponse.BodyHandlers.ofString());
          assertEquals(200, http.statusCode(), http.body());
          Run local = cli("static", "score", "--bank", FIXTURES.resolve(bank + ".jsonl").toString(),
              "--predictions", predictions.toString(), "--label", set, "--tokenizer", RULE, "--json");
          assertEquals(0, local.status(), local.err());
          assertEquals(local.out(), http.body(), bank + " " + set);
          assertEquals(Files.readString(FIXTURES.resolve("expected_" + bank + "_" + set + ".json")), http.body());
        }
      }
    } finally {
      server.close();
    }
    assertEquals(0, status.get(30, TimeUnit.SECONDS));
  }

  @Test
  void staticScoreWithServerPrintsWhatItPrintsLocally(@TempDir Path dir) throws Exception {
    Serving serving = serve("--port", "0", "--bank", "b1=" + FIXTURES.resolve("bank1.jsonl"),
        "--tokenizer", RULE);
    String url = "http://127.0.0.1:" + serving.server().port();
    String bank = FIXTURES.resolve("bank1.jsonl").toString();
    // the same bytes under another name: found by hash, reported under the local name
    Path renamed = Files.copy(FIXTURES.resolve("bank1.jsonl"), dir.resolve("renamed.jsonl"));
    try {
      for (List<String> options : List.of(
          List.of("--bank", bank, "--label", "mixed", "--json"),
          List.of("--bank", bank),
          List.of("--bank", bank, "--sample", "30", "--seed", "123", "--json"),
          List.of("--bank", renamed.toString(), "--json"))) {
        List<String> args = new java.util.ArrayList<>(List.of("static", "score",
            "--predictions", FIXTURES.resolve("predictions_bank1_mixed.jsonl").toString(),
            "--tokenizer", RULE));
        args.addAll(options);
        Run local = cli(args.toArray(String[]::new));
        args.addAll(List.of("--server", url));
        Run remote = cli(args.toArray(String[]::new));
        assertEquals(0, local.status(), local.err());
        assertEquals(0, remote.status(), remote.err());
        assertEquals(local.out(), remote.out(), options.toString());
        assertTrue(remote.err().contains("scored by " + url + " (bank 'b1')"), remote.err());
      }
      Files.writeString(renamed, "\n", java.nio.file.StandardOpenOption.APPEND);
      Run otherBytes = cli("static", "score", "--bank", renamed.toString(), "--predictions",
          FIXTURES.resolve("predictions_bank1_mixed.jsonl").toString(), "--tokenizer", RULE,
          "--server", url);
      assertEquals(2, otherBytes.status());
      assertTrue(otherBytes.err().contains("does not serve " + renamed), otherBytes.err());
      Run otherTokens = cli("static", "score", "--bank", bank, "--predictions",
          FIXTURES.resolve("predictions_bank1_mixed.jsonl").toString(), "--tokenizer", "cl100k",
          "--server", url);
      assertEquals(2, otherTokens.status());
      assertTrue(otherTokens.err().contains("counts tokens by"), otherTokens.err());
      Path unknownIds = dir.resolve("unknown.jsonl");
      Files.writeString(unknownIds, "{\"id\": \"nope\", \"tier\": \"low\"}\n");
      Run badPredictions = cli("static", "score", "--bank", bank, "--predictions",
          unknownIds.toString(), "--tokenizer", RULE, "--server", url);
      assertEquals(2, badPredictions.status());
      assertTrue(badPredictions.err().contains("answered 400"), badPredictions.err());
    } finally {
      serving.server().close();
    }
    assertEquals(0, serving.status().get(30, TimeUnit.SECONDS));
    Run nobody = cli("static", "score", "--bank", bank, "--predictions",
        FIXTURES.resolve("predictions_bank1_mixed.jsonl").toString(), "--tokenizer", RULE,
        "--server", url);
    assertEquals(2, nobody.status());
    assertTrue(nobody.err().contains("nothing answers at " + url), nobody.err());
  }

  @Test
  void finishedRunDirectoriesAreServedWithTheirScoreFiles(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("always-high");
    Files.createDirectories(run);
    ObjectNode written = JsonNodeFactory.instance.objectNode()
        .put("router_label", "always-high").put("total_leaderboard_bill_usd", 0.61)
        .put("avg_cost_per_resolved_usd", Double.POSITIVE_INFINITY);
    written.putArray("per_instance").addObject().put("instance_id", "a__b-1")
        .put("resolved", false).put("router_actual_cost_usd", 0.01);
    RunOutputs.write(run.resolve("score.json"), written); // as a run writes it
    String score = Files.readString(run.resolve("score.json"));
    Files.writeString(run.resolve("run.json"), "{\"run_id\": \"old-1\", \"router_label\": \"always-high\"}");
    ServeCommand serve = new ServeCommand();
    CompletableFuture<ScoringServer> ready = new CompletableFuture<>();
    serve.onReady = ready::complete;
    CommandLine cl = new CommandLine(serve);
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err, true));
    CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> cl.execute(
        "--port", "0", "--runs", run.toString()));
    ScoringServer server = ready.get(120, TimeUnit.SECONDS);
    try {
      assertTrue(err.toString().contains("live run old-1 (always-high)"), err.toString());
      HttpClient client = HttpClient.newHttpClient();
      URI base = URI.create("http://127.0.0.1:" + server.port());
      HttpResponse<String> list = client.send(HttpRequest.newBuilder(base.resolve("/v1/live/runs")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertTrue(list.body().contains("\"id\":\"old-1\"") && list.body().contains("\"status\":\"finished\""),
          list.body());
      HttpResponse<String> served = client.send(
          HttpRequest.newBuilder(base.resolve("/v1/live/runs/old-1/score")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, served.statusCode(), served.body());
      assertEquals(score, served.body());
    } finally {
      server.close();
    }
    assertEquals(0, status.get(30, TimeUnit.SECONDS));
  }

  @Test
  void aRunDirectoryWithoutAScoreIsExit2NamingTheFile(@TempDir Path dir) {
    Run unfinished = cli("serve", "--port", "0", "--runs", dir.toString());
    assertEquals(2, unfinished.status());
    assertTrue(unfinished.err().contains(dir.resolve("score.json").toString()), unfinished.err());
  }

  @Test
  void badBanksAreExit2WithOneLine() {
    Run missing = cli("serve", "--port", "0", "--bank", "b=" + FIXTURES.resolve("nope.jsonl"));
    assertEquals(2, missing.status());
    assertTrue(missing.err().contains("nope.jsonl") && missing.err().contains("not found"), missing.err());
    Run badName = cli("serve", "--port", "0", "--bank", "a/b=" + FIXTURES.resolve("bank1.jsonl"));
    assertEquals(2, badName.status());
    assertTrue(badName.err().contains("bank name"), badName.err());
  }
}
