package io.twinrouter.orchestrator.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.bank.LoadedBank;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.InputException;
import io.twinrouter.console.ProgressBar;
import io.twinrouter.router.Router;
import io.twinrouter.scoring.json.PythonJsonWriter;
import io.twinrouter.scoring.service.RowRouting;
import io.twinrouter.scoring.service.ServedBank;
import io.twinrouter.scoring.service.StaticEvaluations;
import io.twinrouter.scoring.statictrack.Prediction;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code twinrouter static route}: asks a router for every row of a bank (the router protocol,
 * router-visible context only) and writes a prediction file that {@code static score} reads.
 */
@Command(
    name = "route",
    mixinStandardHelpOptions = true,
    description = {
      "Asks a router for every row of a question bank and writes a prediction file: "
          + "{\"id\", \"tier\"} per row, or {\"id\", \"error\"} where the router timed out, failed, "
          + "answered garbage or named a model outside the pool.",
      "The router is a built-in name (always-low, random, round-robin, heuristic, oracle, knn, "
          + "...), java:CLASS, or an http:// URL speaking the router protocol."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:written (router errors are error rows)", "2:bad input"})
public final class StaticRouteCommand implements Callable<Integer> {
  @CommandLine.Mixin StaticCommand.BankOptions bankOptions;

  @Option(names = "--router", required = true, paramLabel = "NAME|URL",
      description = "The router: a built-in name, java:CLASS or an http:// URL.")
  String router;

  @Option(names = "--out", required = true, paramLabel = "FILE",
      description = "The prediction file to write (JSONL, in bank row order).")
  Path out;

  @Option(names = "--concurrency", defaultValue = "16", paramLabel = "N",
      description = "Router calls in flight at once (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--timeout-ms", paramLabel = "MS",
      description = "Timeout of one router call (default twinrouter.live.select-timeout, 30 s).")
  Long timeoutMs;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private java.io.PrintWriter err() {
    return spec.commandLine().getErr();
  }

  @Override
  public Integer call() throws Exception {
    if (concurrency < 1 || concurrency > 1024) {
      throw new InputException("--concurrency: must be in 1..1024, got " + concurrency);
    }
    if (timeoutMs != null && timeoutMs < 1) {
      throw new InputException("--timeout-ms: must be positive, got " + timeoutMs);
    }
    TwinrouterSettings settings = TwinrouterSettings.load();
    StaticEvaluations statics = new StaticEvaluations(settings);
    LoadedBank loaded = bankOptions.load(settings.staticTrack(), err());
    ServedBank bank = ServedBank.of(loaded.name(), loaded);
    Duration timeout = timeoutMs != null ? Duration.ofMillis(timeoutMs) : settings.liveTrack().selectTimeout();
    Router chosen;
    try {
      chosen = statics.router(router, bank, timeout);
    } catch (IllegalArgumentException e) {
      throw new InputException("--router: " + e.getMessage(), e);
    }
    ExecutorService workers = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
    Prediction[] answers;
    long start = System.nanoTime();
    try (ProgressBar bar = new ProgressBar("routing " + loaded.name(), bank.rows())) {
      answers = new RowRouting(statics, workers)
          .routeAll(bank, chosen, concurrency, (done, errors) -> bar.update(done, errors + " errors"))
          .toCompletableFuture().get();
    } finally {
      workers.shutdownNow();
    }
    int errors = write(bank, answers);
    double seconds = (System.nanoTime() - start) / 1e9;
    err().printf("twinrouter: wrote %s: %d rows, %d router errors, %.1f s (%.0f calls/s)%n",
        out, answers.length, errors, seconds, answers.length / seconds);
    err().flush();
    return 0;
  }

  /** Written beside the target and moved into place: an interrupted run leaves no partial file. */
  private int write(ServedBank bank, Prediction[] answers) throws IOException {
    Path dir = out.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + out.getFileName(), ".tmp");
    int errors = 0;
    try {
      try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        for (int i = 0; i < answers.length; i++) {
          ObjectNode line = JsonNodeFactory.instance.objectNode().put("id", bank.bank().row(i).id());
          if (answers[i] instanceof Prediction.Routed r) {
            line.put("tier", r.tier().wireName());
          } else if (answers[i] instanceof Prediction.Failed f) {
            line.put("error", f.error());
            errors++;
          }
          w.write(PythonJsonWriter.writeCompact(line));
          w.write('\n');
        }
      }
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return errors;
  }
}
