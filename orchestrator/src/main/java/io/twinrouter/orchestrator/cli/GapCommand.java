package io.twinrouter.orchestrator.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.bank.LoadedBank;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.InputException;
import io.twinrouter.scoring.gap.GapReport;
import io.twinrouter.scoring.gap.GapService;
import io.twinrouter.scoring.gap.GapSources;
import io.twinrouter.scoring.gap.GapTable;
import io.twinrouter.scoring.http.JsonSupport;
import io.twinrouter.scoring.service.ServedBank;
import io.twinrouter.scoring.service.StaticEvaluations;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code twinrouter gap}: each router's static scores beside its live results on the same cases,
 * the agreement of the static verdict with the live outcome, and paired tests between routers.
 * The service's {@code GET /v1/gap} gives the same report.
 */
@Command(
    name = "gap",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the gap between the static and the live track. Each live run directory is one "
          + "router; its static predictions are the given prediction file, else the bank routed "
          + "by the same built-in router (run.json's router).",
      "Per router: static scores; live resolved with a 95%% bootstrap interval, API cost, bill "
          + "and Pareto position; agreement of the static verdict (every step of a case at or "
          + "above its target tier) with the live outcome, on the cases the bank has rows for "
          + "(instance ids joined; the others are listed). Per pair of routers: exact McNemar "
          + "test on resolved and the smallest difference in resolve rate detectable at 80%% power."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:report written", "2:bad input (bank, run directory, prediction file)"})
public final class GapCommand implements Callable<Integer> {
  @CommandLine.Mixin StaticCommand.BankOptions bankOptions;

  @Option(names = "--runs", required = true, arity = "1..*", paramLabel = "DIR",
      description = "Live run directories (from live run or demo), one per router.")
  List<Path> runs = new ArrayList<>();

  @Option(names = "--predictions", paramLabel = "ROUTER=FILE",
      description = "Static predictions of the router labelled ROUTER (its run's label: --router-name,"
          + " else a built-in's name or http-PORT), JSONL as static route writes it or an evaluation's"
          + " GET /v1/jobs/ID/predictions serves it; needed for routers that are not built in."
          + " Repeatable.")
  Map<String, Path> predictions = new LinkedHashMap<>();

  @Option(names = "--bootstrap-reps", defaultValue = "2000", paramLabel = "N",
      description = "Bootstrap resamples of the resolve-rate interval (default ${DEFAULT-VALUE}).")
  int reps;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
      description = "Seed of the bootstrap (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Print the report as JSON (what GET /v1/gap answers).")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (reps < 1 || reps > 1_000_000) {
      throw new InputException("--bootstrap-reps: must be in 1..1000000, got " + reps);
    }
    TwinrouterSettings settings = TwinrouterSettings.load();
    LoadedBank loaded = bankOptions.load(settings.staticTrack(), spec.commandLine().getErr());
    ServedBank bank = ServedBank.of(bankName(bankOptions.bank), loaded);
    GapReport.Settings stats = new GapReport.Settings(settings.liveTrack().failurePenaltyUsd(),
        reps, seed, 0.95, 0.05, 0.80);
    ExecutorService workers = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
    ObjectNode report;
    try {
      GapService gap = new GapService(new StaticEvaluations(settings), workers,
          new GapSources(runs, predictions, stats));
      report = gap.report(bank, Optional.empty()).toCompletableFuture().get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IllegalArgumentException bad) {
        throw new InputException(bad.getMessage(), bad);
      }
      throw e;
    } finally {
      workers.shutdownNow();
    }
    var out = spec.commandLine().getOut();
    out.print(json ? JsonSupport.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n"
        : GapTable.render(report));
    out.flush();
    return 0;
  }

  /** The name the service would serve the file under: its file name without {@code .jsonl}. */
  static String bankName(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
  }
}
