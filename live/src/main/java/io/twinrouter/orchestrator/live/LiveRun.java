package io.twinrouter.orchestrator.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import io.twinrouter.agent.journal.JournalDatabase;
import io.twinrouter.agent.model.ModelClientSettings;
import io.twinrouter.agent.model.ModelPreflight;
import io.twinrouter.agent.model.ModelSetupException;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.ProgressBar;
import io.twinrouter.orchestrator.run.RunEvent;
import io.twinrouter.orchestrator.run.RunProgress;
import io.twinrouter.orchestrator.run.RunSupervisor;
import io.twinrouter.protocol.LiveRunUpdate;
import io.twinrouter.router.Router;
import io.twinrouter.scoring.live.LedgerCheck;
import io.twinrouter.scoring.live.RunEnding;
import io.twinrouter.scoring.live.RunIdentity;
import io.twinrouter.scoring.live.ScoreOptions;
import io.twinrouter.scoring.service.LiveRuns;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;

/**
 * One {@code live run}: loads the tasks, skips the cases already finished in the output
 * directory, starts the simulated pool when asked, runs every other case under a {@link
 * RunSupervisor} in a fresh actor system, then writes {@code preds.json}, {@code
 * eval_summary.json} and {@code score.json} and stops everything it started.
 */
public final class LiveRun {

  /**
   * @param reused cases finished by an earlier invocation with the same output directory
   * @param notStarted cases the budget kept from starting
   * @param infrastructureErrors cases given up after repeated infrastructure failures
   */
  public record Outcome(String runId, String routerLabel, Path out, ObjectNode score,
      RunProgress progress, List<String> reused, List<String> notStarted,
      List<String> infrastructureErrors) {}

  /**
   * A longer-lived actor system to run in (the scoring service's, so its registry sees the run as
   * it goes), instead of a system of the run's own. The system must be configured with the
   * journal (see {@link JournalDatabase#pekkoConfig()}) and its schema created.
   *
   * @param registry hears the run's {@link LiveRunUpdate}s: its start, each case, its end
   */
  public record Host(ActorSystem<?> system, ActorRef<LiveRuns.Command> registry) {}

  /** Names the guardians of runs hosted in one system apart. */
  private static final AtomicInteger RUNS_HOSTED = new AtomicInteger();

  private final LiveRunOptions options;
  private final TwinrouterSettings settings;
  /** A router object to use instead of {@code options.router()} (static derive's tier plans). */
  private final Router givenRouter;
  /** Whether the preflight sends each model its probe ({@code --no-preflight}: checks only). */
  private final boolean preflightCalls;

  public LiveRun(LiveRunOptions options, TwinrouterSettings settings) {
    this(options, settings, null, true);
  }

  private LiveRun(LiveRunOptions options, TwinrouterSettings settings, Router givenRouter,
      boolean preflightCalls) {
    this.options = options;
    this.settings = settings;
    this.givenRouter = givenRouter;
    this.preflightCalls = preflightCalls;
  }

  /** The same run with a router object instead of a named one; {@code options.router()} is only recorded. */
  public LiveRun withRouter(Router router) {
    return new LiveRun(options, settings, router, preflightCalls);
  }

  /** The same run whose preflight checks keys and URLs but sends no probe ({@code --no-preflight}). */
  public LiveRun withoutPreflightCalls() {
    return new LiveRun(options, settings, givenRouter, false);
  }

  /**
   * Runs the cases and scores the run.
   *
   * @param events hears every run event (progress of each case), from an actor thread
   * @param progress whether to draw a progress bar on stderr
   * @throws IllegalArgumentException for bad input (tasks, ids, pool file, router name) and a pool
   *     that fails the preflight
   * @throws RunStoppedException when a provider refused the run's set-up mid-run
   * @throws IOException when the simulated pool cannot listen or a task file cannot be read
   */
  public Outcome run(Consumer<RunEvent> events, boolean progress)
      throws IOException, InterruptedException {
    return run(events, progress, Optional.empty());
  }

