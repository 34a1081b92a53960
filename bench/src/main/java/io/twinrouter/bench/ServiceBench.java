package io.twinrouter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import io.twinrouter.bank.BankLoader;
import io.twinrouter.bank.LoadedBank;
import io.twinrouter.bank.tokens.TokenizerSet;
import io.twinrouter.config.Tier;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterContext;
import io.twinrouter.scoring.http.HttpSettings;
import io.twinrouter.scoring.http.JsonSupport;
import io.twinrouter.scoring.http.ScoringServer;
import io.twinrouter.scoring.json.PythonJsonWriter;
import io.twinrouter.scoring.service.ServedBank;
import io.twinrouter.scoring.service.StaticEvaluations.BodyFormat;
import io.twinrouter.scoring.service.StaticEvaluations;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Load benchmark of the scoring service, in one process: {@code score} over HTTP at a given
 * concurrency (throughput, p50, p99) against scoring the same body in-process and against a bare
 * {@code GET /health} round trip; and router calls per second of an evaluation against a trivial
 * loopback router, against calling that router directly with the same concurrency.
 */
public final class ServiceBench {
  private static final String ROUTER_ANSWER = "{\"tier\":\"low\"}";
  /** Row counts of the official manifest: the synthetic bank has the real mix of benchmarks. */
  private static final List<String> BENCHMARKS = List.of("bfcl", "mtrag", "pinchbench", "qmsum", "swebench");
  private static final int[] MANIFEST_ROWS = {248, 193, 48, 145, 336};
  private static final String[] WORDS = {
    "def", "return", "self", "import", "value", "if", "else", "for", "in", "None", "raise", "error",
    "test_", "assert", "(", ")", ":", "=", "==", "[", "]", "{", "}", "\n", "    ", "\"path\"",
    "config", "result", "request", "the", "model", "tool", "call", "file", "line", "42", "x_y"};

  private final PrintStream out;
  private final Config config;
  private final TwinrouterSettings settings;

  public ServiceBench(Config config, PrintStream out) {
    this.config = config;
    this.settings = TwinrouterSettings.from(config);
    this.out = out;
  }

  /**
   * Latencies of one load run, its wall time and the CPU time the whole process spent on it
   * (service and load generator together): on a shared machine the wall figures depend on the
   * other tenants, the CPU per operation does not.
   */
  record Run(String what, long[] nanos, long wallNanos, long cpuNanos) {
    double perSecond() {
      return nanos.length / (wallNanos / 1e9);
    }

    double cpuMillisPerOp() {
      return cpuNanos / 1e6 / nanos.length;
    }

    /** Operations per second if the process had {@code cores} idle cores to itself. */
    double cpuBoundCapacity(int cores) {
      return cores * 1000.0 / cpuMillisPerOp();
    }

    double percentileMillis(double p) {
      long[] sorted = nanos.clone();
      Arrays.sort(sorted);
      int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }
  }

  /**
   * Writes the synthetic bank and its prediction body to {@code dir} (bench-bank.jsonl,
   * bench-predictions.jsonl), for {@code twinrouter serve} and an outside load generator such as
   * scripts/bench-service-wrk; returns the two files.
   */
  public static List<Path> export(Path dir, int rows, TokenizerSet tokenizers) throws IOException {
    byte[] bankBytes = synthesize(rows, 7);
    Path bankFile = dir.resolve("bench-bank.jsonl");
    Path predictionFile = dir.resolve("bench-predictions.jsonl");
    java.nio.file.Files.createDirectories(dir);
    java.nio.file.Files.write(bankFile, bankBytes);
    LoadedBank loaded = BankLoader.load(bankFile, bankBytes, tokenizers);
    java.nio.file.Files.writeString(predictionFile, predictions(loaded, 11), StandardCharsets.UTF_8);
    return List.of(bankFile, predictionFile);
  }

