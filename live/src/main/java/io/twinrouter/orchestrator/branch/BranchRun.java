package io.twinrouter.orchestrator.branch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.agent.casework.ReplayDivergence;
import io.twinrouter.agent.journal.RecordedStep;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.Tier;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.ProgressBar;
import io.twinrouter.orchestrator.live.LiveRun;
import io.twinrouter.orchestrator.live.LiveRunOptions;
import io.twinrouter.orchestrator.live.RunMonitor;
import io.twinrouter.orchestrator.live.RunOutputs;
import io.twinrouter.orchestrator.live.RunPlan;
import io.twinrouter.orchestrator.live.RunResources;
import io.twinrouter.orchestrator.live.TaskCatalog;
import io.twinrouter.orchestrator.run.RunProgress;
import io.twinrouter.orchestrator.run.RunSupervisor;
import io.twinrouter.sandbox.SandboxReaper;
import io.twinrouter.scoring.branch.BranchReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/**
 * {@code live branch}: counterfactual branches of a finished run. Each branch of a case replays
 * the source's journalled steps before step K in a fresh sandbox (no model call, no cost, every
 * exit code checked), sends step K to the chosen model, and lets the source's router (or the one
 * {@code --then} names) decide the rest. The branches run as the cases of a live run do: under a
 * {@link RunSupervisor}, journalled in {@code out}'s own journal (so a rerun with the same {@code
 * --out} resumes), graded and billed; the source run's simulated pool seed, tasks and sandbox
 * backend are reused. A branch whose replay diverges is void. The set's report ({@link
 * BranchReport}) goes to {@code branches.json} and {@code branches.txt}.
 */
public final class BranchRun {

  /**
   * @param notRun branches that have no result (the budget kept them from starting, or their
   *     infrastructure failed past the restart cap)
   */
  public record Outcome(Path out, ObjectNode report, String text, int branches,
      List<String> notRun) {}

  private BranchRun() {}

  public static Outcome run(BranchOptions options, TwinrouterSettings settings, boolean progress)
      throws IOException, InterruptedException {
    Path out = options.out().toAbsolutePath();
    Files.createDirectories(out);
    SourceRun source = SourceRun.read(options.from().toAbsolutePath(),
        options.cases().orElse(null), settings);
    JsonNode run = source.runJson();
    String then = BranchOptions.SAME.equals(options.then()) ? run.path("router").asText()
        : thenRouter(options.then());
    LiveRunOptions runOptions = LiveRunOptions.of(run.path("tasks").asText(), then,
            run.path("sandbox").asText(), out)
        .withPool(run.path("pool").asText()).withSeed(run.path("seed").asLong())
        .withWorkers(options.workers()).withBudget(options.budgetUsd().orElse(null))
        .withRunId(source.runId() + ".branches")
        .withRouterName(BranchOptions.SAME.equals(options.then()) ? source.label() : null);
    RunPlan plan = RunPlan.prepare(runOptions, settings, Optional.empty());
    List<Branch> branches = plan(source, options, plan.pool(), out);
    List<Branch> toRun = branches.stream()
        .filter(b -> RunOutputs.finishedCases(b.dir(), List.of(b.caseId())).isEmpty()).toList();
    if (!toRun.isEmpty()) {
      runBranches(toRun, plan, runOptions, settings, progress);
    }
    return report(source, branches, plan.pool(), settings, out);
  }

  /** A tier name is shorthand for the router that always picks it. */
  private static String thenRouter(String then) {
    try {
      return "always-" + Tier.fromName(then).wireName();
    } catch (IllegalArgumentException notATier) {
      return then;
    }
  }

  private static List<Branch> plan(SourceRun source, BranchOptions o, ModelPool pool, Path out) {
    List<Branch> branches = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (var e : source.steps().entrySet()) {
      int n = e.getValue().size();
      for (int at : o.at().orElse(IntStream.range(0, n).boxed().toList())) {
        if (at < 0 || at >= n) {
          skipped.add(e.getKey() + " has steps 0 to " + (n - 1));
          continue;
        }
        for (String choice : o.choices()) {
          PoolModel model = BranchOptions.SOURCE.equals(choice)
              ? model(e.getValue().get(at).modelId(), pool) : model(choice, pool);
          branches.add(Branch.of(source, out, e.getKey(), at, choice, model));
        }
      }
    }
    if (branches.isEmpty()) {
      throw new IllegalArgumentException("--at " + o.at().orElse(List.of())
          + ": no step to branch at (" + String.join("; ", skipped) + ")");
    }
    if (!skipped.isEmpty()) {
      System.err.println("branch: steps past a case's end were left out: "
          + String.join("; ", skipped));
    }
    return branches;
  }