  /**
   * Runs the cases and scores the run, in {@code host}'s actor system when given (the run's
   * progress and case reports then reach the host's registry as they happen).
   */
  public Outcome run(Consumer<RunEvent> events, boolean progress, Optional<Host> host)
      throws IOException, InterruptedException {
    double startedAt = System.currentTimeMillis() / 1000.0;
    RunPlan plan = RunPlan.prepare(options, settings, Optional.ofNullable(givenRouter));
    boolean casesToRun = !plan.toRun().isEmpty();
    if (casesToRun) {
      refuseUnlessPassed(ModelPreflight.check(plan.pool(), System::getenv));
      if (preflightCalls && !options.isSimulatedPool()) {
        // before any sandbox or server starts: a pool file's endpoints are known already
        probe(plan.pool());
      }
    }
    RunOutputs.write(plan.out().resolve("run.json"), plan.runJson());
    Optional<ScoreboardFeed> feed = host.map(h -> new ScoreboardFeed(h.registry()));
    RunIdentity identity = plan.identity();
    feed.ifPresent(f -> f.tell(new LiveRunUpdate.RunStarted(plan.runId(), plan.label(),
        plan.out().toString(), plan.ids(), plan.finishedBefore(), identity.poolFingerprint(),
        identity.pricingSchemaVersion(), identity.highBaselineModelId(),
        settings.liveTrack().failurePenaltyUsd(), options.budgetUsd().orElse(null))));
    Consumer<RunEvent> listeners = feed.isPresent() ? events.andThen(feed.get()) : events;

    RunProgress finalProgress;
    RestartSpend restartSpend;
    try (RunResources r = RunResources.open(options, settings, plan.pool(), plan.taskFile(),
            Optional.ofNullable(givenRouter), !plan.toRun().isEmpty());
        ProgressBar bar = progress ? new ProgressBar("live " + plan.label(), plan.toRun().size())
            : null) {
      if (casesToRun && preflightCalls && options.isSimulatedPool()) {
        probe(r.pool()); // the simulated pool's address is known once it listens
      }
      CompletableFuture<LiveCaseFactory> factory = new CompletableFuture<>();
      CompletableFuture<RunProgress> finished = new CompletableFuture<>();
      RunMonitor.Plan monitored = new RunMonitor.Plan(
          new RunSupervisor.Settings(plan.runId(), options.workers(), options.restartCap(),
              options.minBackoff(), options.maxBackoff(), options.budgetUsd()),
          plan.toRun(),
          system -> caseFactory(system, plan, r, host.isPresent(), factory),
          settings.raw().getDuration("twinrouter.live.progress-poll"),
          p -> {
            if (bar != null) {
              bar.update(p.done(), RunMonitor.status(p));
            }
          },
          listeners,
          finished,
          host.isPresent());
      finalProgress = runToTheEnd(monitored, plan, r, host);
      restartSpend = factory.isDone() ? factory.join().restartSpend() : new RestartSpend();
      if (r.models().setupMistake().isPresent()) {
        throw stopped(r.models().setupMistake().get(), plan);
      }
    }
    return finish(plan, startedAt, finalProgress, restartSpend, feed);
  }

  /**
   * A set-up mistake found before any case started is bad input (exit 2), one line per model,
   * never a case's failure.
   */
  private static RunStoppedException stopped(ModelSetupException mistake, RunPlan plan) {
    long finished = RunOutputs.finishedCases(plan.out(), plan.ids()).size();
    return new RunStoppedException("the run stopped: " + mistake.getMessage() + "\n"
        + finished + " of " + plan.ids().size() + " case(s) finished; the others wrote no result"
        + " and keep their journalled steps. Fix the pool and rerun with the same --out to resume.",
        mistake);
  }

  private void probe(ModelPool pool) {
    ModelPreflight.Report report =
        ModelPreflight.probe(ModelClientSettings.from(settings.raw()), pool);
    refuseUnlessPassed(report.problems());
    System.err.printf(Locale.ROOT, "preflight: %d model(s) answered; the probes cost $%.6f%n",
        report.answered(), report.costUsd());
  }

