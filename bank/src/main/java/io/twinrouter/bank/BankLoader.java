package io.twinrouter.bank;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.twinrouter.bank.json.PyJson;
import io.twinrouter.bank.tokens.TokenCounter;
import io.twinrouter.bank.tokens.TokenizerSet;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Reads an official question-bank JSONL file (spec section 2), validates every row and tokenizes
 * every message once per distinct tokenizer. Lines split on LF only: a raw U+2028 inside a string
 * is data. The first malformed row fails the whole load with its file, line and field.
 */
public final class BankLoader {
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
      .build();

  private BankLoader() {}

  public static LoadedBank load(Path file, TokenizerSet tokenizers) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "question bank not found");
    }
    byte[] bytes = Files.readAllBytes(file);
    return load(file, bytes, tokenizers);
  }

  /** Loads a bank from bytes already read; {@code file} names it (its file name is the shard). */
  public static LoadedBank load(Path file, byte[] bytes, TokenizerSet tokenizers) {
    String source = file.toString();
    List<ParsedRow> parsed = parse(source, bytes);
    if (parsed.isEmpty()) {
      throw new BankFormatException(source, 0, null, "No non-empty rows");
    }
    return tokenize(file, sha256(bytes), parsed, tokenizers);
  }

  private record ParsedRow(int line, String text, String id, String benchmark,
      String trajectoryKey, long stepIndex, int gold, JsonNode messages) {}

  private static List<ParsedRow> parse(String source, byte[] bytes) {
    List<ParsedRow> rows = new ArrayList<>();
    Map<String, Integer> lineOfId = new HashMap<>();
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    int start = 0;
    int lineNo = 0;
    while (start <= bytes.length) {
      int end = start;
      while (end < bytes.length && bytes[end] != '\n') {
        end++;
      }
      lineNo++;
      if (end > start) {
        String text;
        try {
          text = decoder.decode(ByteBuffer.wrap(bytes, start, end - start)).toString();
        } catch (CharacterCodingException e) {
          throw new BankFormatException(source, lineNo, null, "not valid UTF-8");
        }
        text = PyText.strip(text);
        if (!text.isEmpty()) {
          ParsedRow row = parseRow(source, lineNo, text);
          Integer first = lineOfId.putIfAbsent(row.id, lineNo);
          if (first != null) {
            throw new BankFormatException(source, lineNo, "id",
                "duplicate id '" + row.id + "' (first on line " + first + ")");
          }
          rows.add(row);
        }
      }
      start = end + 1;
    }
    return rows;
  }

  private static ParsedRow parseRow(String source, int line, String text) {
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new BankFormatException(source, line, null,
          "bad JSON: " + e.getOriginalMessage() + " (column "
              + e.getLocation().getColumnNr() + ")");
    }
    if (!node.isObject()) {
      throw new BankFormatException(source, line, null, "a row must be a JSON object");
    }
    try {
      JsonNode id = required(node, "id");
      if (!id.isTextual()) {
        throw new FieldProblem("id", "must be a string, got " + PyJson.dumps(id));
      }
      JsonNode benchmark = required(node, "benchmark");
      if (!benchmark.isTextual()) {
        throw new FieldProblem("benchmark", "must be a string, got " + PyJson.dumps(benchmark));
      }
      int gold = tierId(required(node, "target_tier_id"));
      JsonNode instance = node.get("instance_id");
      String trajectoryKey = PyJson.dumps(instance == null ? id : instance);
      long stepIndex = 1;
      JsonNode step = node.get("step_index");
      if (step != null) {
        if (!step.isIntegralNumber() || !step.canConvertToLong()) {
          throw new FieldProblem("step_index", "must be an integer, got " + PyJson.dumps(step));
        }
        stepIndex = step.longValue();
      }
      JsonNode messages = node.get("messages");
      if (messages != null && !messages.isArray()) {
        throw new FieldProblem("messages", "must be a list of message objects");
      }
      if (messages != null) {
        for (int i = 0; i < messages.size(); i++) {
          if (!messages.get(i).isObject()) {
            throw new FieldProblem("messages[" + i + "]", "must be a message object");
          }
        }
      }
      return new ParsedRow(line, text, id.textValue(), benchmark.textValue(),
          trajectoryKey, stepIndex, gold, messages);
    } catch (FieldProblem p) {
      throw new BankFormatException(source, line, p.field, p.getMessage());
    }
  }

  private static JsonNode required(JsonNode row, String field) {
    JsonNode v = row.get(field);
    if (v == null) {
      throw new FieldProblem(field, "missing");
    }
    return v;
  }

  /** An integer 0..3; a JSON boolean passes as 0/1, as Python's isinstance(x, int) lets it. */
  private static int tierId(JsonNode v) {
    long id;
    if (v.isBoolean()) {
      id = v.booleanValue() ? 1 : 0;
    } else if (v.isIntegralNumber() && v.canConvertToLong()) {
      id = v.longValue();
    } else {
      throw new FieldProblem("target_tier_id", "must be an integer 0..3, got " + PyJson.dumps(v));
    }
    if (id < 0 || id > 3) {
      throw new FieldProblem("target_tier_id", "tier id " + id + " is out of range 0..3");
    }
    return (int) id;
  }

  private static LoadedBank tokenize(Path file, String sha, List<ParsedRow> parsed,
      TokenizerSet tokenizers) {
    String source = file.toString();
    // Steps of one trajectory repeat their predecessors' messages: count each distinct text once.
    Map<String, Integer> textIds = new HashMap<>();
    List<String> texts = new ArrayList<>();
    Map<String, Integer> fingerprintIds = new HashMap<>();
    int[][] rowTextIds = new int[parsed.size()][];
    int[][] rowFingerprints = new int[parsed.size()][];
    boolean[][] rowAssistant = new boolean[parsed.size()][];
    for (int r = 0; r < parsed.size(); r++) {
      ParsedRow row = parsed.get(r);
      int n = row.messages == null ? 0 : row.messages.size();
      rowTextIds[r] = new int[n];
      rowFingerprints[r] = new int[n];
      rowAssistant[r] = new boolean[n];
      for (int m = 0; m < n; m++) {
        JsonNode message = row.messages.get(m);
        String text;
        try {
          text = MessageText.text(message, "messages[" + m + "]");
        } catch (FieldProblem p) {
          throw new BankFormatException(source, row.line, p.field, p.getMessage());
        }
        rowTextIds[r][m] = textIds.computeIfAbsent(text, t -> {
          texts.add(t);
          return texts.size() - 1;
        });
        rowFingerprints[r][m] = fingerprintIds.computeIfAbsent(
            MessageText.fingerprint(message), f -> fingerprintIds.size());
        JsonNode role = message.get("role");
        rowAssistant[r][m] = role != null && "assistant".equals(role.textValue());
      }
    }
    int slots = tokenizers.slotCount();
    int[][] counts = new int[slots][];
    for (int s = 0; s < slots; s++) {
      TokenCounter counter = tokenizers.counter(s);
      int[] c = new int[texts.size()];
      IntStream.range(0, texts.size()).parallel().forEach(i -> c[i] = counter.count(texts.get(i)));
      counts[s] = c;
    }
    List<BankRow> rows = new ArrayList<>(parsed.size());
    Map<String, Integer> indexById = new HashMap<>();
    Set<String> benchmarks = new TreeSet<>();
    Set<String> trajectories = new HashSet<>();
    String[] lines = new String[parsed.size()];
    for (int r = 0; r < parsed.size(); r++) {
      ParsedRow row = parsed.get(r);
      int n = rowTextIds[r].length;
      int[] prompt = new int[slots];
      int[][] suffix = new int[slots][n + 1];
      for (int s = 0; s < slots; s++) {
        int total = 2;
        for (int m = n - 1; m >= 0; m--) {
          int tokens = counts[s][rowTextIds[r][m]] + 4;
          total += tokens;
          suffix[s][m] = suffix[s][m + 1] + (rowAssistant[r][m] ? tokens : 0);
        }
        prompt[s] = total;
      }
      rows.add(new BankRow(r, row.line, row.id, row.benchmark, row.trajectoryKey, row.stepIndex,
          row.gold, rowFingerprints[r], prompt, suffix));
      indexById.put(row.id, r);
      benchmarks.add(row.benchmark);
      trajectories.add(row.trajectoryKey);
      lines[r] = row.text;
    }
    return new LoadedBank(file, sha, tokenizers, rows, indexById, new ArrayList<>(benchmarks),
        trajectories.size(), lines);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
