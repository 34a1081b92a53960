package io.twinrouter.scoring.statictrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.config.Tier;
import java.io.IOException;
import java.io.StringReader;
import java.util.LinkedHashMap;
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
