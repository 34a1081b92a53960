package io.twinrouter.orchestrator.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.twinrouter.agent.journal.JournalDatabase;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.scoring.http.HttpSettings;
import io.twinrouter.scoring.http.JsonSupport;
import io.twinrouter.scoring.http.ScoringServer;
import io.twinrouter.scoring.service.StaticEvaluations;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code live run} (bundled cases, simulated pool, bwrap) hosted in the scoring service's
 * actor system shows over HTTP while it runs, streams its case updates and a final {@code done},
 * and serves the very score.json it wrote; a resumed invocation (every case reused) too.
 */
class LiveRunServedIT {
  static final List<String> CASES = LiveRunLocalIT.CASES.subList(0, 2);

  @TempDir Path dir;

  private final HttpClient client = HttpClient.newHttpClient();

  private HttpResponse<String> get(ScoringServer server, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(30))
            .GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aHostedRunIsServedWhileItRunsAndItsScoreIsTheFileItWrote() throws Exception {
    Path out = dir.resolve("run");
    TwinrouterSettings settings = TwinrouterSettings.load();
    JournalDatabase journal = JournalDatabase.h2(out);
    Files.createDirectories(out);
    journal.ensureSchema();
    Config config = journal.pekkoConfig().withFallback(ConfigFactory.load());
    HttpSettings http = HttpSettings.from(config).withAddress("127.0.0.1", 0).withApiToken(Optional.empty());
    try (ScoringServer server = ScoringServer.start(config, http, new StaticEvaluations(settings), List::of)
        .toCompletableFuture().get(60, TimeUnit.SECONDS)) {
      LiveRun.Host host = new LiveRun.Host(server.system(), server.liveRuns());
      LiveRunOptions o = LiveRunOptions.of("bundled", "heuristic", "local", out).withWorkers(1)
          .withRunId("served-run").withInstanceIds(LiveRunChecks.idsFile(dir, CASES));
      CompletableFuture<LiveRun.Outcome> running = CompletableFuture.supplyAsync(() -> {
        try {
          return new LiveRun(o, settings).run(e -> {}, false, Optional.of(host));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });

      // the run shows up while it runs; its score is not there yet
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      HttpResponse<String> listed;
      while (!(listed = get(server, "/v1/live/runs")).body().contains("served-run")) {
        assertTrue(System.nanoTime() < deadline, "the run never showed: " + listed.body());
        Thread.sleep(20);
      }
      JsonNode summary = JsonSupport.MAPPER.readTree(listed.body()).path("runs").get(0);
      assertEquals("heuristic", summary.path("router").asText());
      assertEquals(CASES.size(), summary.path("progress").path("total").asInt());
      CompletableFuture<HttpResponse<String>> events = client.sendAsync(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
              + "/v1/live/runs/served-run/events")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (!running.isDone()) {
        assertEquals(409, get(server, "/v1/live/runs/served-run/score").statusCode());
      }

      LiveRun.Outcome outcome = running.get(10, TimeUnit.MINUTES);
      String file = Files.readString(out.resolve("score.json"), StandardCharsets.UTF_8);
      HttpResponse<String> served = get(server, "/v1/live/runs/served-run/score");
      assertEquals(200, served.statusCode(), served.body());
      assertEquals(file, served.body(), "the service's score is the run's score.json");

      // the event stream: case updates, each case last seen finished, then done, then the end
      String stream = events.get(60, TimeUnit.SECONDS).body();
      List<String[]> sse = ServerSentEvents.parse(stream);
      String[] last = sse.get(sse.size() - 1);
      assertEquals("done", last[0]);
      JsonNode done = JsonSupport.MAPPER.readTree(last[1]);
      assertEquals("finished", done.path("status").asText());
      assertEquals(outcome.score().path("resolved_count").asInt(), done.path("resolved").asInt());
      Map<String, String> lastState = new LinkedHashMap<>();
      for (String[] e : sse.subList(0, sse.size() - 1)) {
        assertEquals("case", e[0], stream);
        JsonNode c = JsonSupport.MAPPER.readTree(e[1]);
        lastState.put(c.path("instance_id").asText(), c.path("state").asText());
      }
      assertEquals(Map.of(CASES.get(0), "finished", CASES.get(1), "finished"), lastState);

      JsonNode detail = JsonSupport.MAPPER.readTree(get(server, "/v1/live/runs/served-run").body());
      assertEquals(outcome.progress().spendUsd(), detail.path("run").path("spend_usd").asDouble(), 1e-12);

      // a rerun resumes: every case is reused, read back from the run's files, same score
      new LiveRun(o, settings).run(e -> {}, false, Optional.of(host));
      HttpResponse<String> again = get(server, "/v1/live/runs/served-run/score");
      for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
          again.statusCode() == 409 && System.nanoTime() < until; Thread.sleep(20)) {
        again = get(server, "/v1/live/runs/served-run/score");
      }
      assertEquals(Files.readString(out.resolve("score.json"), StandardCharsets.UTF_8), again.body());
    }
  }
}
