package io.twinrouter.bench.cli;

import com.typesafe.config.ConfigFactory;
import io.twinrouter.bank.tokens.TokenizerSet;
import io.twinrouter.bench.ServiceBench;
import io.twinrouter.config.InputFormatException;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.InputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code twinrouter bench service}: load figures of the scoring service on loopback. */
@Command(
    name = "service",
    mixinStandardHelpOptions = true,
    description = {
      "Starts the scoring service on a free loopback port with a synthetic bank (the official "
          + "benchmark mix) and measures, with a Java load generator:",
      "  score: requests/s, p50 and p99 of POST /v1/static/banks/{bank}/score at the given "
          + "concurrency, against scoring the same body in-process and a bare GET /health;",
      "  evaluation: router calls/s of an evaluation job against a trivial loopback router, "
          + "against calling that router directly.",
      "Targets on 2 cores: p99 under 50 ms, 200 scores/s, 2000 router calls/s."
    })
public final class BenchServiceCommand implements Callable<Integer> {
  @Option(names = "--rows", defaultValue = "970", description = "Bank rows (default ${DEFAULT-VALUE}).")
  int rows;

  @Option(names = "--concurrency", defaultValue = "16",
      description = "Requests (and router calls) in flight (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--requests", defaultValue = "2000",
      description = "Timed requests per load run, after a quarter as many to warm up (default ${DEFAULT-VALUE}).")
  int requests;

  @Option(names = "--evaluations", defaultValue = "5",
      description = "Timed evaluations of the whole bank (default ${DEFAULT-VALUE}).")
  int evaluations;

  @Option(names = "--tokenizer", paramLabel = "[TIER=]SPEC",
      description = "As for static score (default cl100k for every tier).")
  List<String> tokenizers = new ArrayList<>();

  @Option(names = "--export", paramLabel = "DIR",
      description = "Only write the synthetic bank and prediction body to DIR (bench-bank.jsonl, "
          + "bench-predictions.jsonl) for `serve` and scripts/bench-service-wrk, then stop.")
  Path export;

  @Override
  public Integer call() throws Exception {
    if (rows < 1 || concurrency < 1 || requests < 1 || evaluations < 1) {
      throw new InputException("--rows, --concurrency, --requests and --evaluations must be positive");
    }
    TokenizerSet set;
    try {
      set = TokenizerSet.fromOptions(tokenizers.isEmpty() ? List.of("cl100k") : tokenizers,
          TwinrouterSettings.load().staticTrack().tokenizers());
    } catch (InputFormatException e) {
      throw new InputException(e.getMessage(), e);
    }
    if (export != null) {
      for (Path written : ServiceBench.export(export, rows, set)) {
        System.out.println("wrote " + written);
      }
      return 0;
    }
    org.slf4j.LoggerFactory.getILoggerFactory(); // before the actor system's threads log
    System.out.printf("bench service: %d cores available to the JVM%n", Runtime.getRuntime().availableProcessors());
    new ServiceBench(ConfigFactory.load(), System.out).run(rows, concurrency, requests, evaluations, set);
    return 0;
  }
}
