package io.twinrouter.bench.cli;

import io.twinrouter.bench.LiveBench;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.InputException;
import io.twinrouter.console.ProgressBar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code twinrouter bench live}: the live run's orchestration overhead and concurrency. */
@Command(
    name = "live",
    mixinStandardHelpOptions = true,
    description = {
      "Live-run orchestration on the bundled suite, the simulated pool and a sandbox that runs"
          + " nothing. Part 1, no model latency: ms per step of the bare loop (baseline), then"
          + " with the router, the actors and the H2 journal added. Part 2, with model latency:"
          + " steps per second and heap per case of many cases at once, bare loops on threads"
          + " (baseline) against journalled actors.",
    })
public final class BenchLiveCommand implements Callable<Integer> {

  @Option(names = "--cases", defaultValue = "8",
      description = "Part 1: cases per round, one after the other (default ${DEFAULT-VALUE}).")
  int cases;

  @Option(names = "--steps", defaultValue = "30",
      description = "Part 1: model calls per case (default ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--rounds", defaultValue = "5",
      description = "Part 1: timed rounds after the warm-up rounds (default ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--warmup-rounds", defaultValue = "5",
      description = "Part 1: fewest untimed rounds first, so the JIT has compiled every mode's "
          + "path; more follow until two rounds in a row spend under 5%% of their time compiling "
          + "(default ${DEFAULT-VALUE}).")
  int warmupRounds;

  @Option(names = "--max-warmup-rounds", defaultValue = "40",
      description = "Part 1: most untimed rounds, quiet JIT or not (default ${DEFAULT-VALUE}).")
  int maxWarmupRounds;

  @Option(names = "--concurrent", defaultValue = "200",
      description = "Part 2: cases at once (default ${DEFAULT-VALUE}).")
  int concurrent;

  @Option(names = "--concurrent-steps", defaultValue = "20",
      description = "Part 2: model calls per case (default ${DEFAULT-VALUE}).")
  int concurrentSteps;

  @Option(names = "--latency-ms", defaultValue = "200",
      description = "Part 2: mean simulated model latency (default ${DEFAULT-VALUE}).")
  long latencyMs;

  @Option(names = "--seed", defaultValue = "0", description = "Simulated pool seed.")
  long seed;

  @Override
  public Integer call() throws Exception {
    if (cases < 1 || steps < 1 || rounds < 1 || concurrent < 1 || concurrentSteps < 1) {
      throw new InputException(
          "--cases, --steps, --rounds, --concurrent and --concurrent-steps must be positive");
    }
    if (warmupRounds < 1) {
      throw new InputException("--warmup-rounds must be at least 1");
    }
    if (latencyMs < 0) {
      throw new InputException("--latency-ms must not be negative");
    }
    LiveBench.Options options = new LiveBench.Options(cases, steps, warmupRounds,
        Math.max(warmupRounds, maxWarmupRounds), rounds, concurrent, concurrentSteps,
        Duration.ofMillis(latencyMs), seed);
    Path work = Files.createTempDirectory("twinrouter-bench-live-");
    try (ProgressBar bar = new ProgressBar("bench live", LiveBench.phases(options))) {
      int[] phase = {0};
      int[] total = {LiveBench.phases(options)};
      new LiveBench(TwinrouterSettings.load(), options, work, System.out,
          new LiveBench.Phases() {
            @Override
            public void accept(String name) {
              bar.update(phase[0]++, name);
            }

            @Override
            public void total(int phases) {
              total[0] = phases;
              bar.retotal(phases);
            }
          }).run();
      bar.update(total[0], "done");
    } finally {
      try (Stream<Path> files = Files.walk(work)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
    return 0;
  }
}
