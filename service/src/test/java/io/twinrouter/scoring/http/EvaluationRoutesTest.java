package io.twinrouter.scoring.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Evaluations over real HTTP: the service asks a router served on loopback for every row, some
 * answers time out, are garbage, fail or name a model outside the pool; those rows are error
 * rows and the rest scores exactly as the reference does.
 */
class EvaluationRoutesTest {
  static TestService svc;

  @BeforeAll
  static void start() throws Exception {
    svc = TestService.bank1();
  }

  @AfterAll
  static void stop() {
    svc.close();
  }

  /** Row id to the fixture's tier, or null where the fixture has an error row. */
  static Map<String, String> mixedTiers() throws Exception {
    Map<String, String> tiers = new HashMap<>();
    for (String line : Files.readAllLines(TestService.fixtures().resolve("predictions_bank1_mixed.jsonl"))) {
      if (!line.isBlank()) {
        JsonNode p = JsonSupport.MAPPER.readTree(line);
        tiers.put(p.get("id").asText(), p.has("tier") ? p.get("tier").asText() : null);
      }
    }
    return tiers;
  }

  static String startEvaluation(String body) throws Exception {
    return startEvaluation(svc, body);
  }

  static String startEvaluation(TestService svc, String body) throws Exception {
    var r = svc.post("/v1/static/banks/bank1/evaluations", "application/json", body);
    assertEquals(202, r.statusCode(), r.body());
    String id = TestService.json(r).get("id").asText();
    assertEquals("/v1/jobs/" + id, r.headers().firstValue("Location").orElse(""));
    return id;
  }

  static JsonNode awaitJob(String id) throws Exception {
    return awaitJob(svc, id);
  }

  static JsonNode awaitJob(TestService svc, String id) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      var r = svc.get("/v1/jobs/" + id);
      assertEquals(200, r.statusCode(), r.body());
      JsonNode job = TestService.json(r);
      if (!"running".equals(job.get("status").asText())) {
        return job;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("job " + id + " did not finish");
  }

  @Test
  void routerFailuresAreErrorRowsAndTheRestScoresLikeTheReference() throws Exception {
    Map<String, String> tiers = mixedTiers();
    List<String> failureModes = List.of("timeout", "garbage", "http500", "outside-pool");
    Map<String, String> modeOfRow = new HashMap<>();
    try (LoopbackRouter router = new LoopbackRouter(ctx -> {
      String id = ctx.get("row_id").asText();
      String tier = tiers.get(id);
      if (tier != null) {
        return LoopbackRouter.Answer.json("{\"tier\": \"" + tier + "\", \"rationale\": \"fixture\"}");
      }
      String mode = modeOfRow.computeIfAbsent(id, k -> failureModes.get(Math.abs(k.hashCode()) % failureModes.size()));
      return switch (mode) {
        case "timeout" -> new LoopbackRouter.Answer(200, "{\"tier\": \"high\"}", 8000);
        case "garbage" -> LoopbackRouter.Answer.json("tier=high, trust me");
        case "http500" -> new LoopbackRouter.Answer(500, "{\"oops\": true}", 0);
        default -> LoopbackRouter.Answer.json("{\"model_id\": \"openai/gpt-9\"}");
      };
    })) {
      String id = startEvaluation("{\"router\": \"" + router.url() + "\", \"concurrency\": 8, \"timeout_ms\": 2500}");
      JsonNode job = awaitJob(id);
      assertEquals("done", job.get("status").asText(), job.toString());
      assertEquals(56, job.get("progress").get("done").asInt());
      assertEquals(9, job.get("progress").get("errors").asInt(), job.get("summary").get("errors").toString());

      // every row was asked (a call whose connection broke is retried once by the HTTP router),
      // with its context and never its label
      java.util.Set<String> asked = new java.util.HashSet<>();
      for (String body : router.requests) {
        asked.add(JsonSupport.MAPPER.readTree(body).get("row_id").asText());
        assertFalse(body.contains("target_tier"), body);
        JsonNode ctx = JsonSupport.MAPPER.readTree(body);
        assertEquals("static", ctx.get("track").asText());
        assertTrue(ctx.get("messages").isArray() && ctx.get("available_models").size() == 4, body);
      }
      assertEquals(tiers.keySet(), asked);

      JsonNode expected = JsonSupport.MAPPER.readTree(
          Files.readString(TestService.fixtures().resolve("expected_bank1_mixed.json")));
      ObjectNode summary = (ObjectNode) job.get("summary");
      // a URL router without a label is named by its port, never by its URL
      assertEquals("http-" + java.net.URI.create(router.url()).getPort(), summary.get("classifier").asText());
      assertEquals(summary.get("classifier"), job.get("router"));
      JsonNode errors = summary.get("errors");
      assertEquals(9, errors.size());
      for (JsonNode e : errors) {
        String text = e.get("error").asText();
        String mode = modeOfRow.get(e.get("id").asText());
        String expectedText = switch (mode) {
          case "timeout" -> "did not answer within";
          case "garbage" -> "not JSON";
          case "http500" -> "HTTP 500";
          default -> "openai/gpt-9";
        };
        assertTrue(text.contains(expectedText), mode + ": " + text);
      }
      // the metrics depend on which rows failed, not on the failure's text
      ObjectNode reference = ((ObjectNode) expected).deepCopy();
      for (ObjectNode s : List.of(reference, summary)) {
        s.remove(List.of("classifier", "errors"));
      }
      JsonAssert.assertSameJson(reference, summary);
    }
  }

