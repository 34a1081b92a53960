package io.twinrouter.orchestrator.cli;

import io.twinrouter.bank.LoadedBank;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.InputException;
import io.twinrouter.console.ProgressBar;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterCheck;
import io.twinrouter.scoring.service.RowRouting;
import io.twinrouter.scoring.service.ServedBank;
import io.twinrouter.scoring.service.StaticEvaluations;
import io.twinrouter.scoring.statictrack.Prediction;
import io.twinrouter.scoring.statictrack.PredictionLines;
import java.io.IOException;
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
          + "{\"id\", \"tier\"} per row (with the router's \"rationale\" when it gave one), or "
          + "{\"id\", \"error\"} where the router timed out, failed, answered garbage or named a "
          + "model outside the pool.",
      "The router is a built-in name (always-low, random, round-robin, heuristic, oracle, knn, "
          + "...), java:CLASS, or an http:// URL speaking the router protocol. It is asked once "
          + "with the first row before the others; when nothing answers (connection refused, no "
          + "answer in time, HTTP 401/403/404/405) the command says so and exits 2."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:written (router errors are error rows)",
        "1:written, but every row is an error row",
        "2:bad input, or a router that does not answer"})
public final class StaticRouteCommand implements Callable<Integer> {
  @CommandLine.Mixin StaticCommand.BankOptions bankOptions;

  @Option(names = "--router", required = true, paramLabel = "NAME|URL",
      description = "The router: a built-in name, java:CLASS or an http:// URL.")
  String router;

  @Option(names = "--router-name", paramLabel = "NAME",
      description = "The router's name on stderr's summary (letters, digits, . _ -); give the same"
          + " name to static score --label and gap --predictions NAME=FILE. Default: a built-in's"
          + " own name; http-PORT for a URL.")
  String routerName;

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
      chosen = statics.router(router, RouterNameOption.checked(routerName), bank, timeout);
    } catch (IllegalArgumentException e) {
      throw new InputException("--router: " + e.getMessage(), e);
    }
    try {
      RouterCheck.answers(chosen, statics.context(bank, 0));
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
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
    write(bank, answers);
    int errors = PredictionLines.errors(answers);
    double seconds = (System.nanoTime() - start) / 1e9;
    err().printf("twinrouter: %s: wrote %s: %d rows, %d router errors, %.1f s (%.0f calls/s)%n",
        chosen.name(), out, answers.length, errors, seconds, answers.length / seconds);
    if (errors == answers.length) {
      err().printf("twinrouter: every router call failed; the first error: %s%n",
          ((Prediction.Failed) answers[0]).error());
      err().flush();
      return 1;
    }
    err().flush();
    return 0;
  }

  /** Written beside the target and moved into place: an interrupted run leaves no partial file. */
  private void write(ServedBank bank, Prediction[] answers) throws IOException {
    Path dir = out.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + out.getFileName(), ".tmp");
    try {
      Files.write(tmp, PredictionLines.jsonl(bank.bank(), answers));
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
