package io.twinrouter.scoring.statictrack;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.twinrouter.config.Tier;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

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

  /**
   * JSONL, one object a line; blank lines are skipped, lines split on LF only (a raw U+2028 in a
   * string is data). The body is read whole, then each line is read by token with a streaming
   * parser; a line that parser does not accept as a plain prediction is read again as a tree by
   * the original rules, so every error (and every odd line those rules accept) stays as it was.
   */
  public static Predictions parseJsonl(String source, Reader in) throws IOException {
    CharBody body = CharBody.read(in);
    Map<String, Prediction> byId = new LinkedHashMap<>();
    Map<String, Integer> lines = new LinkedHashMap<>();
    int lineNo = 0;
    int start = 0;
    for (int i = 0; i <= body.length; i++) {
      if (i < body.length && body.chars[i] != '\n') {
        continue;
      }
      lineNo++;
      if (!isAsciiBlank(body.chars, start, i)) {
        int from = start;
        int to = i;
        addLine(source, lineNo, MAPPER.createParser(body.chars, from, to - from), to - from,
            () -> new String(body.chars, from, to - from), byId, lines);
      }
      start = i + 1;
    }
    return new Predictions(source, byId, lines);
  }

  /**
   * JSONL as UTF-8 bytes (an HTTP body before decoding): the same result and errors as {@link
   * #parseJsonl(String, Reader)} on the body decoded with malformed bytes replaced by U+FFFD. ASCII
   * lines are read straight from the bytes; a line with any other byte is decoded first, since
   * the JSON parser's UTF-8 rules are not the decoder's (overlong forms, surrogates).
   */
  public static Predictions parseJsonl(String source, byte[] body) {
    int capacity = mapCapacity(countLines(body));
    Map<String, Prediction> byId = new LinkedHashMap<>(capacity);
    Map<String, Integer> lines = new LinkedHashMap<>(capacity);
    PlainPredictionLine plain = new PlainPredictionLine();
    int lineNo = 0;
    int start = 0;
    boolean ascii = true;
    for (int i = 0; i <= body.length; i++) {
      if (i < body.length && body[i] != '\n') {
        ascii &= body[i] >= 0;
        continue;
      }
      lineNo++;
      int from = start;
      int to = i;
      if (!ascii) {
        String text = new String(body, from, to - from, StandardCharsets.UTF_8);
        char[] chars = text.toCharArray();
        addLine(source, lineNo, parser(() -> MAPPER.createParser(chars, 0, chars.length)),
            chars.length, () -> text, byId, lines);
      } else if (plain.read(body, from, to)) {
        put(source, lineNo, "", plain.id, plain.prediction, byId, lines);
      } else if (!isAsciiBlank(body, from, to)) {
        addLine(source, lineNo, parser(() -> MAPPER.createParser(body, from, to - from)),
            to - from, () -> new String(body, from, to - from, StandardCharsets.US_ASCII),
            byId, lines);
      }
      start = i + 1;
      ascii = true;
    }
    return new Predictions(source, byId, lines);
  }

  private static int countLines(byte[] body) {
    int n = 1;
    for (byte b : body) {
      if (b == '\n') {
        n++;
      }
    }
    return n;
  }

  /** A hash map capacity that holds {@code entries} without rehashing. */
  private static int mapCapacity(int entries) {
    return (int) Math.min(1 << 30, entries / 0.75f + 1);
  }


  /** One line by the plain rules: stripped, skipped when blank, else parsed as a tree. */
  private static void addTreeLine(String source, int lineNo, String line,
      Map<String, Prediction> byId, Map<String, Integer> lines) {
    String text = line.strip();
    if (text.isEmpty()) {
      return;
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

  /**
   * Lines of ASCII white space only are blank by {@link String#strip} too; other blank lines
   * (U+2028 alone, say) fail the streaming reader and are skipped by the tree path.
   */
  private static boolean isAsciiBlank(char[] chars, int from, int to) {
    for (int i = from; i < to; i++) {
      if (chars[i] >= 128 || !Character.isWhitespace(chars[i])) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAsciiBlank(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] < 0 || !Character.isWhitespace(bytes[i])) {
        return false;
      }
    }
    return true;
  }

  /** By token when the line is a plain prediction, else by the tree rules (which may throw). */
  private static void addLine(String source, int lineNo, JsonParser parser, int length,
      Supplier<String> text, Map<String, Prediction> byId, Map<String, Integer> lines) {
    PredictionTokenReader fast = new PredictionTokenReader();
    if (fast.read(parser, length)) {
      put(source, lineNo, "", fast.id, fast.prediction, byId, lines);
    } else {
      addTreeLine(source, lineNo, text.get(), byId, lines);
    }
  }

  private interface ParserSource {
    JsonParser open() throws IOException;
  }

  private static JsonParser parser(ParserSource source) {
    try {
      return source.open();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // an in-memory source does not fail
    }
  }


  /** A whole reader's text in one array, so lines can be parsed in place. */
  private record CharBody(char[] chars, int length) {
    static CharBody read(Reader in) throws IOException {
      char[] buf = new char[1 << 14];
      int n = 0;
      int r;
      while ((r = in.read(buf, n, buf.length - n)) != -1) {
        n += r;
        if (n == buf.length) {
          buf = Arrays.copyOf(buf, buf.length * 2);
        }
      }
      return new CharBody(buf, n);
    }
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
    TreeCollector collector = new TreeCollector(source);
    for (int i = 0; i < root.size(); i++) {
      collector.addElement(i, root.get(i));
    }
    return collector.build();
  }

  /**
   * Predictions from JSON trees one at a time, by the same rules as every reader: the JSON-array
   * body, and the tree-per-line reading that tests and {@code bench static} hold the streaming
   * readers against.
   */
  public static final class TreeCollector {
    private final String source;
    private final Map<String, Prediction> byId = new LinkedHashMap<>();
    private final Map<String, Integer> lines = new LinkedHashMap<>();

    public TreeCollector(String source) {
      this.source = source;
    }

    /** The object on 1-based line {@code lineNo} of a JSONL body. */
    public void addLine(int lineNo, JsonNode node) {
      add(source, lineNo, null, node, byId, lines);
    }

    /** Element {@code index} of a JSON-array body; errors name it as {@code [index]}. */
    public void addElement(int index, JsonNode node) {
      add(source, 0, "[" + index + "]", node, byId, lines);
    }

    public Predictions build() {
      return new Predictions(source, byId, lines);
    }
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
    put(source, line, prefix, id.textValue(), parseOne(source, line, prefix, node), byId, lines);
  }

  private static void put(String source, int line, String prefix, String id, Prediction p,
      Map<String, Prediction> byId, Map<String, Integer> lines) {
    if (byId.putIfAbsent(id, p) != null) {
      Integer first = lines.get(id);
      throw new PredictionFormatException(source, line, prefix + "id",
          "duplicate prediction for '" + id + "'"
              + (first != null && first > 0 ? " (first on line " + first + ")" : ""));
    }
    lines.put(id, line);
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
