package io.twinrouter.scoring.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.protocol.LiveRunUpdate;
import io.twinrouter.scoring.json.PythonJsonWriter;
import io.twinrouter.scoring.live.FinishedRun;
import io.twinrouter.scoring.service.LiveRuns;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live-run routes over real HTTP on 127.0.0.1, fed with real updates and case reports
 * through the service's {@link LiveRuns} registry, as a hosted run feeds it.
 */
class LiveRunRoutesTest {
  private static final double EPS = 1e-12;

  /** One server-sent event. */
  record Sse(String event, JsonNode data) {}

  /** Reads an event stream on its own thread; the test takes events with a timeout. */
  static final class SseReader {
    final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
    static final Object END = new Object();

    SseReader(TestService svc, String path) throws Exception {
      HttpResponse<Stream<String>> r = svc.client.send(
          svc.request(path).header("Accept", "text/event-stream").GET().build(),
          HttpResponse.BodyHandlers.ofLines());
      assertEquals(200, r.statusCode());
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
      Thread t = new Thread(() -> {
        String event = null;
        StringBuilder data = new StringBuilder();
        try (Stream<String> lines = r.body()) {
          for (String line : (Iterable<String>) lines::iterator) {
            if (line.startsWith("event:")) {
              event = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
              data.append(line.substring(5).trim());
            } else if (line.isEmpty() && data.length() > 0) {
              items.add(new Sse(event, JsonSupport.MAPPER.readTree(data.toString())));
              event = null;
              data.setLength(0);
            }
          }
        } catch (Exception e) {
          items.add(e);
        }
        items.add(END);
      }, "sse-reader");
      t.setDaemon(true);
      t.start();
    }

    Sse next() throws Exception {
      Object o = items.poll(30, TimeUnit.SECONDS);
      assertNotNull(o, "no event within 30 s");
      if (o instanceof Exception e) {
        throw e;
      }
      assertTrue(o instanceof Sse, "the stream ended early");
      return (Sse) o;
    }

    void assertEnded() throws Exception {
      assertEquals(END, items.poll(30, TimeUnit.SECONDS), "the stream did not end after done");
    }
  }

  private static void feed(TestService svc, LiveRunUpdate... updates) {
    for (LiveRunUpdate u : updates) {
      svc.server.liveRuns().tell(new LiveRuns.Update(u));
    }
  }

  private static void assertCase(Sse e, String id, String state) {
    assertEquals("case", e.event(), e.toString());
    assertEquals(id, e.data().path("instance_id").asText(), e.toString());
    assertEquals(state, e.data().path("state").asText(), e.toString());
  }

