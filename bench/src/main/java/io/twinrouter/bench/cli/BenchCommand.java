package io.twinrouter.bench.cli;

import io.twinrouter.bank.tokens.TokenizerSet;
import io.twinrouter.bench.StaticBench;
import io.twinrouter.config.InputFormatException;
import io.twinrouter.config.StaticTrackSettings;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.InputException;
import io.twinrouter.console.ProgressBar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code twinrouter bench ...}: speed and memory figures, each against an in-process baseline. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks that print speed and memory figures with in-process baselines.",
    subcommands = {BenchCommand.Static.class, BenchRouterCommand.class, BenchSimPoolCommand.class,
        SandboxBenchCommand.class, BenchLiveCommand.class, BenchGatewayCommand.class})
public final class BenchCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  @Command(
      name = "static",
      mixinStandardHelpOptions = true,
      description = "The static scorer on a synthetic bank (fixture trajectories replicated with "
          + "new ids and padded to a realistic size): load + tokenize time, time to score one "
          + "prediction set after warm-up, heap.")
  public static final class Static implements Callable<Integer> {
    @Option(names = "--rows", defaultValue = "970", description = "Rows (default ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--megabytes", defaultValue = "5", description = "Approximate bank size "
        + "in MB (default ${DEFAULT-VALUE}).")
    double megabytes;

    @Option(names = "--runs", defaultValue = "200",
        description = "Timed scoring runs after warm-up (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--tokenizer", paramLabel = "[TIER=]SPEC", description = "As for static "
        + "score (default cl100k for every tier).")
    List<String> tokenizers = new ArrayList<>();

    @Option(names = "--fixtures", paramLabel = "DIR", description = "The static-parity fixture "
        + "directory (default: shared/fixtures/static-parity beside or above the current "
        + "directory).")
    Path fixtures;

    @Override
    public Integer call() throws IOException {
      if (rows <= 0 || runs <= 0 || megabytes <= 0) {
        throw new InputException("--rows, --runs and --megabytes must be positive");
      }
      StaticTrackSettings settings = TwinrouterSettings.load().staticTrack();
      TokenizerSet set;
      try {
        set = TokenizerSet.fromOptions(tokenizers.isEmpty() ? List.of("cl100k") : tokenizers,
            settings.tokenizers());
      } catch (InputFormatException e) {
        throw new InputException(e.getMessage(), e);
      }
      Path dir = fixtures != null ? fixtures : findFixtures();
      if (!Files.isRegularFile(dir.resolve("bank1.jsonl"))) {
        throw new InputException(dir + ": no bank1.jsonl (pass --fixtures DIR)");
      }
      Path work = Files.createTempDirectory("twinrouter-bench-");
      try (ProgressBar bar = new ProgressBar("bench static", StaticBench.PHASES)) {
        int[] phase = {0};
        new StaticBench(settings, System.out, name -> bar.update(phase[0]++, name)).run(dir, set,
            rows, (long) (megabytes * 1_000_000), runs, work);
        bar.update(StaticBench.PHASES, "done");
      } finally {
        try (Stream<Path> files = Files.walk(work)) {
          for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
      return 0;
    }

    private static Path findFixtures() {
      Path here = Path.of("").toAbsolutePath();
      for (Path p = here; p != null; p = p.getParent()) {
        for (String candidate : List.of("testdata/fixtures/static-parity",
            "shared/fixtures/static-parity", "../shared/fixtures/static-parity")) {
          Path dir = p.resolve(candidate).normalize();
          if (Files.isDirectory(dir)) {
            return dir;
          }
        }
      }
      return here.resolve("shared/fixtures/static-parity");
    }
  }
}
