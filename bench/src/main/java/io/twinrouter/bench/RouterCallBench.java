package io.twinrouter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.config.Tier;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.router.CacheStateSnapshot;
import io.twinrouter.router.LabeledPrefix;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterContext;
import io.twinrouter.router.RouterEnvironment;
import io.twinrouter.router.RouterJson;
import io.twinrouter.router.RunConfig;
import io.twinrouter.router.StaticRowView;
import io.twinrouter.router.catalog.Routers;
import io.twinrouter.router.http.HttpRouter;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Measures router-call throughput and latency over real loopback HTTP, against a baseline run in
 * the same process: the same request bytes sent with the bare JDK client (the transport floor),
 * so the ratio shows what the protocol layer (serialising the context, parsing and validating the
 * answer, timeouts) costs on top of HTTP. Optionally times the kNN router on a bank.
 *
 * <pre>
 * RouterCallBench [--seconds S] [--warmup S] [--concurrency 1,8,32] [--url http://127.0.0.1:PORT/route]
 *                 [--knn-bank FILE.jsonl] [--knn-rows 970]
 * </pre>
 *
 * Without {@code --url} a trivial router ({@link TrivialLoopbackRouter}, answering {@code
 * {"tier":"mid"}}) runs in process on a free loopback port. Figures go to stdout, progress to stderr.
 */
public final class RouterCallBench {

  /** One measured phase. */
  public record Figure(String phase, int concurrency, long calls, double seconds, long p50Nanos,
      long p99Nanos, long cpuNanos) {
    public double callsPerSecond() {
      return calls / seconds;
    }

    /** Process CPU time (client and in-process server together) per call. */
    public double cpuMicrosPerCall() {
      return calls == 0 ? Double.NaN : cpuNanos / 1e3 / calls;
    }
  }

  private RouterCallBench() {}

  public static void main(String[] args) throws Exception {
    double seconds = 5;
    double warmup = 10;
    int[] concurrency = {1, 8, 32};
    String url = null;
    Path knnBank = null;
    int knnRows = 970;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Double.parseDouble(args[++i]);
        case "--warmup" -> warmup = Double.parseDouble(args[++i]);
        case "--concurrency" ->
            concurrency = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
        case "--url" -> url = args[++i];
        case "--knn-bank" -> knnBank = Path.of(args[++i]);
        case "--knn-rows" -> knnRows = Integer.parseInt(args[++i]);
        default -> {
          System.err.println("unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    run(seconds, warmup, concurrency, url, System.out);
    if (knnBank != null) {
      knn(knnBank, knnRows, System.out);
    }
  }

  /** Runs the HTTP phases and prints one line per phase plus the ratios. */
  public static List<Figure> run(
      double seconds, double warmup, int[] concurrency, String url, PrintStream out)
      throws Exception {
    TwinrouterSettings settings = TwinrouterSettings.load();
    TrivialLoopbackRouter server = null;
    if (url == null) {
      server = new TrivialLoopbackRouter("{\"tier\":\"mid\",\"rationale\":\"bench\"}");
      url = "http://127.0.0.1:" + server.port() + "/route";
    }
    try {
      RouterContext ctx = sampleContext(settings);
      HttpRouter router =
          new HttpRouter(URI.create(url), HttpRouter.Options.withTimeout(Duration.ofSeconds(30)));
      HttpClient client = HttpRouter.sharedClient();
      HttpRequest raw =
          HttpRequest.newBuilder(URI.create(url))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(RouterJson.contextBytes(ctx)))
              .build();
      Supplier<CompletionStage<?>> baseline =
          () -> client.sendAsync(raw, HttpResponse.BodyHandlers.ofByteArray());
      Supplier<CompletionStage<?>> protocol = () -> router.selectAsync(ctx, Runnable::run);
      Router inProcess = Routers.byName("always-mid", RouterEnvironment.of(settings));
      System.err.printf("router bench: %s, %.1f s per phase%n", url, seconds);
      // JIT compilation of the client and the JSON code dominates the first seconds
      measure("warm-up", 8, warmup, protocol);
      measure("warm-up", 8, warmup / 2, baseline);
      List<Figure> figures = new ArrayList<>();
      out.printf("%-28s %6s %10s %10s %10s %12s%n", "phase", "conc", "calls/s", "p50 us", "p99 us",
          "cpu us/call");
      for (int c : concurrency) {
        Figure base = measure("baseline raw JDK client", c, seconds, baseline);
        Figure prot = measure("HttpRouter.selectAsync", c, seconds, protocol);
        figures.add(base);
        figures.add(prot);
        print(out, base);
        print(out, prot);
        out.printf(Locale.ROOT,
            "  concurrency %d: HttpRouter/baseline calls/s ratio %.2f, cpu/call ratio %.2f;"
                + " cpu-bound capacity on %d cores ~%.0f calls/s%n",
            c, prot.callsPerSecond() / base.callsPerSecond(),
            prot.cpuMicrosPerCall() / base.cpuMicrosPerCall(),
            Runtime.getRuntime().availableProcessors(),
            Runtime.getRuntime().availableProcessors() * 1e6 / prot.cpuMicrosPerCall());
      }
      Figure local =
          measure("in-process always-mid", 1, Math.min(2, seconds), () -> {
            try {
              return CompletableFuture.completedFuture(inProcess.select(ctx));
            } catch (Exception e) {
              return CompletableFuture.failedFuture(e);
            }
          });
      figures.add(local);
      print(out, local);
      return figures;
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  private static void print(PrintStream out, Figure f) {
    out.printf(Locale.ROOT, "%-28s %6d %10.0f %10.1f %10.1f %12.1f%n", f.phase(), f.concurrency(),
        f.callsPerSecond(), f.p50Nanos() / 1e3, f.p99Nanos() / 1e3, f.cpuMicrosPerCall());
  }

  /** Keeps {@code concurrency} calls in flight for {@code seconds}; no thread per call. */
  static Figure measure(String phase, int concurrency, double seconds,
      Supplier<CompletionStage<?>> call) throws InterruptedException {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    AtomicLong done = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long[][] latencies = new long[concurrency][];
    CompletableFuture<?>[] lanes = new CompletableFuture<?>[concurrency];
    long cpu0 = JvmReadings.processCpuNanos();
    long start = System.nanoTime();
    for (int lane = 0; lane < concurrency; lane++) {
      CompletableFuture<Void> finished = new CompletableFuture<>();
      LatencyLog log = new LatencyLog();
      int l = lane;
      lanes[lane] = finished.thenRun(() -> latencies[l] = log.toArray());
      next(call, end, done, failed, log, finished);
    }
    CompletableFuture.allOf(lanes).join();
    double elapsed = (System.nanoTime() - start) / 1e9;
    long cpu = JvmReadings.processCpuNanos() - cpu0;
    if (failed.get() > 0) {
      System.err.printf("router bench: %s: %d calls failed%n", phase, failed.get());
    }
    long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
    return new Figure(phase, concurrency, done.get(), elapsed, percentile(all, 0.50),
        percentile(all, 0.99), cpu);
  }

  private static void next(Supplier<CompletionStage<?>> call, long end, AtomicLong done,
      AtomicLong failed, LatencyLog log, CompletableFuture<Void> finished) {
    // iterate while calls complete synchronously, recurse only through async completions
    while (true) {
      long t0 = System.nanoTime();
      if (t0 >= end) {
        finished.complete(null);
        return;
      }
      CompletableFuture<?> f = call.get().toCompletableFuture();
      if (!f.isDone()) {
        f.whenComplete((v, e) -> {
          record(e, t0, done, failed, log);
          next(call, end, done, failed, log, finished);
        });
        return;
      }
      record(f.isCompletedExceptionally() ? new Exception() : null, t0, done, failed, log);
    }
  }

  private static void record(Throwable e, long t0, AtomicLong done, AtomicLong failed,
      LatencyLog log) {
    if (e == null) {
      done.incrementAndGet();
      log.add(System.nanoTime() - t0);
    } else {
      failed.incrementAndGet();
    }
  }

  private static long percentile(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, p * sorted.length)];
  }

  /** A lane's latencies; a lane has one call in flight, so no locking is needed. */
  private static final class LatencyLog {
    private long[] values = new long[1024];
    private int size;

    void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    long[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }

  /** A live context of the size of an early agent step (system prompt, task, one tool round). */
  static RouterContext sampleContext(TwinrouterSettings settings) throws IOException {
    String messages =
        "[{\"role\":\"system\",\"content\":\"You are a helpful assistant that can interact with a"
            + " computer shell to solve programming tasks.\"},"
            + "{\"role\":\"user\",\"content\":\"" + "Fix the failing test in the parser module. "
                .repeat(20) + "\"},"
            + "{\"role\":\"assistant\",\"content\":\"Let me look.\\n```bash\\nls -la\\n```\"},"
            + "{\"role\":\"user\",\"content\":\"<returncode>0</returncode><output>README.md\\nsetup.py"
            + "\\nsrc\\ntests</output>\"}]";
    List<JsonNode> list = new ArrayList<>();
    RouterJson.mapper().readTree(messages).forEach(list::add);
    var models = RouterContext.availableModels(settings.pool());
    return RouterContext.live("django__django-11133", 2, list, List.of(), models,
        CacheStateSnapshot.empty(models, 300, System.currentTimeMillis() / 1000.0), 0.01,
        RunConfig.of(settings.liveTrack()));
  }

  /**
   * Times the in-sample kNN router over a bank replicated to {@code rows} rows: the index build
   * and one query per row, the work of scoring {@code knn} on the full static bank.
   */
  public static void knn(Path bank, int rows, PrintStream out) throws IOException {
    TwinrouterSettings settings = TwinrouterSettings.load();
    List<JsonNode> source = new ArrayList<>();
    for (String line : Files.readAllLines(bank, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        source.add(RouterJson.mapper().readTree(line));
      }
    }
    List<StaticRowView> views = new ArrayList<>();
    List<LabeledPrefix> labels = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      JsonNode row = source.get(i % source.size());
      StaticRowView v = StaticRowView.fromJson(row);
      v = new StaticRowView(v.rowId() + "#" + i, v.benchmark(), v.instanceId() + "#" + i,
          v.stepIndex(), v.totalSteps(), v.messages(), v.functions());
      views.add(v);
      labels.add(LabeledPrefix.of(v, Tier.fromId(row.path("target_tier_id").asInt())));
    }
    long t0 = System.nanoTime();
    Router knn = Routers.byName("knn", RouterEnvironment.of(settings).withLabeledPrefixes(labels));
    long built = System.nanoTime();
    int answered = 0;
    for (StaticRowView v : views) {
      try {
        knn.select(RouterContext.forStaticRow(v, settings.pool(), settings));
        answered++;
      } catch (Exception e) {
        System.err.println("knn: " + e.getMessage());
      }
    }
    long queried = System.nanoTime();
    out.printf(Locale.ROOT, "knn %d x %d rows: index %.1f ms, queries %.1f ms (%.0f rows/s)%n",
        rows, rows, (built - t0) / 1e6, (queried - built) / 1e6, answered / ((queried - built) / 1e9));
  }
}
