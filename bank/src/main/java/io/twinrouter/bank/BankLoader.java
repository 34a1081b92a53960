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
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
 * per distinct text.
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
    // While the rows parse, a side thread looks for the bank's counts in the cache and, when they
    // are not there, loads the tokenizers' vocabularies (cl100k takes about a second the first
    // time). The file's SHA-256 is computed only when asked for (a served bank lists it).
    FutureTask<Side> side = new FutureTask<>(() -> {
      String key = cache.key(TokenCountCache.contentKey(bytes), tokenizers);
      Optional<int[][]> cached = cache.read(key);
      if (cached.isEmpty()) {
        for (int s = 0; s < tokenizers.slotCount(); s++) {
          tokenizers.counter(s).count("");
        }
      }
      return new Side(key, cached);
    });
    Thread thread = new Thread(side, "bank-loader-side");
    thread.setDaemon(true);
    thread.start();
    String source = file.toString();
    List<ParsedRow> parsed = parse(source, bytes);
    if (parsed.isEmpty()) {
      throw new BankFormatException(source, 0, null, "No non-empty rows");
    }
    Side known;
    try {
      known = side.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading " + source, e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
    return tokenize(file, bytes, known, parsed, tokenizers, cache);
  }

  /** What the side thread found: the bank's cache key and the cached counts, if any. */
  private record Side(String cacheKey, Optional<int[][]> cachedCounts) {}

  /** One row, validated; its messages still as parsed trees. */
  private record ParsedRow(int line, byte[] json, String id, String benchmark,
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
    byte[] json;
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
      text = PyText.strip(text);
      if (text.isEmpty()) {
        return null;
      }
      json = text.getBytes(StandardCharsets.UTF_8);
    } else {
      json = Arrays.copyOfRange(bytes, start, end);
    }
    return parseRow(source, lineNo, json);
  }

  private static boolean isAsciiSpace(byte b) {
    return b == ' ' || (b >= '\t' && b <= '\r') || (b >= 0x1C && b <= 0x1F);
  }

  private static ParsedRow parseRow(String source, int line, byte[] json) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new BankFormatException(source, line, null,
          "bad JSON: " + e.getOriginalMessage() + " (column "
              + e.getLocation().getColumnNr() + ")");
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
      return new ParsedRow(line, json, id.textValue(), benchmark.textValue(), trajectoryKey,
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

  /** What one distinct message contributes: its fingerprint and whether an assistant wrote it. */
  private record Distinct(String fingerprint, boolean assistant) {}

  private static LoadedBank tokenize(Path file, byte[] bytes, Side known, List<ParsedRow> parsed,
      TokenizerSet tokenizers, TokenCountCache cache) {
    String source = file.toString();
    Map<MessageKey, Integer> messageIds = new HashMap<>();
    List<MessageKey> distinctMessages = new ArrayList<>();
    List<Integer> firstLine = new ArrayList<>();
    List<Integer> firstPosition = new ArrayList<>();
    int[][] rowMessages = new int[parsed.size()][];
    for (int r = 0; r < parsed.size(); r++) {
      ParsedRow row = parsed.get(r);
      rowMessages[r] = new int[row.messages.length];
      for (int m = 0; m < row.messages.length; m++) {
        Integer id = messageIds.putIfAbsent(row.messages[m], distinctMessages.size());
        if (id == null) {
          id = distinctMessages.size();
          distinctMessages.add(row.messages[m]);
          firstLine.add(row.line);
          firstPosition.add(m);
        }
        rowMessages[r][m] = id;
      }
    }
    int slots = tokenizers.slotCount();
    // the cached counts are for these bytes, so they fit; the shape check guards a corrupt entry
    int[][] counts = known.cachedCounts()
        .filter(c -> c.length == slots && c[0].length == distinctMessages.size())
        .orElse(null);
    boolean fromCache = counts != null;
    if (counts == null) {
      // the text is built and validated only when counting: a cached bank was valid when counted
      String[] texts = new String[distinctMessages.size()];
      BankFormatException[] problems = new BankFormatException[texts.length];
      IntStream.range(0, texts.length).parallel().forEach(u -> {
        try {
          texts[u] = MessageText.text(distinctMessages.get(u).node,
              "messages[" + firstPosition.get(u) + "]");
        } catch (FieldProblem p) {
          problems[u] = new BankFormatException(source, firstLine.get(u), p.field, p.getMessage());
        }
      });
      // distinct messages are numbered in file order, so the first problem is the earliest line
      for (BankFormatException problem : problems) {
        if (problem != null) {
          throw problem;
        }
      }
      counts = tokenizers.countEach(texts);
      cache.write(known.cacheKey(), counts);
    }
    Distinct[] distinct = new Distinct[distinctMessages.size()];
    IntStream.range(0, distinct.length).parallel().forEach(u -> {
      JsonNode message = distinctMessages.get(u).node;
      JsonNode role = message.get("role");
      distinct[u] = new Distinct(MessageText.fingerprint(message),
          role != null && "assistant".equals(role.textValue()));
    });
    Map<String, Integer> fingerprintIds = new HashMap<>();
    int[] fingerprintOf = new int[distinct.length];
    for (int u = 0; u < distinct.length; u++) {
      fingerprintOf[u] =
          fingerprintIds.computeIfAbsent(distinct[u].fingerprint, f -> fingerprintIds.size());
    }
    List<BankRow> rows = new ArrayList<>(parsed.size());
    Map<String, Integer> indexById = new HashMap<>();
    Set<String> benchmarks = new TreeSet<>();
    Set<String> trajectories = new HashSet<>();
    byte[][] lines = new byte[parsed.size()][];
    for (int r = 0; r < parsed.size(); r++) {
      ParsedRow row = parsed.get(r);
      int[] messages = rowMessages[r];
      int n = messages.length;
      int[] fingerprints = new int[n];
      for (int m = 0; m < n; m++) {
        fingerprints[m] = fingerprintOf[messages[m]];
      }
      int[] prompt = new int[slots];
      int[][] suffix = new int[slots][n + 1];
      for (int s = 0; s < slots; s++) {
        int total = 2;
        for (int m = n - 1; m >= 0; m--) {
          int tokens = counts[s][messages[m]] + 4;
          total += tokens;
          suffix[s][m] = suffix[s][m + 1] + (distinct[messages[m]].assistant ? tokens : 0);
        }
        prompt[s] = total;
      }
      rows.add(new BankRow(r, row.line, row.id, row.benchmark, row.trajectoryKey, row.stepIndex,
          row.gold, fingerprints, prompt, suffix));
      indexById.put(row.id, r);
      benchmarks.add(row.benchmark);
      trajectories.add(row.trajectoryKey);
      lines[r] = row.json;
    }
    return new LoadedBank(file, bytes, tokenizers, rows, indexById,
        new ArrayList<>(benchmarks), trajectories.size(), lines, fromCache);
  }
}
