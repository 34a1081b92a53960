package io.twinrouter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.twinrouter.bank.BankLoader;
import io.twinrouter.bank.LoadedBank;
import io.twinrouter.bank.tokens.TokenizerSet;
import io.twinrouter.config.StaticTrackSettings;
import io.twinrouter.config.Tier;
import io.twinrouter.scoring.statictrack.Prediction;
import io.twinrouter.scoring.statictrack.Predictions;
import io.twinrouter.scoring.statictrack.SampleSpec;
import io.twinrouter.scoring.statictrack.StaticScorer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Measures the static scorer on a synthetic bank of realistic size: the fixture trajectories
 * replicated with new ids, their non-assistant messages padded with code-like text (the same
 * padding in every step, so cached prefixes stay prefixes). Figures are reported against
 * baselines run in the same process: loading against a bare Jackson parse of the same file,
 * scoring against scoring with the bank re-tokenized on every call.
 */
public final class StaticBench {
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      com.fasterxml.jackson.databind.json.JsonMapper.builder()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();

  private static final String[] WORDS = {
    "def", "return", "self", "import", "from", "class", "if", "else", "for", "in", "None",
    "True", "value", "result", "config", "path", "assert", "test_", "error", "np.array",
    "    ", "\n", "(", ")", "[", "]", ":", ",", ".", "=", "==", "+=", "'", "\"", "#", "0", "1",
    "42", "3.14", "astropy", "matplotlib", "pytest", "xarray", "sympy", "django", "traceback",
    "File", "line", "raise", "ValueError", "kwargs", "args", "dtype", "shape", "len", "dict"
  };

  /** Phases the bench reports to its progress listener. */
  public static final int PHASES = 9;

  private final StaticTrackSettings settings;
  private final PrintStream out;
  private final Consumer<String> progress;

  /**
   * @param out where the figures go (the command's stdout)
   * @param progress told the name of each phase as it starts, {@link #PHASES} times
   */
  public StaticBench(StaticTrackSettings settings, PrintStream out, Consumer<String> progress) {
    this.settings = settings;
    this.out = out;
    this.progress = progress;
  }