  /** Polls until the run's status is as expected (the registry gets updates asynchronously). */
  private static JsonNode awaitRun(TestService svc, String id, String status) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      HttpResponse<String> r = svc.get("/v1/live/runs/" + id);
      if (r.statusCode() == 200 && status.equals(TestService.json(r).path("run").path("status").asText())) {
        return TestService.json(r);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("run " + id + " never became " + status + ": " + r.body());
      }
      Thread.sleep(10);
    }
  }

  @Test
  void aRunFedWithCaseReportsIsServedWhileItRunsAndAfter() throws Exception {
    try (TestService svc = TestService.start(TestService.settings(Optional.empty(), 1 << 20), List::of)) {
      svc.awaitReady();
      String run = "run-a";
      feed(svc, LiveRunsFixture.started(run, List.of("c1", "c2", "c3")));
      JsonNode running = awaitRun(svc, run, "running");
      assertEquals(3, running.path("run").path("progress").path("queued").asInt());
      assertEquals("always-high", running.path("run").path("router").asText());
      assertEquals("run_in_progress", TestService.assertError(409, svc.get("/v1/live/runs/run-a/score")));

      SseReader events = new SseReader(svc, "/v1/live/runs/run-a/events");
      // the state of every case now: the subscription is in place once these arrived
      assertCase(events.next(), "c1", "queued");
      assertCase(events.next(), "c2", "queued");
      assertCase(events.next(), "c3", "queued");

      feed(svc,
          new LiveRunUpdate.CaseStarted(run, "c1"),
          new LiveRunUpdate.CaseStarted(run, "c2"),
          new LiveRunUpdate.CaseStepped(run, "c1", 2, 0.004));
      assertCase(events.next(), "c1", "running");
      assertCase(events.next(), "c2", "running");
      Sse stepped = events.next();
      assertCase(stepped, "c1", "running");
      assertEquals(2, stepped.data().path("steps").asInt());
      assertEquals(0.004, stepped.data().path("spend_usd").asDouble(), EPS);

      // mid-run: progress, spend so far, and still no score
      JsonNode list = TestService.json(svc.get("/v1/live/runs"));
      assertEquals(1, list.path("runs").size());
      JsonNode summary = list.path("runs").get(0);
      assertEquals("running", summary.path("status").asText());
      assertEquals(2, summary.path("progress").path("running").asInt());
      assertEquals(0.004, summary.path("spend_usd").asDouble(), EPS);
      assertEquals(409, svc.get("/v1/live/runs/run-a/score").statusCode());

      feed(svc,
          new LiveRunUpdate.CaseRestarting(run, "c2", 1, "infrastructure failure"),
          LiveRunsFixture.reported(run, "c1", true, 0.012, 3),
          new LiveRunUpdate.CaseStarted(run, "c3"),
          LiveRunsFixture.reported(run, "c2", false, 0.020, 5),
          LiveRunsFixture.givenUp(run, "c3", 0.001),
          LiveRunsFixture.finished(run, "c3"));
      Sse restarting = events.next();
      assertCase(restarting, "c2", "restarting");
      assertEquals(1, restarting.data().path("restarts").asInt());
      Sse c1 = events.next();
      assertCase(c1, "c1", "finished");
      assertTrue(c1.data().path("resolved").asBoolean());
      assertEquals(0.012, c1.data().path("spend_usd").asDouble(), EPS);
      assertCase(events.next(), "c3", "running");
      Sse c2 = events.next();
      assertCase(c2, "c2", "finished");
      assertFalse(c2.data().path("resolved").asBoolean());
      Sse c3 = events.next();
      assertCase(c3, "c3", "infra_error");
      assertEquals("sandbox engine gone", c3.data().path("detail").asText());
      Sse done = events.next();
      assertEquals("done", done.event());
      assertEquals("finished", done.data().path("status").asText());
      assertEquals(1, done.data().path("resolved").asInt());
      events.assertEnded();

      JsonNode detail = awaitRun(svc, run, "finished");
      assertEquals(List.of("finished", "finished", "infra_error"),
          states(detail.path("cases")));
      assertEquals(0.020, detail.path("cases").get(1).path("spend_usd").asDouble(), EPS);
      JsonNode progress = detail.path("run").path("progress");
      assertEquals(3, progress.path("total").asInt());
      assertEquals(2, progress.path("finished").asInt());
      assertEquals(1, progress.path("infra_errors").asInt());
      assertEquals(0.033, detail.path("run").path("spend_usd").asDouble(), EPS);

      // the score: bill = API cost + (1 - resolved) x 0.60 per scored case; c3 has no report
      HttpResponse<String> scored = svc.get("/v1/live/runs/run-a/score");
      assertEquals(200, scored.statusCode(), scored.body());
      JsonNode score = TestService.json(scored);
      assertEquals(1, score.path("resolved_count").asInt());
      assertEquals(2, score.path("instance_count").asInt());
      assertEquals(0.5, score.path("resolved_rate").asDouble(), EPS);
      assertEquals(0.032, score.path("total_router_cost_usd").asDouble(), EPS);
      assertEquals(0.60, score.path("total_penalty_cost_usd").asDouble(), EPS);
      assertEquals(0.632, score.path("total_leaderboard_bill_usd").asDouble(), EPS);
      assertEquals("1.pool-fp", score.path("pricing_fingerprint").asText());
      assertEquals("run-a", score.path("run_id").asText());
      assertEquals("c3", score.path("infrastructure_errors").get(0).asText());
      assertFalse(score.path("run_cut_short").asBoolean());
      assertEquals(4.0, score.path("avg_steps").asDouble(), EPS);

      // a finished run's events: the final states, then done
      SseReader after = new SseReader(svc, "/v1/live/runs/run-a/events");
      assertCase(after.next(), "c1", "finished");
      assertCase(after.next(), "c2", "finished");
      assertCase(after.next(), "c3", "infra_error");
      assertEquals("done", after.next().event());
      after.assertEnded();
    }
  }

  private static List<String> states(JsonNode cases) {
    List<String> out = new ArrayList<>();
    cases.forEach(c -> out.add(c.path("state").asText()));
    return out;
  }

  @Test
  void anUnknownRunIsA404OnEveryRoute() throws Exception {
    try (TestService svc = TestService.start(TestService.settings(Optional.empty(), 1 << 20), List::of)) {
      svc.awaitReady();
      assertEquals(0, TestService.json(svc.get("/v1/live/runs")).path("runs").size());
      for (String path : List.of("/v1/live/runs/nope", "/v1/live/runs/nope/score",
          "/v1/live/runs/nope/events")) {
        assertEquals("unknown_run", TestService.assertError(404, svc.get(path)), path);
      }
      assertEquals("method_not_allowed", TestService.assertError(405,
          svc.post("/v1/live/runs", "application/json", "{}")));
    }
  }

  @Test
  void theRoutesNeedTheTokenWhenOneIsSet() throws Exception {
    try (TestService svc = TestService.start(TestService.settings(Optional.of("s3cret"), 1 << 20), List::of)) {
      feed(svc, LiveRunsFixture.started("run-t", List.of("c1")));
      for (String path : List.of("/v1/live/runs", "/v1/live/runs/run-t",
          "/v1/live/runs/run-t/score", "/v1/live/runs/run-t/events")) {
        HttpResponse<String> anonymous = svc.client.send(
            java.net.http.HttpRequest.newBuilder(svc.uri(path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals("unauthorized", TestService.assertError(401, anonymous), path);
      }
      assertEquals(200, svc.get("/v1/live/runs").statusCode());
      awaitRun(svc, "run-t", "running");
    }
  }

  @Test
  void aFinishedRunLoadedFromItsDirectoryServesItsScoreFileAsWritten(@TempDir Path dir)
      throws Exception {
    JsonNode score = JsonSupport.MAPPER.readTree(
        "{\"router_label\": \"cheap\", \"total_leaderboard_bill_usd\": 0.61, \"total_router_cost_usd\": 0.01,"
            + " \"total_penalty_cost_usd\": 0.6, \"resolved_count\": 0, \"resolved_rate\": 0.0,"
            + " \"instance_count\": 1, \"avg_cost_per_resolved_usd\": Infinity, \"per_instance\": ["
            + "{\"instance_id\": \"c1\", \"resolved\": false, \"step_count\": 2,"
            + " \"router_actual_cost_usd\": 0.01}], \"run_id\": \"old-run\","
            + " \"infrastructure_errors\": [\"c2\"]}");
    String written = PythonJsonWriter.write(score);
    Files.writeString(dir.resolve("score.json"), written, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("run.json"), "{\"run_id\": \"old-run\", \"router_label\": \"cheap\"}");
    try (TestService svc = TestService.start(TestService.settings(Optional.empty(), 1 << 20), List::of)) {
      svc.server.liveRuns().tell(new LiveRuns.LoadFinished(FinishedRun.read(dir)));
      JsonNode detail = awaitRun(svc, "old-run", "finished");
      assertEquals("cheap", detail.path("run").path("router").asText());
      assertEquals(List.of("finished", "infra_error"), states(detail.path("cases")));
      assertNull(detail.path("cases").get(1).get("exit_status").textValue());
      HttpResponse<String> served = svc.get("/v1/live/runs/old-run/score");
      assertEquals(200, served.statusCode());
      assertEquals(written, served.body());
    }
  }
}
