package io.twinrouter.scoring.gap;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.router.Router;
import io.twinrouter.router.catalog.Routers;
import io.twinrouter.scoring.service.RowRouting;
import io.twinrouter.scoring.service.ServedBank;
import io.twinrouter.scoring.service.StaticEvaluations;
import io.twinrouter.scoring.statictrack.Prediction;
import io.twinrouter.scoring.statictrack.Predictions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Builds gap reports for the CLI and the service alike, so both give the same answer: reads the
 * run directories afresh (a run may still be growing), takes each router's static predictions
 * from its prediction file when one is given, else routes the bank with the same built-in router
 * (cached per bank and router: a router's static answers do not change), then {@link GapReport}.
 */
public final class GapService {
  /** Router calls in flight while a bank is routed. */
  private static final int CONCURRENCY = 16;

  /** A run, a prediction file or a router the report cannot use; the message says which and why. */
  public static final class GapInputException extends IllegalArgumentException {
    public GapInputException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final StaticEvaluations statics;
  private final Executor executor;
  private final List<Path> runDirs;
  private final Map<String, Path> predictionFiles;
  private final GapReport.Settings settings;
  private final Map<String, CompletableFuture<Prediction[]>> routed = new ConcurrentHashMap<>();

  /** @param executor where reading, routing and scoring run (the scoring dispatcher in the service) */
  public GapService(StaticEvaluations statics, Executor executor, GapSources sources) {
    this.statics = statics;
    this.executor = executor;
    this.runDirs = sources.runDirs();
    this.predictionFiles = sources.predictionFiles();
    this.settings = sources.settings();
  }

  public List<Path> runDirs() {
    return runDirs;
  }

  /**
   * The report on {@code bank} for the runs whose labels are given (all runs when empty). Fails
   * with a {@link GapInputException} for an unknown label, an unreadable run or prediction file,
   * or a router that is neither built in nor given a prediction file.
   */
  public CompletionStage<ObjectNode> report(ServedBank bank, Optional<List<String>> labels) {
    return CompletableFuture.supplyAsync(() -> select(labels), executor)
        .thenCompose(runs -> {
          List<CompletableFuture<GapReport.RouterEvidence>> evidence = new ArrayList<>();
          for (GapRun run : runs) {
            evidence.add(evidence(run, bank));
          }
          return CompletableFuture.allOf(evidence.toArray(CompletableFuture[]::new))
              .thenApplyAsync(done -> GapReport.build(bank.name(), bank.bank(), statics.scorer(),
                  evidence.stream().map(CompletableFuture::join).toList(), settings), executor);
        });
  }

  private List<GapRun> select(Optional<List<String>> labels) {
    Map<String, GapRun> byLabel = new LinkedHashMap<>();
    for (Path dir : runDirs) {
      GapRun run = read(dir);
      GapRun earlier = byLabel.putIfAbsent(run.label(), run);
      if (earlier != null) {
        throw new GapInputException("runs " + earlier.dir() + " and " + dir
            + " have the same router label '" + run.label() + "': one run per router", null);
      }
    }
    for (String label : predictionFiles.keySet()) {
      // a prediction file for a router no run has is a misspelt label (or the URL it used to be)
      if (!byLabel.containsKey(label)) {
        throw new GapInputException("predictions are given for router '" + label + "', but no run"
            + " has that label; the runs' labels: " + String.join(", ", byLabel.keySet()), null);
      }
    }
    if (labels.isEmpty() || labels.get().isEmpty()) {
      return List.copyOf(byLabel.values());
    }
    List<GapRun> out = new ArrayList<>();
    for (String label : labels.get()) {
      GapRun run = byLabel.get(label);
      if (run == null) {
        throw new GapInputException("no run for router '" + label + "'; runs: "
            + String.join(", ", byLabel.keySet()), null);
      }
      out.add(run);
    }
    return out;
  }

  private static GapRun read(Path dir) {
    try {
      return GapRun.read(dir);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      throw new GapInputException(e.getMessage(), e);
    }
  }

  private CompletableFuture<GapReport.RouterEvidence> evidence(GapRun run, ServedBank bank) {
    Path file = predictionFiles.get(run.label());
    if (file != null) {
      return CompletableFuture.supplyAsync(() -> new GapReport.RouterEvidence(
          run, readPredictions(file), file.toString()), executor);
    }
    String router = run.router().orElseThrow(() -> new GapInputException("run " + run.dir()
        + " does not say which router made it (no run.json); give its prediction file with"
        + " --predictions " + run.label() + "=FILE (serve: --gap-predictions " + run.label() + "=FILE)", null));
    if (!Routers.BUILT_IN.contains(router)) {
      throw new GapInputException("run " + run.dir() + ": router '" + router
          + "' is not built in, so its static answers cannot be made here; give its prediction file"
          + " (from static route or an evaluation's GET /v1/jobs/{id}/predictions) with --predictions "
          + run.label() + "=FILE (serve: --gap-predictions " + run.label() + "=FILE)", null);
    }
    String key = bank.name() + "\u0000" + bank.info().sha256() + "\u0000" + router;
    CompletableFuture<Prediction[]> answersOnce = routed.computeIfAbsent(key, k -> route(router, bank));
    answersOnce.whenComplete((answers, failure) -> {
      if (failure != null) {
        routed.remove(key, answersOnce); // a failed routing is tried again next time
      }
    });
    return answersOnce
        .thenApply(answers -> {
          Map<String, Prediction> byId = new LinkedHashMap<>();
          for (int i = 0; i < answers.length; i++) {
            byId.put(bank.bank().row(i).id(), answers[i]);
          }
          return new GapReport.RouterEvidence(
              run, Predictions.fromMap("routed:" + router, byId), "routed:" + router);
        });
  }

  private CompletableFuture<Prediction[]> route(String name, ServedBank bank) {
    Router router = statics.router(name, bank, Duration.ofSeconds(30));
    return new RowRouting(statics, executor)
        .routeAll(bank, router, CONCURRENCY, (done, errors) -> {})
        .toCompletableFuture();
  }

  private static Predictions readPredictions(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new GapInputException(file + ": prediction file not found", null);
    }
    try (var in = Files.newBufferedReader(file)) {
      return Predictions.parseJsonl(file.toString(), in);
    } catch (IOException e) {
      throw new GapInputException(file + ": " + e.getMessage(), e);
    }
  }
}
