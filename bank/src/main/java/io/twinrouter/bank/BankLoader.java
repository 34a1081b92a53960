package io.twinrouter.bank;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.twinrouter.bank.json.PyJson;
import io.twinrouter.bank.tokens.TokenCountCache;
import io.twinrouter.bank.tokens.TokenizerSet;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.stream.IntStream;

/**
 * Reads an official question-bank JSONL file (spec section 2), validates every row and tokenizes
 * every message once per distinct tokenizer. Lines split on LF only: a raw U+2028 inside a string
 * is data. The first malformed row in file order fails the whole load with its file, line and
 * field.
 *
 * <p>Speed: rows are parsed on all cores; since each step of a trajectory repeats the earlier
 * messages, text, fingerprint and token count are computed once per distinct message and once
 * per distinct text. With a {@link TokenCountCache}, what a load makes of a bank ({@link
 * BankFacts}) is kept, and the next load of the same bytes builds the bank from it alone.
 */
public final class BankLoader {
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
      .build();

  private BankLoader() {}

  public static LoadedBank load(Path file, TokenizerSet tokenizers) throws IOException {
    return load(file, tokenizers, TokenCountCache.disabled());
  }

  /** Loads a bank, reading its token counts from {@code cache} when they are there. */
  public static LoadedBank load(Path file, TokenizerSet tokenizers, TokenCountCache cache)
      throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "question bank not found");
    }
    byte[] bytes = Files.readAllBytes(file);
    return load(file, bytes, tokenizers, cache);
  }

  /** Loads a bank from bytes already read; {@code file} names it (its file name is the shard). */
  public static LoadedBank load(Path file, byte[] bytes, TokenizerSet tokenizers) {
    return load(file, bytes, tokenizers, TokenCountCache.disabled());
  }

  /** As {@link #load(Path, byte[], TokenizerSet)}, with the token counts of {@code cache}. */
  public static LoadedBank load(Path file, byte[] bytes, TokenizerSet tokenizers,
      TokenCountCache cache) {
    // A bank in the cache is built from its facts alone: no JSON is parsed, no tokenizer opened.
    // (Its SHA-256 is computed only when asked for: a served bank lists it.)
    String key = cache.key(TokenCountCache.contentKey(bytes), tokenizers);
    Optional<BankFacts> cached = cache.read(key)
        .flatMap(entry -> BankFacts.decode(entry, bytes.length, tokenizers.slotCount()));
    if (cached.isPresent()) {
      return cached.get().toBank(file, bytes, tokenizers, true);
    }
    // While the rows parse, a side thread loads the tokenizers' vocabularies (cl100k takes about
    // a second the first time).
    FutureTask<Void> side = new FutureTask<>(() -> {
      for (int s = 0; s < tokenizers.slotCount(); s++) {
        tokenizers.counter(s).count("");
      }
      return null;
    });
    Thread thread = new Thread(side, "bank-loader-side");
    thread.setDaemon(true);
    thread.start();
    String source = file.toString();
    List<ParsedRow> parsed = parse(source, bytes);
    if (parsed.isEmpty()) {
      throw new BankFormatException(source, 0, null, "No non-empty rows");
    }
    try {
      side.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading " + source, e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
    BankFacts facts = count(source, parsed, tokenizers);
    facts.encode().ifPresent(entry -> cache.write(key, entry));
    return facts.toBank(file, bytes, tokenizers, false);
  }

  /** One row, validated; its messages still as parsed trees; its JSON at [start, end). */
  private record ParsedRow(int line, int start, int end, String id, String benchmark,
      String trajectoryKey, long stepIndex, int gold, MessageKey[] messages) {}

  private record Line(int number, int start, int end) {}

  private static List<ParsedRow> parse(String source, byte[] bytes) {
    List<Line> lines = new ArrayList<>();
    int start = 0;
    int lineNo = 0;
    while (start <= bytes.length) {
      int end = start;
      while (end < bytes.length && bytes[end] != '\n') {
        end++;
      }
      lineNo++;
      if (end > start) {
        lines.add(new Line(lineNo, start, end));
      }
      start = end + 1;
    }
    // Rows are independent: parse them on every core, then report the first problem in file order.
    Object[] results = new Object[lines.size()];
    IntStream.range(0, lines.size()).parallel().forEach(i -> {
      Line l = lines.get(i);
      try {
        results[i] = parseLine(source, l.number, bytes, l.start, l.end);
      } catch (BankFormatException e) {
        results[i] = e;
      }
    });
    List<ParsedRow> rows = new ArrayList<>(lines.size());
    Map<String, Integer> lineOfId = new HashMap<>();
    for (Object result : results) {
      if (result instanceof BankFormatException e) {
        throw e;
      }
      if (result instanceof ParsedRow row) {
        Integer first = lineOfId.putIfAbsent(row.id, row.line);
        if (first != null) {
          throw new BankFormatException(source, row.line, "id",
              "duplicate id '" + row.id + "' (first on line " + first + ")");
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /** A row, or null for a blank line. Python strips the line's whitespace before parsing. */
  private static ParsedRow parseLine(String source, int lineNo, byte[] bytes, int start, int end) {
    while (start < end && isAsciiSpace(bytes[start])) {
      start++;
    }
    while (end > start && isAsciiSpace(bytes[end - 1])) {
      end--;
    }
    if (start == end) {
      return null;
    }
    if (bytes[start] < 0 || bytes[end - 1] < 0) {
      // non-ASCII at an edge: it may be Unicode whitespace (U+00A0, U+2028) that strip() removes
      String text;
      try {
        text = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes, start, end - start)).toString();
      } catch (CharacterCodingException e) {
        throw new BankFormatException(source, lineNo, null, "not valid UTF-8");
      }
      String stripped = PyText.strip(text);
      if (stripped.isEmpty()) {
        return null;
      }
      // the stripped text's bytes are a range of the line's: UTF-8 encodes each character alone
      start += text.substring(0, text.indexOf(stripped)).getBytes(StandardCharsets.UTF_8).length;
      end = start + stripped.getBytes(StandardCharsets.UTF_8).length;
    }
    return parseRow(source, lineNo, bytes, start, end);
  }

  private static boolean isAsciiSpace(byte b) {
    return b == ' ' || (b >= '\t' && b <= '\r') || (b >= 0x1C && b <= 0x1F);
  }

  private static ParsedRow parseRow(String source, int line, byte[] bytes, int start, int end) {
    JsonNode node;
    try {
      node = MAPPER.readTree(bytes, start, end - start);
    } catch (JsonProcessingException e) {
      throw new BankFormatException(source, line, null,
          // a limit of the parser (nesting depth, number length) comes without a location
          "bad JSON: " + e.getOriginalMessage()
              + (e.getLocation() == null ? "" : " (column " + e.getLocation().getColumnNr() + ")"));
    } catch (IOException e) {
      throw new BankFormatException(source, line, null, "unreadable: " + e.getMessage());
    }
    if (node == null || !node.isObject()) {
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
      int n = messages == null ? 0 : messages.size();
      MessageKey[] keys = new MessageKey[n];
      for (int i = 0; i < n; i++) {
        JsonNode message = messages.get(i);
        if (!message.isObject()) {
          throw new FieldProblem("messages[" + i + "]", "must be a message object");
        }
        keys[i] = new MessageKey(message);
      }
      return new ParsedRow(line, start, end, id.textValue(), benchmark.textValue(), trajectoryKey,
          stepIndex, gold, keys);
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

  /** Numbers the distinct messages, counts their tokens and interns their fingerprints. */
  private static BankFacts count(String source, List<ParsedRow> parsed, TokenizerSet tokenizers) {
    Map<MessageKey, Integer> messageIds = new HashMap<>();
    List<MessageKey> distinctMessages = new ArrayList<>();
    List<Integer> firstLine = new ArrayList<>();
    List<Integer> firstPosition = new ArrayList<>();
    List<BankFacts.Row> rows = new ArrayList<>(parsed.size());
    for (ParsedRow row : parsed) {
      int[] messages = new int[row.messages.length];
      for (int m = 0; m < row.messages.length; m++) {
        Integer id = messageIds.putIfAbsent(row.messages[m], distinctMessages.size());
        if (id == null) {
          id = distinctMessages.size();
          distinctMessages.add(row.messages[m]);
          firstLine.add(row.line);
          firstPosition.add(m);
        }
        messages[m] = id;
      }
      rows.add(new BankFacts.Row(row.line, row.start, row.end, row.id, row.benchmark,
          row.trajectoryKey, row.stepIndex, row.gold, messages));
    }
    int n = distinctMessages.size();
    String[] texts = new String[n];
    BankFormatException[] problems = new BankFormatException[n];
    String[] fingerprints = new String[n];
    boolean[] assistant = new boolean[n];
    IntStream.range(0, n).parallel().forEach(u -> {
      JsonNode message = distinctMessages.get(u).node;
      try {
        texts[u] = MessageText.text(message, "messages[" + firstPosition.get(u) + "]");
      } catch (FieldProblem p) {
        problems[u] = new BankFormatException(source, firstLine.get(u), p.field, p.getMessage());
        return;
      }
      fingerprints[u] = MessageText.fingerprint(message);
      JsonNode role = message.get("role");
      assistant[u] = role != null && "assistant".equals(role.textValue());
    });
    // distinct messages are numbered in file order, so the first problem is the earliest line
    for (BankFormatException problem : problems) {
      if (problem != null) {
        throw problem;
      }
    }
    Map<String, Integer> fingerprintIds = new HashMap<>();
    int[] fingerprintOf = new int[n];
    for (int u = 0; u < n; u++) {
      fingerprintOf[u] = fingerprintIds.computeIfAbsent(fingerprints[u], f -> fingerprintIds.size());
    }
    return new BankFacts(rows, fingerprintOf, assistant, tokenizers.countEach(texts));
  }
}