  /** The pool model a choice names: a tier's model, or a model id. */
  static PoolModel model(String choice, ModelPool pool) {
    Optional<PoolModel> byId = pool.byId(choice);
    if (byId.isPresent()) {
      return byId.get();
    }
    try {
      Tier tier = Tier.fromName(choice);
      return pool.forTier(tier).orElseThrow(() -> new IllegalArgumentException("--choice "
          + choice + ": the pool has no model of that tier " + pool.modelIds()));
    } catch (IllegalArgumentException e) {
      if (e.getMessage().startsWith("--choice")) {
        throw e;
      }
      throw new IllegalArgumentException("--choice " + choice + ": neither a tier (low, mid,"
          + " mid_high, high) nor a model of the pool " + pool.modelIds(), e);
    }
  }

  private static void runBranches(List<Branch> toRun, RunPlan plan, LiveRunOptions options,
      TwinrouterSettings settings, boolean progress) throws InterruptedException {
    Map<String, Branch> byName = new LinkedHashMap<>();
    toRun.forEach(b -> byName.put(b.name(), b));
    try (RunResources r = RunResources.open(options, settings, plan.pool(), plan.taskFile(),
            Optional.empty(), true);
        ProgressBar bar = progress ? new ProgressBar("branch " + plan.label(), toRun.size())
            : null) {
      TaskCatalog catalog = new TaskCatalog(plan.tasks(), plan.runId(), r.sandboxSettings(),
          plan.agent().commandEnv(), plan.agent().shell());
      RunMonitor.Plan monitored = new RunMonitor.Plan(
          new RunSupervisor.Settings(plan.runId(), options.workers(), options.restartCap(),
              options.minBackoff(), options.maxBackoff(), options.budgetUsd()),
          List.copyOf(byName.keySet()),
          system -> {
            SandboxReaper.reapNowAndOnShutdown(system, r.sandboxes(), plan.runId());
            return new BranchCases(system, settings, plan, r, catalog, byName);
          },
          settings.raw().getDuration("twinrouter.live.progress-poll"),
          p -> {
            if (bar != null) {
              bar.update(p.done(), RunMonitor.status(p));
            }
          },
          event -> {},
          new CompletableFuture<>(),
          false);
      LiveRun.runAlone(monitored, plan.out(), settings);
    }
  }

  private static Outcome report(SourceRun source, List<Branch> branches, ModelPool pool,
      TwinrouterSettings settings, Path out) throws IOException {
    List<BranchReport.SourceCase> cases = new ArrayList<>();
    for (var e : source.steps().entrySet()) {
      List<BranchReport.SourceStep> steps = new ArrayList<>();
      for (RecordedStep s : e.getValue()) {
        steps.add(new BranchReport.SourceStep(s.stepIndex(), s.modelId(),
            pool.byId(s.modelId()).map(PoolModel::tier).orElseThrow(() ->
                new IllegalArgumentException("the source run's step " + s.stepIndex() + " of "
                    + e.getKey() + " used " + s.modelId() + ", which is not in the pool")),
            s.costUsd()));
      }
      JsonNode result = source.results().get(e.getKey());
      cases.add(new BranchReport.SourceCase(e.getKey(), result.path("resolved").asBoolean(),
          result.path("total_router_cost_usd").asDouble(), steps));
    }
    List<BranchReport.Branch> rows = new ArrayList<>();
    List<String> notRun = new ArrayList<>();
    for (Branch b : branches) {
      JsonNode r = RunOutputs.readIfPresent(RunOutputs.resultFile(b.dir(), b.caseId()));
      if (r == null) {
        notRun.add(b.name());
        continue;
      }
      rows.add(row(b, r));
    }
    BranchReport report = new BranchReport(source.runId(), source.label(),
        settings.liveTrack().failurePenaltyUsd(), cases, rows);
    ObjectNode json = report.toJson();
    json.put("source_dir", source.dir().toString());
    notRun.forEach(json.putArray("not_run")::add);
    RunOutputs.write(out.resolve("branches.json"), json);
    String text = report.toText();
    Files.writeString(out.resolve("branches.txt"), text, StandardCharsets.UTF_8);
    return new Outcome(out, json, text, branches.size(), notRun);
  }

  private static BranchReport.Branch row(Branch b, JsonNode r) {
    boolean isVoid = ReplayDivergence.ERROR_CLASS.equals(r.path("finished_by").asText());
    String agentError = r.path("agent_error").asText(null);
    Optional<ReplayDivergence> d = isVoid ? ReplayDivergence.of(agentError) : Optional.empty();
    return new BranchReport.Branch(b.caseId(), b.at(), b.choice(), b.model().modelId(),
        b.model().tier(), r.path("resolved").asBoolean(), r.path("total_router_cost_usd")
            .asDouble(), r.path("step_count").asInt(), isVoid ? agentError : null,
        d.map(ReplayDivergence::step).orElse(null), d.map(ReplayDivergence::exitCode).orElse(null),
        d.map(ReplayDivergence::recordedExitCode).orElse(null));
  }
}
