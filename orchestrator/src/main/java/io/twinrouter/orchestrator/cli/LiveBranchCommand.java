package io.twinrouter.orchestrator.cli;

import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.config.SettingsException;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.InputException;
import io.twinrouter.orchestrator.branch.BranchOptions;
import io.twinrouter.orchestrator.branch.BranchRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code live branch}: counterfactual branches of a finished live run. */
@Command(
    name = "branch",
    mixinStandardHelpOptions = true,
    description = {
      "Branches a finished live run: a fresh sandbox replays the run's journalled steps before"
          + " step K (no model call, no cost, every exit code checked), step K goes to the chosen"
          + " tier or model, and the steps after it follow --then (the run's own router by"
          + " default). Each branch is a supervised, journalled, graded and billed case; rerun"
          + " with the same --out to resume. A branch whose replay diverges is void (the step and"
          + " both exit codes are reported), never re-run from step 0.",
      "Writes OUT/<case>/k<K>-<choice>/ per branch, OUT/branches.json and OUT/branches.txt"
          + " (per branch: resolved, cost, steps to the end; per case: the earliest step where"
          + " another choice changes the outcome, breaking downgrades, rescuing upgrades; per"
          + " router: per-step regret and fatal downgrades) and prints the text report."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:the branches ran (or had run) and the report was written",
        "2:bad input: not a run directory, an unknown case, step, tier or model"})
final class LiveBranchCommand implements Callable<Integer> {
  @Option(names = "--from", required = true, paramLabel = "RUN_DIR",
      description = "The finished live run to branch (its run.json, results/ and journal).")
  Path from;

  @Option(names = "--case", paramLabel = "ID", description = "One case of the run.")
  String caseId;

  @Option(names = "--cases", paramLabel = "FILE|all",
      description = "Cases of the run: a file of instance ids (one a line), or all (default).")
  String cases;

  @Option(names = "--at", required = true, paramLabel = "K|all|LIST",
      description = "The step(s) to branch at (0-based, as the trace counts): K, a comma list,"
          + " or all (every step of each case's trajectory).")
  String at;

  @Option(names = {"--choice", "--choices"}, required = true, split = ",",
      paramLabel = "TIER|MODEL", description = "What step K goes to: tiers (low, mid, mid_high,"
          + " high), pool model ids, or source (the run's own choice there: a control branch that"
          + " must reproduce the run), comma-separated.")
  List<String> choices;

  @Option(names = "--then", defaultValue = BranchOptions.SAME, paramLabel = "ROUTER|same",
      description = "The router of the steps after K: same (the run's, default), a router name,"
          + " or a tier.")
  String then;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Option(names = "--workers", defaultValue = "2", paramLabel = "N",
      description = "Branches at once (default 2).")
  int workers;

  @Option(names = "--budget-usd", paramLabel = "USD",
      description = "No new branch starts once the branches' own spend reaches this.")
  Double budgetUsd;

  @Override
  public Integer call() throws Exception {
    TwinrouterSettings settings = TwinrouterSettings.load();
    BranchOptions options;
    try {
      if (budgetUsd != null && !(budgetUsd > 0)) {
        throw new IllegalArgumentException("--budget-usd must be positive, got " + budgetUsd);
      }
      options = new BranchOptions(from, cases(), steps(), choices, then, out, workers,
          Optional.ofNullable(budgetUsd));
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
    }
    if (!Files.isDirectory(from)) {
      throw new InputException("--from " + from + ": no such run directory");
    }
    BranchRun.Outcome outcome;
    try {
      outcome = BranchRun.run(options, settings, true);
    } catch (SettingsException | IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
    }
    System.out.print(outcome.text());
    if (!outcome.notRun().isEmpty()) {
      System.err.println("twinrouter: " + outcome.notRun().size() + " branch(es) have no result"
          + " (budget or infrastructure): " + outcome.notRun());
    }
    System.err.println("report: " + outcome.out().resolve("branches.json"));
    return 0;
  }

  private Optional<List<String>> cases() {
    if (caseId != null && cases != null) {
      throw new IllegalArgumentException("--case and --cases: give one of them");
    }
    if (caseId != null) {
      return Optional.of(List.of(caseId));
    }
    if (cases == null || cases.equals("all")) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ArrayList<>(TaskSuite.readInstanceIds(Path.of(cases))));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--cases " + e.getMessage(), e);
    }
  }

  private Optional<List<Integer>> steps() {
    if (at.equals("all")) {
      return Optional.empty();
    }
    List<Integer> ks = new ArrayList<>();
    for (String k : Arrays.asList(at.split(","))) {
      try {
        ks.add(Integer.parseInt(k.strip()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--at " + at + ": '" + k + "' is not a step number"
            + " (K, a comma list, or all)");
      }
      if (ks.get(ks.size() - 1) < 0) {
        throw new IllegalArgumentException("--at " + at + ": steps count from 0");
      }
    }
    return Optional.of(ks);
  }
}
