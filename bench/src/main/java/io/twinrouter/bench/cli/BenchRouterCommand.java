package io.twinrouter.bench.cli;

import io.twinrouter.bench.RouterCallBench;
import io.twinrouter.console.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code twinrouter bench router}: router calls per second over loopback HTTP. */
@Command(
    name = "router",
    mixinStandardHelpOptions = true,
    description = {
      "Router calls per second and latency over loopback HTTP, against the bare JDK client sending"
          + " the same bytes (baseline), at each concurrency; optionally times the kNN router.",
      "Without --url a trivial keep-alive router runs in process on a free 127.0.0.1 port."
    })
public final class BenchRouterCommand implements Callable<Integer> {

  @Option(names = "--seconds", defaultValue = "5", description = "Seconds per phase (default ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--warmup", defaultValue = "10", description = "Warm-up seconds (default ${DEFAULT-VALUE}).")
  double warmup;

  @Option(names = "--concurrency", defaultValue = "1,8,32", split = ",",
      description = "Calls in flight, comma-separated (default ${DEFAULT-VALUE}).")
  int[] concurrency;

  @Option(names = "--url", description = "Benchmark this router instead (loopback only).")
  String url;

  @Option(names = "--knn-bank", description = "Also time the kNN router over this bank (JSONL).")
  Path knnBank;

  @Option(names = "--knn-rows", defaultValue = "970", description = "Rows for the kNN timing (default ${DEFAULT-VALUE}).")
  int knnRows;

  @Override
  public Integer call() throws Exception {
    if (url != null && !url.startsWith("http://127.0.0.1") && !url.startsWith("http://localhost")
        && !url.startsWith("http://[::1]")) {
      throw new InputException("--url must be a loopback router (http://127.0.0.1:PORT/...), got " + url);
    }
    if (knnBank != null && !Files.isRegularFile(knnBank)) {
      throw new InputException("--knn-bank " + knnBank + ": no such file");
    }
    RouterCallBench.run(seconds, warmup, concurrency, url, System.out);
    if (knnBank != null) {
      RouterCallBench.knn(knnBank, knnRows, System.out);
    }
    return 0;
  }
}