  private void refuseUnlessPassed(List<String> problems) {
    if (!problems.isEmpty()) {
      String where = options.isSimulatedPool() ? "" : "pool file " + options.pool() + ": ";
      throw new IllegalArgumentException(where + "preflight: the pool is not ready, no case was"
          + " started\n" + String.join("\n", problems));
    }
  }

  /** The run's case factory, built once its actor system is up (it needs the system's dispatchers). */
  private LiveCaseFactory caseFactory(ActorSystem<?> system, RunPlan plan, RunResources r,
      boolean hosted, CompletableFuture<LiveCaseFactory> built) {
    var parts = new LiveCases.Parts(settings, plan.agent(), r.pool(), r.router(), r.sandboxes(),
        r.models(), new TaskCatalog(plan.tasks(), plan.runId(), r.sandboxSettings(),
            plan.agent().commandEnv(), plan.agent().shell()),
        plan.label(), plan.runId(), plan.runId(), plan.out());
    LiveCaseFactory f;
    if (hosted) {
      // the host outlives the run: reap now, and again once the run is over
      r.sandboxes().reap(plan.runId());
      f = LiveCases.build(system, parts);
    } else {
      f = LiveCases.factory(system, parts);
    }
    built.complete(f);
    return f;
  }

  /**
   * Runs the monitored run in the host's actor system, or in a system of its own with the run's
   * H2 journal in its directory, and waits for its end.
   */
  private RunProgress runToTheEnd(RunMonitor.Plan monitored, RunPlan plan, RunResources r,
      Optional<Host> host) throws InterruptedException {
    if (host.isEmpty()) {
      return runAlone(monitored, plan.out(), settings);
    }
    host.get().system().systemActorOf(RunMonitor.create(monitored),
        "live-run-" + RUNS_HOSTED.incrementAndGet(), Props.empty());
    try {
      return awaitEnd(monitored);
    } finally {
      r.sandboxes().reap(plan.runId());
    }
  }

  /**
   * Runs a monitored run (a live run's cases, a set of branches) in an actor system of its own
   * whose journal is the H2 database in {@code dir}, waits for its end, then shuts the system
   * down (its phases reap the run's sandboxes).
   */
  public static RunProgress runAlone(RunMonitor.Plan monitored, Path dir,
      TwinrouterSettings settings) throws InterruptedException {
    JournalDatabase journal = JournalDatabase.h2(dir);
    journal.ensureSchema();
    Config config = journal.pekkoConfig().withFallback(settings.raw());
    ActorSystem<RunMonitor.Command> system =
        ActorSystem.create(RunMonitor.create(monitored), "twinrouter", config);
    try {
      return awaitEnd(monitored);
    } finally {
      shutDown(system);
    }
  }