  @Test
  void eventsStreamProgressThenTheSummary() throws Exception {
    try (LoopbackRouter router = new LoopbackRouter(ctx ->
        new LoopbackRouter.Answer(200, "{\"tier\": \"low\"}", 20))) {
      String id = startEvaluation("{\"router\": \"" + router.url() + "\", \"concurrency\": 2}");
      HttpResponse<java.io.InputStream> r = svc.client.send(
          svc.request("/v1/jobs/" + id + "/events").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, r.statusCode());
      assertEquals("text/event-stream", r.headers().firstValue("Content-Type").orElse(""));
      List<String> types = new ArrayList<>();
      List<JsonNode> data = new ArrayList<>();
      try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
        // one event is a block of field lines ended by a blank line, fields in any order
        String line;
        String type = null;
        String payload = null;
        while ((line = in.readLine()) != null) {
          if (line.startsWith("event:")) {
            type = line.substring(6).strip();
          } else if (line.startsWith("data:")) {
            payload = line.substring(5).strip();
            assertFalse(payload.contains("target_tier"), payload);
          } else if (line.isEmpty() && payload != null) {
            types.add(type);
            data.add(JsonSupport.MAPPER.readTree(payload));
            type = null;
            payload = null;
          }
        }
      }
      assertEquals("done", types.get(types.size() - 1), types.toString());
      assertTrue(types.size() >= 3, "expected several progress events, got " + types);
      int last = -1;
      for (int i = 0; i < types.size() - 1; i++) {
        assertEquals("progress", types.get(i));
        int done = data.get(i).get("done").asInt();
        assertTrue(done > last, "progress must grow: " + types);
        last = done;
        assertEquals(56, data.get(i).get("total").asInt());
      }
      assertEquals(56, last);
      JsonNode done = data.get(data.size() - 1);
      assertEquals(id, done.get("id").asText());
      assertEquals("done", done.get("status").asText());
      assertEquals(56, done.get("summary").get("sampled").asInt());
      assertEquals(0, done.get("summary").get("api_errors").asInt());
    }
  }

  @Test
  void aBuiltInRouterScoresLikeItsPredictionFile() throws Exception {
    JsonNode job = awaitJob(startEvaluation("{\"router\": \"always-high\"}"));
    assertEquals("done", job.get("status").asText(), job.toString());
    ObjectNode summary = (ObjectNode) job.get("summary");
    assertEquals("always-high", summary.get("classifier").asText());
    JsonAssert.assertSameJson(
        JsonSupport.MAPPER.readTree(Files.readString(TestService.fixtures().resolve("expected_bank1_always-high.json"))),
        summary);
  }

  @Test
  void badEvaluationRequestsAre4xx() throws Exception {
    String path = "/v1/static/banks/bank1/evaluations";
    String field = "detail";
    var missing = svc.post(path, "application/json", "{\"concurrency\": 2}");
    TestService.assertError(400, missing);
    assertTrue(TestService.json(missing).get(field).asText().contains("router"));
    var unknown = svc.post(path, "application/json", "{\"router\": \"always-medium\"}");
    TestService.assertError(400, unknown);
    assertTrue(TestService.json(unknown).get(field).asText().contains("always-medium"), unknown.body());
    TestService.assertError(400, svc.post(path, "application/json", "{\"router\": \"java:java.lang.Object\"}"));
    var zero = svc.post(path, "application/json", "{\"router\": \"always-low\", \"concurrency\": 0}");
    TestService.assertError(400, zero);
    assertTrue(TestService.json(zero).get(field).asText().contains("concurrency"));
    var timeout = svc.post(path, "application/json", "{\"router\": \"always-low\", \"timeout_ms\": \"soon\"}");
    assertTrue(TestService.json(timeout).get(field).asText().contains("timeout_ms"));
    TestService.assertError(400, timeout);
    var extra = svc.post(path, "application/json", "{\"router\": \"always-low\", \"routr\": 1}");
    assertTrue(TestService.json(extra).get(field).asText().contains("routr"));
    var badJson = svc.post(path, "application/json", "{\"router\": ");
    TestService.assertError(400, badJson);
    TestService.assertError(400, svc.post(path, "application/json", "[]"));
    TestService.assertError(415, svc.post(path, "text/plain", "{\"router\": \"always-low\"}"));
    TestService.assertError(404, svc.post("/v1/static/banks/nope/evaluations", "application/json", "{\"router\": \"always-low\"}"));
  }

  @Test
  void aLabelNamesTheJobAndItsPredictionsDownloadWithRationales() throws Exception {
    Map<String, String> tiers = mixedTiers();
    try (LoopbackRouter router = new LoopbackRouter(ctx -> {
      String id = ctx.get("row_id").asText();
      String tier = tiers.get(id);
      long delay = id.equals("bfcl_bfcl_multi_00") ? 0 : 30; // the check before the job is quick
      return tier == null ? new LoopbackRouter.Answer(500, "{\"oops\": true}", delay)
          : new LoopbackRouter.Answer(200, "{\"tier\": \"" + tier + "\", \"rationale\": \"r-" + id + "\"}", delay);
    })) {
      String id = startEvaluation("{\"router\": \"" + router.url() + "\", \"label\": \"uncommon-0.7\", \"concurrency\": 4}");
      var early = svc.get("/v1/jobs/" + id + "/predictions");
      assertEquals("job_not_done", TestService.assertError(409, early));
      JsonNode job = awaitJob(id);
      assertEquals("done", job.get("status").asText(), job.toString());
      assertEquals("uncommon-0.7", job.get("router").asText());
      assertEquals("uncommon-0.7", job.get("summary").get("classifier").asText());

      var r = svc.get("/v1/jobs/" + id + "/predictions");
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/x-ndjson"),
          r.headers().toString());
      List<String> lines = r.body().lines().toList();
      assertEquals(56, lines.size());
      int errors = 0;
      for (String line : lines) {
        JsonNode p = JsonSupport.MAPPER.readTree(line);
        String rowId = p.get("id").asText();
        if (tiers.get(rowId) == null) {
          errors++;
          assertTrue(p.get("error").asText().contains("HTTP 500"), line);
        } else {
          assertEquals(tiers.get(rowId), p.get("tier").asText(), line);
          assertEquals("r-" + rowId, p.get("rationale").asText(), line);
        }
      }
      assertEquals(9, errors);
      // the file scores as the job did: it can stand in for the job anywhere a file is read
      var rescored = svc.post("/v1/static/banks/bank1/score?label=uncommon-0.7", "application/x-ndjson", r.body());
      assertEquals(200, rescored.statusCode(), rescored.body());
      JsonAssert.assertSameJson(job.get("summary"), TestService.json(rescored));
    }
    assertEquals("unknown_job", TestService.assertError(404, svc.get("/v1/jobs/nope/predictions")));
  }

  @Test
  void aRouterThatDoesNotAnswerIsA400BeforeAnyJob() throws Exception {
    String path = "/v1/static/banks/bank1/evaluations";
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    var refused = svc.post(path, "application/json", "{\"router\": \"http://127.0.0.1:" + port + "/route\"}");
    TestService.assertError(400, refused);
    String detail = TestService.json(refused).get("detail").asText();
    assertTrue(detail.startsWith("field 'router': router 'http-" + port + "' does not answer: cannot connect"), detail);
    assertTrue(detail.contains("connection refused"), detail);
    try (LoopbackRouter router = new LoopbackRouter(ctx -> LoopbackRouter.Answer.json("{\"tier\": \"low\"}"))) {
      String wrongPath = router.url().replace("/route", "/");
      var notFound = svc.post(path, "application/json", "{\"router\": \"" + wrongPath + "\"}");
      TestService.assertError(400, notFound);
      assertTrue(TestService.json(notFound).get("detail").asText().contains("answered HTTP 404"), notFound.body());
      var badLabel = svc.post(path, "application/json", "{\"router\": \"" + router.url() + "\", \"label\": \"a b\"}");
      TestService.assertError(400, badLabel);
      assertTrue(TestService.json(badLabel).get("detail").asText().startsWith("field 'label'"), badLabel.body());
      assertTrue(router.requests.isEmpty(), "a bad label is refused before the router is asked");
    }
  }
}
