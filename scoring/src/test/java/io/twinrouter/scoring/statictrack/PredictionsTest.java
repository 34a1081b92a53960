package io.twinrouter.scoring.statictrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.config.Tier;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PredictionsTest {

  private static Predictions jsonl(String text) throws IOException {
    return Predictions.parseJsonl("p.jsonl", new StringReader(text));
  }

  @Test
  void acceptsTierNamesTierIdsAndErrors() throws IOException {
    Predictions p = jsonl("{\"id\": \"a\", \"tier\": \"mid_high\"}\n\n"
        + "{\"id\": \"b\", \"tier_id\": 0}\n{\"id\": \"c\", \"error\": \"x\\u2028y ✗\"}\n");
    assertEquals(Optional.of(Prediction.tier(Tier.MID_HIGH)), p.get("a"));
    assertEquals(Optional.of(Prediction.tier(Tier.LOW)), p.get("b"));
    assertEquals(Optional.of(Prediction.error("x\u2028y ✗")), p.get("c"));
    assertEquals(4, p.lineOf("c"));
  }

  @Test
  void malformedLinesNameLineAndField() {
    PredictionFormatException bad = assertThrows(PredictionFormatException.class,
        () -> jsonl("{\"id\": \"a\", \"tier\": \"low\"}\n{\"id\": \"b\", \"tier\": \"medium\"}\n"));
    assertEquals(2, bad.line());
    assertEquals("tier", bad.field());
    PredictionFormatException json = assertThrows(PredictionFormatException.class,
        () -> jsonl("{\"id\": \"a\", \"tier\": \"low\"\n"));
    assertEquals(1, json.line());
    PredictionFormatException range = assertThrows(PredictionFormatException.class,
        () -> jsonl("{\"id\": \"a\", \"tier_id\": 4}\n"));
    assertEquals("tier_id", range.field());
    PredictionFormatException dup = assertThrows(PredictionFormatException.class,
        () -> jsonl("{\"id\": \"a\", \"tier_id\": 1}\n{\"id\": \"a\", \"tier_id\": 2}\n"));
    assertEquals(2, dup.line());
    assertEquals("id", dup.field());
    assertThrows(PredictionFormatException.class, () -> jsonl("{\"tier\": \"low\"}\n"));
    assertThrows(PredictionFormatException.class, () -> jsonl("{\"id\": \"a\"}\n"));
  }

  /** Lines the streaming reader must hand to the tree rules, or read exactly as they would. */
  private static final List<String> ODD_LINES = List.of(
      "{\"id\": \"a\", \"tier\": \"LOW\"}",
      "  {\"id\": \"a\", \"tier_id\": 3}\r",
      "\u2028{\"id\": \"a\", \"tier\": \"high\"}\u000B",
      "\ufeff{\"id\": \"a\", \"tier\": \"high\"}",
      "\u2028",
      " \t\r",
      // the plain-line reader's edges: white space, key order, escapes, what may follow
      "{\"id\":\"a\",\"tier\":\"mid_high\"}",
      "\t{ \"tier\" :\t\"high\" , \"id\" : \"a b\" }\t\r",
      "{\"error\": \"timed out, \\\"twice\\\"\", \"id\": \"a\"}",
      "{\"error\": \"\", \"id\": \"\"}",
      "{\"id\": \"a\\u0062\", \"tier\": \"low\"}",
      "{\"id\": \"a\u007f\", \"error\": \"x\u007fy\"}",
      "{\"id\": \"a\", \"tier\": \"LOW\"}",
      "{\"id\": \"a\", \"tier\": \"low\",}",
      "{\"id\": \"a\", \"tier\": \"low\"} x",
      "{\"id\": \"a\", \"tier\": \"low\"}\u000b",
      "\u000c{\"id\": \"a\", \"tier\": \"low\"}",
      "{\"id\": \"a\" \"tier\": \"low\"}",
      "{\"id\" \"a\", \"tier\": \"low\"}",
      "{\"id\": \"a\", \"tier\": \"low\", \"error\": \"x\", \"error\": \"y\"}",
      "{\"id\": \"a\", \"error\": \"x\", \"error\": \"y\"}",
      "{\"id\": \"a\", \"tier\": \"low\"",
      "{\"id\": \"a\", \"tier\": \"low",
      "{}",
      "{",
      "{\"id\": \"a\", \"tier\": \"low\"}\t\t",
      "{\"id\": \"a\", \"id\": \"b\", \"tier\": \"low\"}",
      "{\"id\": \"a\", \"tier\": \"low\", \"tier\": \"mid\"}",
      "{\"id\": \"a\", \"tier\": \"low\", \"extra\": {\"x\": [1, 2e400, \"\u00e9\"]}}",
      "{\"id\": \"a\", \"error\": \"boom \u2028 \\u00e9 \u00e9 \ud83d\ude00\"}",
      "{\"id\": \"a\", \"error\": null}",
      "{\"id\": \"a\", \"error\": 5}",
      "{\"id\": \"a\", \"tier\": \"low\", \"error\": \"x\"}",
      "{\"id\": \"a\"}",
      "{\"id\": 7, \"tier\": \"low\"}",
      "{\"id\": [\"a\"], \"tier\": \"low\"}",
      "{\"tier\": \"low\"}",
      "{\"id\": \"a\", \"tier\": 2}",
      "{\"id\": \"a\", \"tier\": \"medium\"}",
      "{\"id\": \"a\", \"tier_id\": -0}",
      "{\"id\": \"a\", \"tier_id\": -1}",
      "{\"id\": \"a\", \"tier_id\": 4}",
      "{\"id\": \"a\", \"tier_id\": 1.0}",
      "{\"id\": \"a\", \"tier_id\": NaN}",
      "{\"id\": \"a\", \"tier_id\": 99999999999999999999999}",
      "{\"id\": \"a\", \"tier_id\": \"1\"}",
      "{\"id\": \"a\", \"tier\": \"low\"} {\"id\": \"b\", \"tier\": \"low\"}",
      "{\"id\": \"a\", \"tier\": \"low\"}}",
      "{\"id\": \"a\", \"tier\": \"low\"",
      "{\"id\": \"a\", \"tier\": \"lo\u0001w\"}",
      "{\"id\": \"a\", \"tier\": \"low\", \"x\": \"\\q\"}",
      "{'id': 'a', 'tier': 'low'}",
      "[{\"id\": \"a\", \"tier\": \"low\"}]",
      "\"a\"",
      "42",
      "null",
      "{\"id\": \"a\", \"tier\": \"low\", \"pad\": \"" + "x".repeat(20_000) + "\"}");

  @Test
  void streamingReadersMatchTheTreeRulesLineByLine() throws IOException {
    for (String odd : ODD_LINES) {
      String body = "{\"id\": \"first\", \"tier\": \"mid\"}\n\n" + odd
          + "\n{\"id\": \"z\", \"tier\": \"low\"}\n";
      String expected = outcome(() -> TreeLinePredictions.parse("p", new StringReader(body)));
      assertEquals(expected, outcome(() -> Predictions.parseJsonl("p", new StringReader(body))),
          odd);
      assertEquals(expected, outcome(() -> Predictions.parseJsonl("p",
          body.getBytes(StandardCharsets.UTF_8))), odd);
    }
  }

  @Test
  void bytesDecodeLikeAReplacingDecoder() throws IOException {
    byte[] head = "{\"id\": \"a\", \"error\": \"".getBytes(StandardCharsets.UTF_8);
    // an overlong '/', a UTF-8 encoded surrogate and a lone continuation byte
    byte[][] tails = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0x80}};
    for (byte[] tail : tails) {
      byte[] body = new byte[head.length + tail.length + 3];
      System.arraycopy(head, 0, body, 0, head.length);
      System.arraycopy(tail, 0, body, head.length, tail.length);
      System.arraycopy("\"}\n".getBytes(StandardCharsets.UTF_8), 0, body,
          head.length + tail.length, 3);
      String decoded = new String(body, StandardCharsets.UTF_8);
      assertEquals(outcome(() -> TreeLinePredictions.parse("p", new StringReader(decoded))),
          outcome(() -> Predictions.parseJsonl("p", body)));
    }
  }

  private interface Parse {
    Predictions run() throws IOException;
  }

  /** Every prediction with its line, or the error with its line, field and message. */
  private static String outcome(Parse parse) throws IOException {
    try {
      Predictions p = parse.run();
      List<String> rows = new ArrayList<>();
      for (String id : p.ids()) {
        rows.add(p.lineOf(id) + ":" + id + "=" + p.get(id).orElseThrow());
      }
      return rows.toString();
    } catch (PredictionFormatException e) {
      return "error line " + e.line() + " field " + e.field() + ": " + e.getMessage();
    }
  }

  @Test
  void jsonArrayErrorsNameTheElement() {
    PredictionFormatException e = assertThrows(PredictionFormatException.class,
        () -> Predictions.parseJsonArray("body", new StringReader(
            "[{\"id\": \"a\", \"tier\": \"low\"}, {\"id\": \"b\", \"tier_id\": \"x\"}]")));
    assertEquals("[1].tier_id", e.field());
  }

  @Test
  void anIdOutsideTheBankIsAnInputError() throws IOException {
    Predictions p = jsonl("{\"id\": \"bfcl_bfcl_multi_00\", \"tier\": \"low\"}\n"
        + "{\"id\": \"no-such-row\", \"tier\": \"low\"}\n");
    PredictionFormatException e = assertThrows(PredictionFormatException.class,
        () -> Fixtures.scorer().score(Fixtures.bank("bank1"), p, Optional.empty(), "x"));
    assertEquals(2, e.line());
    assertEquals("id", e.field());
  }

  @Test
  void rowsWithoutPredictionAreCountedErrorRows() throws IOException {
    Predictions p = jsonl("{\"id\": \"bfcl_bfcl_multi_00\", \"tier\": \"low\"}\n");
    StaticScore s = Fixtures.scorer().score(Fixtures.bank("bank1"), p, Optional.empty(), "x");
    assertEquals(55, s.missingPredictions());
    assertEquals(55, s.errorRows());
    JsonNode first = s.summary().get("errors").get(0);
    assertEquals("'bfcl_bfcl_multi_01'", first.get("error").textValue());
  }

  @Test
  void inMemoryAnswersScoreLikeTheFile() throws IOException {
    Predictions file = Fixtures.predictions("bank2", "mixed");
    Map<String, Prediction> answers = new LinkedHashMap<>();
    for (String id : file.ids()) {
      answers.put(id, file.get(id).orElseThrow());
    }
    StaticScorer scorer = Fixtures.scorer();
    JsonNode a = scorer.score(Fixtures.bank("bank2"), file, Optional.empty(), "m").summary();
    JsonNode b = scorer.score(Fixtures.bank("bank2"), Predictions.fromMap("job", answers),
        Optional.empty(), "m").summary();
    Fixtures.assertSameJson(a, b, "$");
  }
}