  private static RunProgress awaitEnd(RunMonitor.Plan monitored) throws InterruptedException {
    try {
      return monitored.finished().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the run failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  /** Writes the run's files (preds, eval summary, score) and tells the registry it ended. */
  private Outcome finish(RunPlan plan, double startedAt, RunProgress finalProgress,
      RestartSpend restartSpend, Optional<ScoreboardFeed> feed) {
    List<String> infra = new ArrayList<>();
    Set<String> ended = new HashSet<>();
    for (var c : finalProgress.results()) {
      ended.add(c.caseId());
      if ("InfrastructureError".equals(c.exitStatus())) {
        infra.add(c.caseId());
      }
    }
    List<String> notStarted = plan.toRun().stream().filter(id -> !ended.contains(id)).toList();
    Path out = plan.out();
    RunOutputs.write(out.resolve("preds.json"), RunOutputs.preds(out, plan.label()));
    MiniLayout.write(out);
    ObjectNode summary = evalSummary(options, out, plan.runId(), plan.label(), startedAt,
        plan.ids(), finalProgress, infra, notStarted, restartSpend.total());
    RunOutputs.addSkipped(summary, plan.skipped());
    RunOutputs.addAgent(summary, plan.agent(), settings.liveTrack());
    RunOutputs.addSandbox(summary, io.twinrouter.sandbox.SandboxSettings.from(settings.raw())
        .withBackend(options.sandbox()));
    RunOutputs.addRouter(summary, settings.liveTrack(), out);
    // the ledger's checks are facts of the run, so the served score carries them too
    LedgerCheck.read(out).addTo(summary);
    RunOutputs.write(out.resolve("eval_summary.json"), summary);
    ObjectNode score = RunOutputs.score(out, plan.identity(),
        ScoreOptions.defaults(settings.liveTrack().failurePenaltyUsd()));
    RunOutputs.write(out.resolve("score.json"), score);
    boolean cutShort = finalProgress.budgetReached();
    feed.ifPresent(f -> f.tell(
        new LiveRunUpdate.RunFinished(plan.runId(), cutShort, notStarted, infra,
            RunEnding.runFactsOf(summary))));
    return new Outcome(plan.runId(), plan.label(), out, score, finalProgress,
        plan.finishedBefore(), notStarted, infra);
  }

  /** {@code eval_summary.json} of a run over {@code ids} whose cases ended as {@code p} says. */
  public static ObjectNode evalSummary(LiveRunOptions options, Path out, String runId, String label,
      double startedAt, List<String> ids, RunProgress p, List<String> infra,
      List<String> notStarted, double restartSpendUsd) {
    List<JsonNode> results = RunOutputs.results(out);
    ObjectNode s = RunOutputs.JSON.createObjectNode();
    s.put("router_label", label);
    s.put("run_id", runId);
    s.put("started_at", startedAt);
    s.put("finished_at", System.currentTimeMillis() / 1000.0);
    s.put("dataset_name", options.tasks());
    s.put("dataset_split", "test");
    JsonNode first = results.isEmpty() ? null : results.get(0);
    s.put("pool_fingerprint", first == null ? null : first.path("pool_fingerprint").asText(null));
    s.put("pricing_schema_version", first == null ? 0 : first.path("pricing_schema_version").asInt());
    s.put("ttl_policy_name", results.stream().map(r -> r.path("ttl_policy_name").asText(""))
        .filter(t -> !t.isEmpty()).findFirst().orElse(""));
    s.put("total_instances", ids.size());
    s.put("completed", results.size());
    long resolved = results.stream().filter(r -> r.path("resolved").asBoolean()).count();
    s.put("resolved_count", resolved);
    s.put("resolved_rate", results.isEmpty() ? 0.0 : (double) resolved / results.size());
    s.put("total_router_cost_usd",
        results.stream().mapToDouble(r -> r.path("total_router_cost_usd").asDouble()).sum());
    ArrayNode paths = s.putArray("per_instance_paths");
    results.forEach(r -> paths.add(
        RunOutputs.resultFile(out, r.path("instance_id").asText()).toString()));
    ArrayNode errors = s.putArray("errors");
    for (var c : p.results()) {
      if (infra.contains(c.caseId())) {
        errors.addObject().put("instance_id", c.caseId()).put("error", c.detail());
      }
    }
    // twinrouter's additions: the budget, and the spend of attempts lost to restarts
    options.budgetUsd().ifPresent(b -> s.put("budget_usd", b));
    s.put("budget_reached", p.budgetReached());
    ArrayNode ns = s.putArray("not_started");
    notStarted.forEach(ns::add);
    s.put("run_spend_usd", p.spendUsd());
    s.put("restart_spend_usd", restartSpendUsd);
    return s;
  }

  /** Through CoordinatedShutdown, so its phases (reaping the run's sandboxes) run in order. */
  private static void shutDown(ActorSystem<?> system) throws InterruptedException {
    try {
      CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason())
          .toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // the system is going down anyway; the run's files are written
    }
  }
}
