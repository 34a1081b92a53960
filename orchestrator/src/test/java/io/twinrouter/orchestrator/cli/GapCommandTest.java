package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.scoring.http.ScoringServer;
import java.io.IOException;
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
 * {@code gap} on a hand-written run directory whose router is an URL: without a prediction file
 * it is bad input naming the run; with one, {@code gap --json} and the service's {@code GET
 * /v1/gap} ({@code serve --gap-runs --gap-predictions}) give the same report.
 */
class GapCommandTest {
  static final String LABEL = "my-router";
  @TempDir Path dir;

  @Test
  void aRouterThatIsNotBuiltInNeedsItsPredictionsAndThenTheCliAndTheServiceAgree() throws Exception {
    Path bank = GapPageIT.writeBank(dir.resolve("gapbank.jsonl"));
    Path run = writeRun(dir.resolve("run"));
    Path predictions = dir.resolve("preds.jsonl");
    Files.write(predictions, List.of(
        "{\"id\": \"" + GapPageIT.CASES.get(0) + "_s1\", \"tier\": \"low\"}",
        "{\"id\": \"" + GapPageIT.CASES.get(0) + "_s2\", \"tier\": \"high\"}",
        "{\"id\": \"" + GapPageIT.CASES.get(1) + "_s1\", \"tier\": \"mid\"}"));

    ServeCommandTest.Run refused = ServeCommandTest.cli("gap", "--bank", bank.toString(),
        "--tokenizer", GapPageIT.TOKENS, "--runs", run.toString());
    assertEquals(2, refused.status(), refused.err());
    assertTrue(refused.err().contains("not built in") && refused.err().contains("--predictions " + LABEL + "=FILE"),
        refused.err());

    ServeCommandTest.Run misspelt = ServeCommandTest.cli("gap", "--bank", bank.toString(),
        "--tokenizer", GapPageIT.TOKENS, "--runs", run.toString(), "--predictions", "my-ruoter=" + predictions);
    assertEquals(2, misspelt.status(), misspelt.err());
    assertTrue(misspelt.err().contains("predictions are given for router 'my-ruoter', but no run has that"
        + " label; the runs' labels: " + LABEL), misspelt.err());

    ServeCommandTest.Run gap = ServeCommandTest.cli("gap", "--bank", bank.toString(),
        "--tokenizer", GapPageIT.TOKENS, "--json", "--runs", run.toString(),
        "--predictions", LABEL + "=" + predictions);
    assertEquals(0, gap.status(), gap.err());
    JsonNode cli = GapPageIT.JSON.readTree(gap.out());
    JsonNode router = cli.at("/routers/0");
    assertEquals(LABEL, router.get("router").asText());
    // ledgerkit-101: low>=low, high>=mid passes; tinyini-201: mid < mid_high fails
    assertEquals(List.of(true, false), List.of(router.at("/cases/0/static_pass").asBoolean(),
        router.at("/cases/1/static_pass").asBoolean()));
    assertEquals(1, router.at("/live/resolved").asInt());
    assertEquals(List.of("low", "high"), List.of(router.at("/cases/0/tiers/0").asText(),
        router.at("/cases/0/tiers/1").asText()));

    ServeCommand serve = new ServeCommand();
    CompletableFuture<ScoringServer> ready = new CompletableFuture<>();
    serve.onReady = ready::complete;
    CommandLine cl = new CommandLine(serve);
    cl.setErr(new PrintWriter(new StringWriter(), true));
    CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> cl.execute("--port", "0",
        "--bank", "gapbank=" + bank, "--tokenizer", GapPageIT.TOKENS, "--gap-runs", run.toString(),
        "--gap-predictions", LABEL + "=" + predictions));
    ScoringServer server = ready.get(120, TimeUnit.SECONDS);
    try {
      HttpResponse<String> http = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + server.port() + "/v1/gap")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, http.statusCode(), http.body());
      assertEquals(cli, GapPageIT.JSON.readTree(http.body()));
    } finally {
      server.close();
    }
    assertEquals(0, status.get(30, TimeUnit.SECONDS));
  }

  /** A run of the two cases by an HTTP router: the first resolved in two steps, the second not. */
  static Path writeRun(Path run) throws IOException {
    Files.createDirectories(run.resolve("results"));
    Files.writeString(run.resolve("run.json"), GapPageIT.JSON.createObjectNode()
        .put("router_label", LABEL).put("router", "http://127.0.0.1:9/route").toString());
    for (int c = 0; c < 2; c++) {
      String id = GapPageIT.CASES.get(c);
      Files.writeString(run.resolve("results/" + id + ".json"), GapPageIT.JSON.createObjectNode()
          .put("instance_id", id).put("resolved", c == 0).toString());
      StringBuilder trace = new StringBuilder();
      for (String tier : c == 0 ? List.of("low", "high") : List.of("mid")) {
        ObjectNode step = GapPageIT.JSON.createObjectNode().put("instance_id", id)
            .put("step_cost_usd", 0.01).put("tier", tier);
        trace.append(step).append('\n');
      }
      Files.writeString(run.resolve(id + ".trace.jsonl"), trace);
    }
    return run;
  }
}
