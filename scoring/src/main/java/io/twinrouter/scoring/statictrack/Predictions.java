package io.twinrouter.scoring.statictrack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.twinrouter.config.Tier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One prediction set: row id to {@link Prediction}, each remembering where it came from so that
 * an unknown id can be reported by line. Immutable once parsed.
 *
 * <p>Accepted objects: {@code {"id": ..., "tier": "low|mid|mid_high|high"}}, {@code {"id": ...,
 * "tier_id": 0-3}} or {@code {"id": ..., "error": "..."}} (an error row, text kept verbatim).
 */
public final class Predictions {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  private final String source;
  private final Map<String, Prediction> byId;
  private final Map<String, Integer> lineById;

  private Predictions(String source, Map<String, Prediction> byId, Map<String, Integer> lineById) {
    this.source = source;
    this.byId = Collections.unmodifiableMap(byId);
    this.lineById = Collections.unmodifiableMap(lineById);
  }

  /** From answers collected in memory (an evaluation job); no line numbers. */
  public static Predictions fromMap(String source, Map<String, Prediction> answers) {
    return new Predictions(source, new LinkedHashMap<>(answers), Map.of());
  }

  /** JSONL, one object a line; blank lines are skipped, lines split on LF only. */
  public static Predictions parseJsonl(String source, Reader in) throws IOException {
    Map<String, Prediction> byId = new LinkedHashMap<>();
    Map<String, Integer> lines = new LinkedHashMap<>();
    BufferedReader reader = in instanceof BufferedReader b ? b : new BufferedReader(in, 1 << 16);
    StringBuilder line = new StringBuilder();
    int lineNo = 0;
    int c;
    boolean more = true;
    while (more) {
      c = reader.read();
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
        node = MAPPER.readTree(text);
      } catch (JsonProcessingException e) {
        throw new PredictionFormatException(source, lineNo, null,
            "bad JSON: " + e.getOriginalMessage());
      }
      add(source, lineNo, null, node, byId, lines);
    }
    return new Predictions(source, byId, lines);
  }

  /** A JSON array of the same objects; errors name the element ({@code [3].tier}). */
  public static Predictions parseJsonArray(String source, Reader in) throws IOException {
    JsonNode root;
    try {
      root = MAPPER.readTree(in);
    } catch (JsonProcessingException e) {
      throw new PredictionFormatException(source, e.getLocation() == null ? 0
          : e.getLocation().getLineNr(), null, "bad JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isArray()) {
      throw new PredictionFormatException(source, 0, null, "must be a JSON array of predictions");
    }
    Map<String, Prediction> byId = new LinkedHashMap<>();
    Map<String, Integer> lines = new LinkedHashMap<>();
    for (int i = 0; i < root.size(); i++) {
      add(source, 0, "[" + i + "]", root.get(i), byId, lines);
    }
    return new Predictions(source, byId, lines);
  }

  private static void add(String source, int line, String element, JsonNode node,
      Map<String, Prediction> byId, Map<String, Integer> lines) {
    String prefix = element == null ? "" : element + ".";
    if (!node.isObject()) {
      throw new PredictionFormatException(source, line, element, "a prediction must be an object");
    }
    JsonNode id = node.get("id");
    if (id == null || !id.isTextual()) {
      throw new PredictionFormatException(source, line, prefix + "id",
          id == null ? "missing" : "must be a string, got " + id);
    }
    Prediction p = parseOne(source, line, prefix, node);
    if (byId.putIfAbsent(id.textValue(), p) != null) {
      Integer first = lines.get(id.textValue());
      throw new PredictionFormatException(source, line, prefix + "id",
          "duplicate prediction for '" + id.textValue() + "'"
              + (first != null && first > 0 ? " (first on line " + first + ")" : ""));
    }
    lines.put(id.textValue(), line);
  }

  private static Prediction parseOne(String source, int line, String prefix, JsonNode node) {
    JsonNode error = node.get("error");
    JsonNode tier = node.get("tier");
    JsonNode tierId = node.get("tier_id");
    int given = (error != null ? 1 : 0) + (tier != null ? 1 : 0) + (tierId != null ? 1 : 0);
    if (given != 1) {
      throw new PredictionFormatException(source, line, prefix + "tier",
          given == 0 ? "missing: give one of tier, tier_id or error"
              : "give only one of tier, tier_id or error");
    }
    if (error != null) {
      if (!error.isTextual()) {
        throw new PredictionFormatException(source, line, prefix + "error",
            "must be a string, got " + error);
      }
      return Prediction.error(error.textValue());
    }
    if (tier != null) {
      if (!tier.isTextual()) {
        throw new PredictionFormatException(source, line, prefix + "tier",
            "must be one of low, mid, mid_high, high, got " + tier);
      }
      try {
        return Prediction.tier(Tier.fromName(tier.textValue()));
      } catch (IllegalArgumentException e) {
        throw new PredictionFormatException(source, line, prefix + "tier", e.getMessage());
      }
    }
    if (!tierId.isIntegralNumber() || tierId.bigIntegerValue().bitLength() > 31
        || tierId.intValue() < 0 || tierId.intValue() > 3) {
      throw new PredictionFormatException(source, line, prefix + "tier_id",
          "must be an integer 0..3, got " + tierId);
    }
    return Prediction.tier(Tier.fromId(tierId.intValue()));
  }

  public String source() {
    return source;
  }

  public int size() {
    return byId.size();
  }

  public Optional<Prediction> get(String rowId) {
    return Optional.ofNullable(byId.get(rowId));
  }

  /** Ids in file order. */
  public Iterable<String> ids() {
    return byId.keySet();
  }

  /** The 1-based line of a prediction, 0 when it did not come from a JSONL file. */
  public int lineOf(String rowId) {
    return lineById.getOrDefault(rowId, 0);
  }
}
