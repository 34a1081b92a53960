package io.twinrouter.scoring.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The bank list, the prefixes and scoring over real HTTP, against the static-parity fixtures: the
 * summaries must equal the reference's, and no answer may carry a label.
 */
class StaticRoutesTest {
  static final long BODY_LIMIT = 256 * 1024;
  static TestService svc;

  @BeforeAll
  static void start() throws Exception {
    svc = TestService.start(TestService.settings(Optional.empty(), BODY_LIMIT),
        () -> List.of(TestService.fixtureBank("bank1.jsonl"), TestService.fixtureBank("bank2.jsonl")));
    svc.awaitReady();
  }

  @AfterAll
  static void stop() {
    svc.close();
  }

  static String fixture(String name) throws IOException {
    return Files.readString(TestService.fixtures().resolve(name));
  }

  @Test
  void listsEachBankWithItsCountsAndTheSha256OfItsFile() throws Exception {
    var r = svc.get("/v1/static/banks");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode banks = TestService.json(r).get("banks");
    assertEquals(2, banks.size());
    JsonNode bank1 = banks.get(0);
    assertEquals("bank1", bank1.get("name").asText());
    assertEquals(56, bank1.get("rows").asInt());
    assertEquals(22, bank1.get("trajectories").asInt());
    assertEquals(5, bank1.get("benchmarks").size());
    int sum = 0;
    for (JsonNode n : bank1.get("benchmarks")) {
      sum += n.asInt();
    }
    assertEquals(56, sum);
    byte[] file = Files.readAllBytes(TestService.fixtures().resolve("bank1.jsonl"));
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file)),
        bank1.get("sha256").asText());
    assertEquals(47, banks.get(1).get("rows").asInt());
    assertEquals(19, banks.get(1).get("trajectories").asInt());
  }

  @Test
  void prefixesPageThroughExactlyWhatARouterReceives() throws Exception {
    java.util.Map<String, JsonNode> served = new java.util.HashMap<>();
    for (int offset = 0; offset < 56; offset += 20) {
      var r = svc.get("/v1/static/banks/bank1/prefixes?offset=" + offset + "&limit=20");
      assertEquals(200, r.statusCode(), r.body());
      assertFalse(r.body().contains("target_tier"), "a label leaked: " + r.body());
      assertFalse(r.body().contains("total_steps"), "the trajectory's length leaked: " + r.body());
      JsonNode page = TestService.json(r);
      assertEquals(56, page.get("total").asInt());
      for (JsonNode row : page.get("rows")) {
        served.put(row.get("row_id").asText(), row);
      }
    }
    assertEquals(56, served.size());
    // the same rows as an HTTP router receives them, field for field
    try (LoopbackRouter router = new LoopbackRouter(ctx -> LoopbackRouter.Answer.json("{\"tier\": \"low\"}"))) {
      String id = EvaluationRoutesTest.startEvaluation(svc, "{\"router\": \"" + router.url() + "\"}");
      assertEquals("done", EvaluationRoutesTest.awaitJob(svc, id).get("status").asText());
      for (String body : router.requests) {
        JsonNode sent = JsonSupport.MAPPER.readTree(body);
        assertEquals(sent, served.get(sent.get("row_id").asText()), body);
      }
      assertEquals(57, router.requests.size(), "56 rows and the check before the job");
    }
    var past = TestService.json(svc.get("/v1/static/banks/bank1/prefixes?offset=500"));
    assertEquals(0, past.get("rows").size());
  }

  @ParameterizedTest
  @CsvSource({
    "bank1, always-high", "bank1, always-low", "bank1, mixed",
    "bank2, always-high", "bank2, always-low", "bank2, mixed"})
  void scoringJsonlGivesTheReferenceSummary(String bank, String predictions) throws Exception {
    var r = svc.post("/v1/static/banks/" + bank + "/score?label=" + predictions, "application/x-ndjson",
        fixture("predictions_" + bank + "_" + predictions + ".jsonl"));
    assertEquals(200, r.statusCode(), r.body());
    assertFalse(r.body().contains("target_tier"));
    // the text of static score --json: Python's float repr and bare NaN, byte for byte
    assertEquals(fixture("expected_" + bank + "_" + predictions + ".json"), r.body());
  }

  @Test
  void aJsonArrayBodyAndAProportionalSampleScoreLikeTheReference() throws Exception {
    StringBuilder array = new StringBuilder("[");
    fixture("predictions_bank1_mixed.jsonl").lines().filter(l -> !l.isBlank())
        .forEach(l -> array.append(array.length() > 1 ? "," : "").append(l));
    array.append("]");
    var r = svc.post("/v1/static/banks/bank1/score?label=mixed&sample=30&seed=123", "application/json",
        array.toString());
    assertEquals(200, r.statusCode(), r.body());
    JsonAssert.assertSameJson(
        JsonSupport.MAPPER.readTree(fixture("expected_bank1_mixed_n30_seed123.json")), TestService.json(r));
    assertTrue(r.body().contains("NaN") || !fixture("expected_bank1_mixed_n30_seed123.json").contains("NaN"));
  }

  @Test
  void malformedBodiesAre400NamingTheLineOrField() throws Exception {
    String good = "{\"id\": \"x\", \"tier\": \"low\"}\n";
    var badJson = svc.post("/v1/static/banks/bank1/score", "application/x-ndjson", good + "{\"id\": \n");
    assertEquals("bad_request", TestService.assertError(400, badJson));
    assertTrue(TestService.json(badJson).get("detail").asText().contains("line 2"), badJson.body());

    var badTier = svc.post("/v1/static/banks/bank1/score", "application/x-ndjson",
        "{\"id\": \"bfcl_multi_03_s1\", \"tier\": \"medium\"}\n");
    TestService.assertError(400, badTier);
    String detail = TestService.json(badTier).get("detail").asText();
    assertTrue(detail.contains("line 1") && detail.contains("tier") && detail.contains("medium"), detail);

    var badElement = svc.post("/v1/static/banks/bank1/score", "application/json", "[{\"id\": 7, \"tier\": \"low\"}]");
    TestService.assertError(400, badElement);
    assertTrue(TestService.json(badElement).get("detail").asText().contains("[0].id"), badElement.body());

    var notArray = svc.post("/v1/static/banks/bank1/score", "application/json", "{\"id\": \"a\"}");
    TestService.assertError(400, notArray);

    var unknownRow = svc.post("/v1/static/banks/bank1/score", "application/x-ndjson", "{\"id\": \"no-such-row\", \"tier\": \"low\"}");
    TestService.assertError(400, unknownRow);
    assertTrue(TestService.json(unknownRow).get("detail").asText().contains("no-such-row"), unknownRow.body());

    TestService.assertError(400, svc.post("/v1/static/banks/bank1/score?sample=0", "application/x-ndjson", good));
    TestService.assertError(400, svc.post("/v1/static/banks/bank1/score?sample=many", "application/x-ndjson", good));
    TestService.assertError(400, svc.post("/v1/static/banks/bank1/score?sample=100000", "application/x-ndjson", ""));
  }

  @Test
  void unknownBankIs404WrongContentType415TooLargeBody413() throws Exception {
    String preds = fixture("predictions_bank1_mixed.jsonl");
    assertEquals("unknown_bank", TestService.assertError(404,
        svc.post("/v1/static/banks/bank9/score", "application/x-ndjson", preds)));
    assertEquals("unsupported_media_type", TestService.assertError(415,
        svc.post("/v1/static/banks/bank1/score", "text/plain", preds)));
    assertEquals("unsupported_media_type", TestService.assertError(415,
        svc.post("/v1/static/banks/bank1/score", "application/octet-stream", preds)));
    String huge = "{\"id\": \"x\", \"tier\": \"low\"}\n".repeat((int) (BODY_LIMIT / 20));
    var tooLarge = svc.post("/v1/static/banks/bank1/score", "application/x-ndjson", huge);
    assertEquals("payload_too_large", TestService.assertError(413, tooLarge));
    // a chunked body past the limit (no Content-Length up front) is refused the same way
    var chunked = svc.client.send(svc.request("/v1/static/banks/bank1/score")
        .header("Content-Type", "application/x-ndjson")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
            () -> new java.io.ByteArrayInputStream(huge.getBytes()))).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals("payload_too_large", TestService.assertError(413, chunked));
    // the service still answers after refusing
    assertEquals(200, svc.get("/health").statusCode());
  }
}
