package io.twinrouter.scoring.statictrack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;

/**
 * The tests' reference reader of prediction JSONL: the original, plain rules (split on '\n', strip,
 * skip blank lines, one Jackson tree a line), which the streaming readers must match outcome for
 * outcome, errors included.
 */
final class TreeLinePredictions {
  /** The settings of the readers under test: NaN and infinities accepted, nothing after a value. */
  private static final ObjectMapper TREES = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  private TreeLinePredictions() {}

  static Predictions parse(String source, Reader in) throws IOException {
    Predictions.TreeCollector collector = new Predictions.TreeCollector(source);
    BufferedReader reader = new BufferedReader(in, 1 << 16);
    StringBuilder line = new StringBuilder();
    int lineNo = 0;
    boolean more = true;
    while (more) {
      int c = reader.read();
      if (c != -1 && c != '\n') {
        line.append((char) c);
        continue;
      }
      more = c != -1;
      lineNo++;
      String text = line.toString().strip();
      line.setLength(0);
      if (text.isEmpty()) {
        continue;
      }
      JsonNode node;
      try {
        node = TREES.readTree(text);
      } catch (JsonProcessingException e) {
        throw new PredictionFormatException(source, lineNo, null,
            "bad JSON: " + e.getOriginalMessage());
      }
      collector.addLine(lineNo, node);
    }
    return collector.build();
  }
}