  /**
   * @param fixtures the static-parity fixture directory (bank1.jsonl, bank2.jsonl)
   * @param rows rows of the synthetic bank
   * @param targetBytes its approximate size
   * @param runs timed scoring runs after warm-up
   */
  public void run(Path fixtures, TokenizerSet tokenizers, int rows, long targetBytes, int runs,
      Path workDir) throws IOException {
    progress.accept("building the synthetic bank");
    Path bankFile = workDir.resolve("synthetic-bank.jsonl");
    byte[] bytes = synthesize(fixtures, rows, targetBytes);
    Files.write(bankFile, bytes);
    out.printf(Locale.ROOT, "synthetic bank: %d rows, %.2f MB (%s)%n", rows,
        bytes.length / 1e6, bankFile);
    out.printf(Locale.ROOT, "tokenizers: %s; %d cores; JVM max heap %d MB%n%n",
        tokenizers.describe(), Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);

    progress.accept("bare JSON parse (baseline)");
    bareParse(bytes);
    double parse = median(3, () -> bareParse(bytes));
    progress.accept("first load");
    long t0 = System.nanoTime();
    long c0 = JvmReadings.processCpuNanos();
    BankLoader.load(bankFile, tokenizers);
    double firstLoad = (System.nanoTime() - t0) / 1e6;
    double firstLoadCpu = (JvmReadings.processCpuNanos() - c0) / 1e6;
    progress.accept("warm loads");
    long c1 = JvmReadings.processCpuNanos();
    double load = median(3, () -> {
      try {
        BankLoader.load(bankFile, tokenizers);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    double loadCpu = (JvmReadings.processCpuNanos() - c1) / 3e6;
    progress.accept("heap and path precomputation");
    long heapBefore = JvmReadings.heapAfterGc();
    LoadedBank bank = BankLoader.load(bankFile, tokenizers);
    StaticScorer scorer = new StaticScorer(settings);
    long t1 = System.nanoTime();
    scorer.prepare(bank);
    double prepare = (System.nanoTime() - t1) / 1e6;
    long heapAfter = JvmReadings.heapAfterGc();
    out.printf(Locale.ROOT, "load + tokenize, first (incl. tokenizer init): %8.1f ms wall, "
        + "%.1f ms CPU (all threads, JIT and GC included)%n", firstLoad, firstLoadCpu);
    out.printf(Locale.ROOT, "load + tokenize, warm (median of 3):           %8.1f ms wall, "
        + "%.1f ms CPU (mean)   = %.1fx a bare Jackson parse of the file (%.1f ms)%n",
        load, loadCpu, load / parse, parse);
    out.printf(Locale.ROOT, "precompute baseline/gold paths (once per bank): %7.1f ms%n", prepare);
    out.printf(Locale.ROOT, "heap retained by the loaded bank and its plan: %8.1f MB"
        + "   = %.2fx the file size%n%n", (heapAfter - heapBefore) / 1e6,
        (heapAfter - heapBefore) / (double) bytes.length);

    progress.accept("scoring runs");
    Predictions predictions = predictions(bank);
    for (int i = 0; i < Math.max(50, runs / 2); i++) {
      scorer.score(bank, predictions, Optional.empty(), "bench");
    }
    double[] times = new double[runs];
    for (int i = 0; i < runs; i++) {
      long s = System.nanoTime();
      scorer.score(bank, predictions, Optional.empty(), "bench");
      times[i] = (System.nanoTime() - s) / 1e6;
    }
    Arrays.sort(times);
    double median = times[runs / 2];
    double p99 = times[Math.min(runs - 1, (int) Math.ceil(runs * 0.99) - 1)];
    progress.accept("re-tokenizing baseline");
    double naive = median(3, () -> {
      try {
        LoadedBank fresh = BankLoader.load(bankFile, tokenizers);
        new StaticScorer(settings).score(fresh, predictions, Optional.empty(), "bench");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    out.printf(Locale.ROOT, "score one prediction set, warm, %d runs: median %.3f ms, p99 %.3f ms"
        + "%n", runs, median, p99);
    out.printf(Locale.ROOT, "baseline, re-tokenizing the bank per call (median of 3): %.1f ms"
        + "   = %.0fx slower%n", naive, naive / median);
    progress.accept("sampled scoring");
    SampleSpec sample = new SampleSpec(Math.min(rows, 200), 7, sampleManifest(bank));
    double sampled = median(runs, () -> scorer.score(bank, predictions, Optional.of(sample), "s"));
    out.printf(Locale.ROOT, "score a proportional sample of %d rows (plan cached), median: %.3f ms"
        + "%n", sample.n(), sampled);
    progress.accept("prediction parsing");
    parsePredictions(predictions, runs);
  }

  /**
   * The service parses a prediction body on every score request: the streaming reader (from a
   * String as the service does, and from bytes) against the original tree-per-line reader.
   */
  private void parsePredictions(Predictions predictions, int runs) {
    String body = jsonl(predictions);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Runnable trees = () -> {
      try {
        treePerLine("bench", body);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
    Runnable streaming = () -> {
      try {
        Predictions.parseJsonl("bench", new java.io.StringReader(body));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
    Runnable fromBytes = () -> Predictions.parseJsonl("bench", bytes);
    int warmUp = Math.max(200, runs);
    for (Runnable r : List.of(trees, streaming, fromBytes)) {
      median(warmUp, r);
    }
    int timed = Math.max(500, runs);
    double tree = median(timed, trees);
    double stream = median(timed, streaming);
    double direct = median(timed, fromBytes);
    out.printf(Locale.ROOT, "%nparse a %d-line prediction file (%.1f KB), median of %d after %d "
        + "warm-up runs:%n", predictions.size(), bytes.length / 1e3, timed, warmUp);
    out.printf(Locale.ROOT, "  tree per line (baseline, the original reader): %8.3f ms%n", tree);
    out.printf(Locale.ROOT, "  streaming, from a String:                      %8.3f ms   = %.1fx "
        + "faster%n", stream, tree / stream);
    out.printf(Locale.ROOT, "  streaming, from UTF-8 bytes:                   %8.3f ms   = %.1fx "
        + "faster%n", direct, tree / direct);
  }

  /** The predictions as a JSONL file: tier names, error rows with their text. */
  private static String jsonl(Predictions predictions) {
    StringBuilder s = new StringBuilder();
    for (String id : predictions.ids()) {
      ObjectNode line = JSON.createObjectNode().put("id", id);
      Prediction p = predictions.get(id).orElseThrow();
      if (p instanceof Prediction.Routed r) {
        line.put("tier", r.tier().wireName());
      } else if (p instanceof Prediction.Failed f) {
        line.put("error", f.error());
      }
      s.append(line).append('\n');
    }
    return s.toString();
  }

  private static Map<String, Integer> sampleManifest(LoadedBank bank) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String b : bank.benchmarks()) {
      counts.put(b, (int) bank.rows().stream().filter(r -> r.benchmark().equals(b)).count());
    }
    return counts;
  }

  /** A mixed router: gold ± one tier, 5% error rows. */
  static Predictions predictions(LoadedBank bank) {
    SplittableRandom random = new SplittableRandom(11);
    Map<String, Prediction> answers = new LinkedHashMap<>();
    bank.rows().forEach(r -> {
      if (random.nextInt(20) == 0) {
        answers.put(r.id(), Prediction.error("ReadTimeout after 4 attempt(s): timed out"));
      } else {
        int tier = Math.max(0, Math.min(3, r.goldTierId() + random.nextInt(3) - 1));
        answers.put(r.id(), Prediction.tier(Tier.fromId(tier)));
      }
    });
    return Predictions.fromMap("bench", answers);
  }

  /** Fixture rows replicated with new ids and padded so the file is about targetBytes. */
  static byte[] synthesize(Path fixtures, int rows, long targetBytes) throws IOException {
    List<JsonNode> templates = new ArrayList<>();
    for (String name : List.of("bank1.jsonl", "bank2.jsonl")) {
      for (String line : Files.readAllLines(fixtures.resolve(name), StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          templates.add(JSON.readTree(line));
        }
      }
    }
    // dry run without padding: the base size and how many messages take padding
    long[] base = {0, 0};
    replicate(templates, rows, 0, (row, padded) -> {
      base[0] += row.length() + 1;
      base[1] += padded;
    });
    int pad = (int) Math.max(0, (targetBytes - base[0]) / Math.max(1, base[1]));
    StringBuilder file = new StringBuilder((int) (targetBytes * 11 / 10));
    replicate(templates, rows, pad, (row, padded) -> file.append(row).append('\n'));
    return file.toString().getBytes(StandardCharsets.UTF_8);
  }

  private interface RowSink {
    void accept(String row, int paddedMessages);
  }

  private static void replicate(List<JsonNode> templates, int rows, int pad, RowSink sink) {
    int made = 0;
    for (int copy = 0; made < rows; copy++) {
      for (JsonNode template : templates) {
        if (made == rows) {
          break;
        }
        ObjectNode row = template.deepCopy();
        String suffix = "__copy" + copy;
        row.put("id", row.get("id").asText() + suffix);
        if (row.has("instance_id") && row.get("instance_id").isTextual()) {
          row.put("instance_id", row.get("instance_id").asText() + suffix);
        }
        int padded = 0;
        JsonNode messages = row.get("messages");
        if (messages != null && messages.isArray()) {
          for (JsonNode m : messages) {
            JsonNode content = m.get("content");
            if (m.isObject() && content != null && content.isTextual()
                && !"assistant".equals(m.path("role").asText())) {
              padded++;
              if (pad > 0) {
                String text = content.textValue();
                ((ObjectNode) m).set("content",
                    TextNode.valueOf(text + "\n" + filler(text.hashCode() * 31L + copy, pad)));
              }
            }
          }
        }
        sink.accept(row.toString(), padded);
        made++;
      }
    }
  }

  /** Code-like text, the same for the same seed (so a message padded twice stays equal). */
  private static String filler(long seed, int length) {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder s = new StringBuilder(length + 16);
    while (s.length() < length) {
      s.append(WORDS[random.nextInt(WORDS.length)]);
      if (random.nextInt(3) > 0) {
        s.append(' ');
      }
    }
    return s.substring(0, length);
  }

  private static void bareParse(byte[] bytes) {
    try {
      int start = 0;
      for (int i = 0; i <= bytes.length; i++) {
        if (i == bytes.length || bytes[i] == '\n') {
          if (i > start) {
            JSON.readTree(bytes, start, i - start);
          }
          start = i + 1;
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static double median(int runs, Runnable task) {
    double[] t = new double[runs];
    for (int i = 0; i < runs; i++) {
      long s = System.nanoTime();
      task.run();
      t[i] = (System.nanoTime() - s) / 1e6;
    }
    Arrays.sort(t);
    return t[runs / 2];
  }

  /** CPU time of the whole process: a figure that other load on the machine inflates less. */

  /** The baseline reader: one Jackson tree a line, the rules the streaming readers replaced. */
  private static Predictions treePerLine(String source, String body) throws IOException {
    Predictions.TreeCollector collector = new Predictions.TreeCollector(source);
    int lineNo = 0;
    for (String line : body.split("\n", -1)) {
      lineNo++;
      String text = line.strip();
      if (!text.isEmpty()) {
        collector.addLine(lineNo, JSON.readTree(text));
      }
    }
    return collector.build();
  }
}
