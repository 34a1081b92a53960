package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.twinrouter.bank.BundledBank;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.orchestrator.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded mutation fuzzer over the files the CLI reads: banks and predictions ({@code static
 * score}), task files ({@code tasks validate}) and pool files ({@code live run --pool}). Each
 * valid seed file is truncated, has bytes flipped, lines dropped, repeated or swapped for other
 * JSON, values of the wrong type, deep nesting, huge lines, invalid UTF-8; the CLI must then either
 * accept it or exit 2 with one line naming the file (and the line, for the line-based files), never
 * a stack trace. Sandboxes are pointed at a root filesystem that does not exist, so a task or pool
 * file that is still valid ends at the sandbox's own exit-2 error instead of running anything.
 *
 * <p>A plain seeded loop rather than jqwik, for the reason {@code ScoringServiceFuzzTest} in the
 * scoring module gives (jqwik does not run on JUnit Platform 6). Seed, count and time: {@code
 * -Dtwinrouter.fuzz.seed}, {@code .cases} (per kind of file), {@code .seconds}.
 */
class InputFilesFuzzTest {
  static final long SEED = Long.getLong("twinrouter.fuzz.seed", 18L);
  static final int CASES = Integer.getInteger("twinrouter.fuzz.cases", 60);
  static final Duration BUDGET = Duration.ofSeconds(Long.getLong("twinrouter.fuzz.seconds", 150));
  static final String ROOTFS_PROPERTY = "twinrouter.sandbox.local.rootfs";

  @TempDir static Path tmp;
  static String bank;
  static String predictions;
  static String tasks;
  static String pool;
  static String rootfsBefore;
  static Path suite;