  public void run(int rows, int concurrency, int requests, int evaluations, TokenizerSet tokenizers)
      throws Exception {
    byte[] bankBytes = synthesize(rows, 7);
    long loadStart = System.nanoTime();
    LoadedBank loaded = BankLoader.load(Path.of("bench-bank.jsonl"), bankBytes, tokenizers);
    ServedBank bank = ServedBank.of("bench", loaded);
    StaticEvaluations statics = new StaticEvaluations(settings);
    statics.prepare(bank);
    out.printf("synthetic bank: %d rows, %d trajectories, %.1f MB, loaded and prepared in %d ms (tokens by %s)%n",
        loaded.rowCount(), loaded.trajectoryCount(), bankBytes.length / 1e6,
        (System.nanoTime() - loadStart) / 1_000_000, tokenizers.describe());
    String predictions = predictions(loaded, 11);
    out.printf("prediction body: %d bytes of JSONL; concurrency %d, %d requests after as many to warm up%n%n",
        predictions.length(), concurrency, requests);

    HttpSettings http = HttpSettings.from(config).withAddress("127.0.0.1", 0).withApiToken(Optional.empty());
    try (ScoringServer server = ScoringServer.start(config, http, statics, () -> List.of(bank))
        .toCompletableFuture().get(60, TimeUnit.SECONDS)) {
      HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(2)).build();
      URI base = URI.create("http://127.0.0.1:" + server.port());
      awaitHealth(client, base);

      byte[] predictionBytes = predictions.getBytes(StandardCharsets.UTF_8);
      Supplier<CompletableFuture<?>> inProcess = () -> CompletableFuture.runAsync(() ->
          PythonJsonWriter.write(statics.score(bank, predictionBytes, BodyFormat.JSONL, "bench", Optional.empty(), 42)));
      HttpRequest score = HttpRequest.newBuilder(base.resolve("/v1/static/banks/bench/score?label=bench"))
          .header("Content-Type", "application/x-ndjson")
          .POST(HttpRequest.BodyPublishers.ofString(predictions)).build();
      HttpRequest health = HttpRequest.newBuilder(base.resolve("/health")).GET().build();

      List<Run> runs = new ArrayList<>();
      runs.add(load("score, in-process (no HTTP)", inProcess, concurrency, requests));
      runs.add(load("score over HTTP", () -> send(client, score), concurrency, requests));
      runs.add(load("GET /health over HTTP", () -> send(client, health), concurrency, requests));
      out.printf("%-30s %12s %10s %10s %12s %16s%n", "", "requests/s", "p50 ms", "p99 ms", "CPU ms/req", "2-core capacity");
      for (Run r : runs) {
        out.printf("%-30s %12.1f %10.2f %10.2f %12.3f %14.0f/s%n", r.what(), r.perSecond(),
            r.percentileMillis(50), r.percentileMillis(99), r.cpuMillisPerOp(), r.cpuBoundCapacity(2));
      }
      Run http0 = runs.get(1);
      out.printf("score over HTTP: %.2fx the in-process throughput, %.2fx its CPU per score; "
              + "p99 %.2f ms (target < 50 ms), %.0f scores/s (target >= 200)%n",
          http0.perSecond() / runs.get(0).perSecond(), http0.cpuMillisPerOp() / runs.get(0).cpuMillisPerOp(),
          http0.percentileMillis(99), http0.perSecond());
      out.printf("(the load generator runs in this process: its CPU is in the HTTP rows; "
          + "scripts/bench-service-wrk measures with wrk instead)%n");
      out.printf("load average while measuring: %.1f on %d cores (figures above are shared with it)%n%n",
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          Runtime.getRuntime().availableProcessors());

      evaluations(client, base, bank, statics, concurrency, evaluations);
    }
  }

  private void evaluations(HttpClient client, URI base, ServedBank bank, StaticEvaluations statics,
      int concurrency, int evaluations) throws Exception {
    // the raw-socket keep-alive router of `bench router`: a JDK HttpServer on a small executor
    // cost more CPU per call than the client under test and capped both rows below
    TrivialLoopbackRouter router = new TrivialLoopbackRouter(ROUTER_ANSWER);
    String url = "http://127.0.0.1:" + router.port() + "/route";
    try {
      // baseline: the same router calls made directly, same contexts, same concurrency
      Router direct = statics.router(url, bank, Duration.ofSeconds(30));
      List<RouterContext> contexts = new ArrayList<>();
      for (int i = 0; i < bank.rows(); i++) {
        contexts.add(statics.context(bank, i));
      }
      int[] next = {0};
      Supplier<CompletableFuture<?>> call = () -> direct.selectAsync(
          contexts.get(next[0]++ % contexts.size()), Runnable::run).toCompletableFuture();
      load("warm-up", call, concurrency, bank.rows());
      Run directRun = load("direct", call, concurrency, bank.rows() * evaluations);

      String body = "{\"router\": \"" + url + "\", \"concurrency\": " + concurrency + ", \"timeout_ms\": 30000}";
      evaluation(client, base, body); // warm-up
      double[] rates = new double[evaluations];
      long cpu0 = JvmReadings.processCpuNanos();
      for (int i = 0; i < evaluations; i++) {
        rates[i] = bank.rows() / (evaluation(client, base, body) / 1e9);
      }
      double cpuPerCall = (JvmReadings.processCpuNanos() - cpu0) / 1e6 / ((long) bank.rows() * evaluations);
      Arrays.sort(rates);
      double median = rates[rates.length / 2];
      out.printf("router calls to a trivial loopback router ({\"tier\":\"low\"}), concurrency %d:%n", concurrency);
      out.printf("%-30s %12.0f calls/s, %.3f CPU ms/call (router included), 2-core capacity %.0f/s%n",
          "direct HttpRouter calls", directRun.perSecond(), directRun.cpuMillisPerOp(), directRun.cpuBoundCapacity(2));
      out.printf("%-30s %12.0f calls/s (median of %d evaluations of %d rows; best %.0f), %.3f CPU ms/call, 2-core capacity %.0f/s%n",
          "evaluation job over HTTP", median, evaluations, bank.rows(), rates[rates.length - 1],
          cpuPerCall, 2000.0 / cpuPerCall);
      out.printf("evaluation: %.2fx the direct call rate (target >= 2000 calls/s)%n", median / directRun.perSecond());
      out.printf("load average while measuring: %.1f on %d cores%n",
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          Runtime.getRuntime().availableProcessors());
    } finally {
      router.close();
    }
  }

  /** Starts an evaluation and polls until it is done; the time from request to done. */
  private static long evaluation(HttpClient client, URI base, String body) throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> started = client.send(HttpRequest.newBuilder(base.resolve("/v1/static/banks/bench/evaluations"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (started.statusCode() != 202) {
      throw new IllegalStateException("evaluation refused: " + started.body());
    }
    String id = JsonSupport.MAPPER.readTree(started.body()).get("id").asText();
    HttpRequest poll = HttpRequest.newBuilder(base.resolve("/v1/jobs/" + id)).GET().build();
    while (true) {
      JsonNode job = JsonSupport.MAPPER.readTree(client.send(poll, HttpResponse.BodyHandlers.ofString()).body());
      String status = job.get("status").asText();
      if (!status.equals("running")) {
        if (!status.equals("done") || job.get("progress").get("errors").asInt() > 0) {
          throw new IllegalStateException("evaluation did not run cleanly: " + job.get("progress")
              + " " + job.path("summary").path("errors"));
        }
        return System.nanoTime() - start;
      }
      // each poll is an HTTP request the service answers while it evaluates: 50 a second at most
      Thread.sleep(20);
    }
  }

  /**
   * {@code count} operations with at most {@code concurrency} in flight, after as many to warm up:
   * the JIT needs about a thousand scores before the scorer runs at its steady speed.
   */
  private static Run load(String what, Supplier<CompletableFuture<?>> op, int concurrency, int count)
      throws InterruptedException {
    drive(op, concurrency, count);
    long[] latencies = new long[count];
    long cpu0 = JvmReadings.processCpuNanos();
    long wall = drive(op, concurrency, count, latencies);
    return new Run(what, latencies, wall, JvmReadings.processCpuNanos() - cpu0);
  }

  private static long drive(Supplier<CompletableFuture<?>> op, int concurrency, int count) throws InterruptedException {
    return drive(op, concurrency, count, new long[count]);
  }

  private static long drive(Supplier<CompletableFuture<?>> op, int concurrency, int count, long[] latencies)
      throws InterruptedException {
    Semaphore inFlight = new Semaphore(concurrency);
    Throwable[] failure = {null};
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      inFlight.acquire();
      int slot = i;
      long t0 = System.nanoTime();
      op.get().whenComplete((r, e) -> {
        latencies[slot] = System.nanoTime() - t0;
        if (e != null) {
          failure[0] = e;
        }
        inFlight.release();
      });
    }
    inFlight.acquire(concurrency);
    if (failure[0] != null) {
      throw new IllegalStateException("a benchmark request failed", failure[0]);
    }
    return System.nanoTime() - start;
  }

  private static CompletableFuture<?> send(HttpClient client, HttpRequest request) {
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
      if (r.statusCode() != 200) {
        throw new IllegalStateException("HTTP " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
      }
      return r;
    });
  }

  private static void awaitHealth(HttpClient client, URI base) throws Exception {
    HttpRequest health = HttpRequest.newBuilder(base.resolve("/health")).GET().build();
    for (int i = 0; i < 6000; i++) {
      if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
        return;
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("the service did not become ready");
  }

  /** A prediction per row: mostly a tier near random, one in twenty an error row. */
  static String predictions(LoadedBank bank, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder s = new StringBuilder(bank.rowCount() * 48);
    for (int i = 0; i < bank.rowCount(); i++) {
      ObjectNode p = JsonSupport.MAPPER.createObjectNode().put("id", bank.row(i).id());
      if (random.nextInt(20) == 0) {
        p.put("error", "router timed out");
      } else {
        p.put("tier", Tier.fromId(random.nextInt(4)).wireName());
      }
      s.append(p).append('\n');
    }
    return s.toString();
  }

  /**
   * A bank in the official row format with the official manifest's benchmark mix (scaled to
   * {@code rows}): trajectories of 1 to 8 steps whose message lists grow step by step, code-like
   * text of a few hundred characters a message.
   */
  static byte[] synthesize(int rows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder file = new StringBuilder(rows * 6000);
    int total = Arrays.stream(MANIFEST_ROWS).sum();
    int made = 0;
    for (int b = 0; b < BENCHMARKS.size(); b++) {
      int quota = b == BENCHMARKS.size() - 1 ? rows - made : (int) Math.round((double) rows * MANIFEST_ROWS[b] / total);
      String benchmark = BENCHMARKS.get(b);
      for (int traj = 0; quota > 0; traj++) {
        int steps = Math.min(quota, 1 + random.nextInt(8));
        String instance = benchmark + "-" + traj;
        ArrayNode messages = JsonSupport.MAPPER.createArrayNode();
        messages.addObject().put("role", "system").put("content", text(random, 400));
        messages.addObject().put("role", "user").put("content", text(random, 300));
        for (int step = 1; step <= steps; step++) {
          int tier = random.nextInt(4);
          ObjectNode row = JsonSupport.MAPPER.createObjectNode()
              .put("id", instance + "-s" + step)
              .put("benchmark", benchmark)
              .put("scenario", "synthetic")
              .put("instance_id", instance)
              .put("step_index", step)
              .put("total_steps", steps);
          row.set("messages", messages.deepCopy());
          row.put("target_tier", Tier.fromId(tier).wireName()).put("target_tier_id", tier);
          file.append(row).append('\n');
          messages.addObject().put("role", "assistant").put("content", text(random, 250));
          messages.addObject().put("role", "tool").put("tool_call_id", "call" + step).put("content", text(random, 500));
        }
        quota -= steps;
        made += steps;
      }
    }
    return file.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String text(SplittableRandom random, int length) {
    StringBuilder s = new StringBuilder(length + 16);
    while (s.length() < length) {
      s.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(3) > 0 ? " " : "");
    }
    return s.toString();
  }
}