  @BeforeAll
  static void seeds() throws IOException {
    bank = new String(BundledBank.bytes(), StandardCharsets.UTF_8);
    StringBuilder p = new StringBuilder();
    Matcher ids = Pattern.compile("^\\{\"id\": ?\"([^\"]+)\"", Pattern.MULTILINE).matcher(bank);
    String[] tiers = {"low", "mid", "mid_high", "high"};
    for (int i = 0; ids.find(); i++) {
      p.append("{\"id\": \"").append(ids.group(1)).append("\", \"tier\": \"").append(tiers[i % 4]).append("\"}\n");
    }
    predictions = p.toString();
    // beside the suite's bundles, so that a task file's repo_source resolves as in the real suite
    suite = tmp.resolve("suite");
    TaskSuite.bundled(suite);
    try (InputStream in = InputFilesFuzzTest.class.getResourceAsStream("/io/twinrouter/tasks/bundled/tasks.jsonl")) {
      tasks = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    StringBuilder models = new StringBuilder("models = [\n");
    for (var m : TwinrouterSettings.load().pool().models()) {
      models.append(String.format(Locale.ROOT,
          "  { model-id = \"%s\", tier = %s, base-url = \"http://127.0.0.1:9/v1\", rates { input = %s,"
              + " cache-read = %s, cache-write = %s, output = %s } }\n",
          m.modelId(), m.tier().wireName(), m.rates().input(), m.rates().cacheRead(),
          m.rates().cacheWrite(), m.rates().output()));
    }
    pool = models.append("]\n").toString();
    if (predictions.isEmpty()) {
      throw new AssertionError("no ids found in the bundled bank");
    }
    // a task or pool file that survives its mutation must not start sandboxes
    rootfsBefore = System.getProperty(ROOTFS_PROPERTY);
    System.setProperty(ROOTFS_PROPERTY, tmp.resolve("no-rootfs").toString());
    ConfigFactory.invalidateCaches();
  }

  @AfterAll
  static void restore() {
    if (rootfsBefore == null) {
      System.clearProperty(ROOTFS_PROPERTY);
    } else {
      System.setProperty(ROOTFS_PROPERTY, rootfsBefore);
    }
    ConfigFactory.invalidateCaches();
  }

  /** One kind of input file: its valid seed and the command that reads a version of it. */
  record Kind(String name, String seed, boolean lineBased, Path folder, Function<Path, List<String>> command) {}

  @Test
  void everyMutatedInputFileIsAcceptedOrRefusedWithExit2NamingItNeverAStackTrace() throws IOException {
    Path validBank = Files.writeString(tmp.resolve("bank.jsonl"), bank);
    Path validPredictions = Files.writeString(tmp.resolve("predictions.jsonl"), predictions);
    List<Kind> kinds = List.of(
        new Kind("bank", bank, true, tmp, f -> List.of("static", "score", "--bank", f.toString(),
            "--predictions", validPredictions.toString())),
        new Kind("predictions", predictions, true, tmp, f -> List.of("static", "score", "--bank",
            validBank.toString(), "--predictions", f.toString())),
        new Kind("tasks", tasks, true, suite, f -> List.of("tasks", "validate", f.toString(), "--sandbox", "local")),
        new Kind("pool", pool, false, tmp, f -> List.of("live", "run", "--tasks", "bundled", "--pool", f.toString(),
            "--router", "always-high", "--sandbox", "local", "--out", f.resolveSibling(f.getFileName() + ".out").toString())));
    Random random = new Random(SEED);
    List<String> failures = new ArrayList<>();
    Map<String, Map<Integer, Integer>> exits = new TreeMap<>();
    long deadline = System.nanoTime() + BUDGET.toNanos();
    int n = 0;
    for (int round = 0; round < CASES && System.nanoTime() < deadline; round++) {
      for (Kind kind : kinds) {
        byte[] content = mutate(kind.seed(), random);
        Path file = kind.folder().resolve(kind.name() + "-" + n++ + ".in");
        Files.write(file, content);
        Run r = run(kind.command().apply(file));
        int shown = r.exit() == 2 && r.output().contains("no-rootfs") ? -2 : r.exit();
        exits.computeIfAbsent(kind.name(), k -> new TreeMap<>()).merge(shown, 1, Integer::sum);
        String problem = problem(kind, file, r);
        if (problem != null && failures.size() < 20) {
          String text = new String(content, StandardCharsets.UTF_8);
          failures.add(kind.name() + " " + file + ": " + problem + "; output: " + excerpt(r.output())
              + "; file starts: " + excerpt(text));
        }
        Files.deleteIfExists(file);
      }
    }
    System.out.println("input-files fuzz: seed " + SEED + ", " + n + " files; exit codes per kind"
        + " (-2: the file was valid and the run stopped at the missing sandbox): " + exits);
    assertEquals(List.of(), failures, "seed " + SEED);
  }

  /** What is wrong with how the CLI took a file, or null. */
  static String problem(Kind kind, Path file, Run r) {
    String out = r.output();
    if (out.contains("\tat ") || out.contains("Exception:") || out.contains("Exception\n")) {
      return "a stack trace or exception name (exit " + r.exit() + ")";
    }
    if (r.exit() == 0) {
      return null;
    }
    if (r.exit() != 2) {
      return "exit " + r.exit();
    }
    if (out.contains("root filesystem") && out.contains("no-rootfs")) {
      return null; // the file was valid: the sandbox's own error came next
    }
    if (!out.contains(file.getFileName().toString())) {
      return "the error does not name the file";
    }
    // "line N" or the compiler's FILE:N: both name the line; a fault of the whole file names none
    boolean namesLine = out.toLowerCase(Locale.ROOT).contains("line")
        || Pattern.compile(Pattern.quote(file.getFileName().toString()) + ":\\d+").matcher(out).find();
    if (kind.lineBased() && !namesLine && !WHOLE_FILE.matcher(out).find()) {
      return "the error names no line";
    }
    return null;
  }

  /** Faults of a whole file, which no line can be named for. */
  static final Pattern WHOLE_FILE = Pattern.compile("not (valid )?UTF-8|is empty|no rows|no tasks|no predictions");

  record Run(int exit, String output) {}

  /** The CLI in process, with stdout and stderr captured together. */
  static Run run(List<String> args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream both = new PrintStream(captured, true, StandardCharsets.UTF_8);
    System.setOut(both);
    System.setErr(both);
    try {
      int code = Main.run(args.toArray(String[]::new));
      return new Run(code, captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private static final List<String> JUNK = List.of("{", "}", "[", "]", "\"", ":", ",", "null", "true", "-1",
      "1e999", "99999999999999999999999", "\"\\u0000\"", "\\", "NaN", "\"id\"", "\"tier\"", "{}", "[]",
      "\"instance_id\"", "\"patch\"", "model-id", "=", "${x}", "include \"/etc/passwd\"", "\uD83D\uDE00");

  /** A mutated copy of a seed: one to three line or byte mutations. */
  static byte[] mutate(String seed, Random random) {
    List<String> lines = new ArrayList<>(seed.lines().toList());
    for (int n = 1 + random.nextInt(3); n > 0 && !lines.isEmpty(); n--) {
      int at = random.nextInt(lines.size());
      String line = lines.get(at);
      switch (random.nextInt(10)) {
        case 0 -> lines.set(at, line.substring(0, random.nextInt(line.length() + 1))); // truncated line
        case 1 -> lines.remove(at);
        case 2 -> lines.add(at, line); // a duplicate
        case 3 -> lines.set(at, JUNK.get(random.nextInt(JUNK.size())));
        case 4 -> lines.set(at, insert(line, JUNK.get(random.nextInt(JUNK.size())), random));
        case 5 -> lines.set(at, wrongType(line, random));
        case 6 -> lines.set(at, "[".repeat(List.of(100, 2000, 50_000).get(random.nextInt(3)))
            + line + "]".repeat(random.nextInt(3) * 1000));
        case 7 -> lines.set(at, line + "x".repeat(1 + random.nextInt(2_000_000)));
        case 8 -> lines.add(at, "");
        default -> lines = new ArrayList<>(lines.subList(0, at)); // the file truncated
      }
    }
    byte[] bytes = (String.join("\n", lines) + (random.nextBoolean() ? "\n" : "")).getBytes(StandardCharsets.UTF_8);
    if (random.nextInt(6) == 0 && bytes.length > 0) { // bytes flipped: invalid UTF-8, NULs
      for (int i = 0; i < 1 + random.nextInt(4); i++) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
    }
    return bytes;
  }

  private static String insert(String line, String junk, Random random) {
    int at = random.nextInt(line.length() + 1);
    return line.substring(0, at) + junk + line.substring(at);
  }

  /** A JSON string or number value of the line replaced by one of another type. */
  private static String wrongType(String line, Random random) {
    Matcher m = Pattern.compile(":\\s*(\"[^\"]*\"|-?[0-9.]+|true|false|null)").matcher(line);
    List<int[]> spans = new ArrayList<>();
    while (m.find()) {
      spans.add(new int[] {m.start(1), m.end(1)});
    }
    if (spans.isEmpty()) {
      return line;
    }
    int[] s = spans.get(random.nextInt(spans.size()));
    String replacement = List.of("[1, \"x\"]", "{\"a\": 1}", "12345678901234567890", "null", "true", "\"\"",
        "-0.5", "\"" + "y".repeat(10_000) + "\"").get(random.nextInt(8));
    return line.substring(0, s[0]) + replacement + line.substring(s[1]);
  }

  static String excerpt(String s) {
    return s.length() > 400 ? s.substring(0, 400) + "..." : s;
  }
}
