package io.twinrouter.orchestrator.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import io.twinrouter.agent.journal.JournalDatabase;
import io.twinrouter.agent.loop.AgentSettings;
import io.twinrouter.agent.model.ModelClient;
import io.twinrouter.agent.model.ModelClientSettings;
import io.twinrouter.agent.sim.SimPoolOptions;
import io.twinrouter.agent.sim.SimPoolServer;
import io.twinrouter.agent.sim.SimTaskLoader;
import io.twinrouter.agent.tasks.TaskInstance;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.orchestrator.run.RunEvent;
import io.twinrouter.orchestrator.run.RunProgress;
import io.twinrouter.orchestrator.run.RunSupervisor;
import io.twinrouter.protocol.LiveRunUpdate;
import io.twinrouter.router.PrefixFingerprint;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterEnvironment;
import io.twinrouter.router.catalog.Routers;
import io.twinrouter.sandbox.SandboxProvider;
import io.twinrouter.sandbox.SandboxSettings;
import io.twinrouter.sandbox.backends.SandboxProviders;
import io.twinrouter.scoring.live.RunIdentity;
import io.twinrouter.scoring.live.ScoreOptions;
import io.twinrouter.scoring.service.LiveRuns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  /** Names the guardians of runs hosted in one system apart. */
  private static final AtomicInteger RUNS_HOSTED = new AtomicInteger();

  private final LiveRunOptions options;
  private final TwinrouterSettings settings;
  private final Path out;
  /** A router object to use instead of {@code options.router()} (static derive's tier plans). */
  private final Router givenRouter;

  public LiveRun(LiveRunOptions options, TwinrouterSettings settings) {
    this(options, settings, null);
  }

  private LiveRun(LiveRunOptions options, TwinrouterSettings settings, Router givenRouter) {
    this.options = options;
    this.settings = settings;
    this.out = options.out().toAbsolutePath();
    this.givenRouter = givenRouter;
  }

  /** The same run with a router object instead of a named one; {@code options.router()} is only recorded. */
  public LiveRun withRouter(Router router) {
    return new LiveRun(options, settings, router);
  }

  /**
   * Runs the cases and scores the run.
   *
   * @param events hears every run event (progress of each case), from an actor thread
   * @param progress whether to draw a progress bar on stderr
   * @throws IllegalArgumentException for bad input (tasks, ids, pool file, router name)
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
    createDirectories(out);
    List<TaskInstance> tasks = loadTasks();
    List<String> ids = tasks.stream().map(TaskInstance::instanceId).toList();
    ModelPool configuredPool = isSim() ? settings.pool() : PoolFiles.load(Path.of(options.pool()));
    RouterEnvironment routerEnv =
        RouterEnvironment.of(settings).withPool(configuredPool).withSeed(options.seed());
    Router probe = givenRouter != null ? givenRouter : router(routerEnv);
    String label = probe.name();
    String runId = runId(options, out, label);
    RunOutputs.write(out.resolve("run.json"), runJson(runId, label));

    Set<String> finishedBefore = RunOutputs.finishedCases(out, ids);
    List<String> toRun = ids.stream().filter(id -> !finishedBefore.contains(id)).toList();
    Config raw = settings.raw();
    SandboxSettings sandboxSettings = SandboxSettings.from(raw).withBackend(options.sandbox());
    AgentSettings agent = AgentSettings.from(raw);
    Optional<ScoreboardFeed> feed = host.map(h -> new ScoreboardFeed(h.registry()));
    RunIdentity identity = identity(label, configuredPool, agent);
    feed.ifPresent(f -> f.tell(new LiveRunUpdate.RunStarted(runId, label, out.toString(), ids,
        ids.stream().filter(finishedBefore::contains).toList(), identity.poolFingerprint(),
        identity.pricingSchemaVersion(), identity.highBaselineModelId(),
        settings.liveTrack().failurePenaltyUsd(), options.budgetUsd().orElse(null))));
    Consumer<RunEvent> listeners = feed.isPresent() ? events.andThen(feed.get()) : events;
    TaskCatalog catalog = new TaskCatalog(tasks, runId, sandboxSettings, agent.commandEnv());

    RunProgress finalProgress;
    RestartSpend restartSpend;
    try (Resources r = new Resources()) {
      ModelPool pool = configuredPool;
      if (isSim() && !toRun.isEmpty()) {
        r.sim = SimPoolServer.start(settings.pool(), SimTaskLoader.load(taskFile()),
            SimPoolOptions.from(raw).withPort(0).withSeed(options.seed()));
        pool = configuredPool.withBaseUrl(r.sim.baseUrl());
      }
      Router router = givenRouter != null ? givenRouter : router(routerEnv.withPool(pool));
      r.sandboxes = SandboxProviders.create(options.sandbox(), sandboxSettings);
      r.models = ModelClient.create(ModelClientSettings.from(raw));
      ModelPool runPool = pool;
      LiveCaseFactory[] factory = new LiveCaseFactory[1];
      CompletableFuture<RunProgress> finished = new CompletableFuture<>();
      r.bar = progress ? new io.twinrouter.console.ProgressBar("live " + label, toRun.size()) : null;
      var bar = r.bar;
      RunMonitor.Plan plan = new RunMonitor.Plan(
          new RunSupervisor.Settings(runId, options.workers(), options.restartCap(),
              options.minBackoff(), options.maxBackoff(), options.budgetUsd()),
          toRun,
          system -> {
            var parts = new LiveCases.Parts(settings, agent, runPool, router, r.sandboxes,
                r.models, catalog, label, runId, runId, out);
            if (host.isPresent()) {
              // the host outlives the run: reap now, and again once the run is over (below)
              r.sandboxes.reap(runId);
              factory[0] = LiveCases.build(system, parts);
            } else {
              factory[0] = LiveCases.factory(system, parts);
            }
            return factory[0];
          },
          raw.getDuration("twinrouter.live.progress-poll"),
          p -> {
            if (bar != null) {
              bar.update(p.done(), RunMonitor.status(p));
            }
          },
          listeners,
          finished,
          host.isPresent());
      ActorSystem<RunMonitor.Command> system = null;
      if (host.isPresent()) {
        host.get().system().systemActorOf(RunMonitor.create(plan),
            "live-run-" + RUNS_HOSTED.incrementAndGet(), Props.empty());
      } else {
        JournalDatabase journal = JournalDatabase.h2(out);
        journal.ensureSchema();
        Config config = journal.pekkoConfig().withFallback(raw);
        system = ActorSystem.create(RunMonitor.create(plan), "twinrouter", config);
      }
      try {
        finalProgress = finished.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("the run failed: " + e.getCause().getMessage(), e.getCause());
      } finally {
        if (system != null) {
          shutDown(system);
        } else if (r.sandboxes != null) {
          r.sandboxes.reap(runId);
        }
      }
      restartSpend = factory[0] == null ? new RestartSpend() : factory[0].restartSpend();
    }

    List<String> infra = new ArrayList<>();
    Set<String> ended = new HashSet<>();
    for (var c : finalProgress.results()) {
      ended.add(c.caseId());
      if ("InfrastructureError".equals(c.exitStatus())) {
        infra.add(c.caseId());
      }
    }
    List<String> notStarted = toRun.stream().filter(id -> !ended.contains(id)).toList();
    RunOutputs.write(out.resolve("preds.json"), RunOutputs.preds(out, label));
    RunOutputs.write(out.resolve("eval_summary.json"), evalSummary(options, out, runId, label, startedAt,
        ids, finalProgress, infra, notStarted, restartSpend.total()));
    ObjectNode score = RunOutputs.score(out, identity,
        ScoreOptions.defaults(settings.liveTrack().failurePenaltyUsd()));
    RunOutputs.write(out.resolve("score.json"), score);
    boolean cutShort = finalProgress.budgetReached();
    feed.ifPresent(f -> f.tell(new LiveRunUpdate.RunFinished(runId, cutShort, notStarted, infra)));
    return new Outcome(runId, label, out, score, finalProgress,
        ids.stream().filter(finishedBefore::contains).toList(), notStarted, infra);
  }

  /** What {@code score.json} names the run's pool by. */
  public static RunIdentity identity(String label, ModelPool pool, AgentSettings agent) {
    return new RunIdentity(label, "", PrefixFingerprint.poolFingerprint(pool.modelIds()),
        agent.pricingSchemaVersion(), pool.highBaseline().modelId());
  }

  private List<TaskInstance> loadTasks() {
    List<TaskInstance> tasks = TaskSuite.open(options.tasks(), out.resolve("suite"));
    if (options.instanceIds().isPresent()) {
      tasks = TaskSuite.select(tasks, TaskSuite.readInstanceIds(options.instanceIds().get()));
    }
    return tasks;
  }

  private Path taskFile() {
    return TaskSuite.BUNDLED.equals(options.tasks())
        ? out.resolve("suite").resolve(TaskSuite.BUNDLED_TASK_FILE)
        : Path.of(options.tasks());
  }

  private boolean isSim() {
    return LiveRunOptions.SIM.equals(options.pool());
  }

  /** The router the options name, under {@code --router-name} when given. */
  private Router router(RouterEnvironment env) {
    return Routers.byName(options.router(), options.routerName().orElse(null), env);
  }

  /**
   * The given id, else the one an earlier invocation recorded in {@code out}'s run.json, else
   * {@code <router label>-<UTC time>}: the one place a run id is made from a router's label.
   */
  public static String runId(LiveRunOptions options, Path out, String label) {
    if (options.runId().isPresent()) {
      return options.runId().get();
    }
    JsonNode earlier = RunOutputs.readIfPresent(out.resolve("run.json"));
    if (earlier != null && earlier.hasNonNull("run_id")) {
      return earlier.get("run_id").asText();
    }
    String safe = label.replaceAll("[^A-Za-z0-9._-]+", "_");
    return safe + "-" + ZonedDateTime.now(ZoneOffset.UTC).format(STAMP);
  }

  private ObjectNode runJson(String runId, String label) {
    ObjectNode j = RunOutputs.JSON.createObjectNode();
    j.put("run_id", runId);
    j.put("router_label", label);
    j.put("router", options.router());
    j.put("tasks", options.tasks());
    j.put("pool", options.pool());
    j.put("sandbox", options.sandbox());
    j.put("seed", options.seed());
    j.put("workers", options.workers());
    options.budgetUsd().ifPresent(b -> j.put("budget_usd", b));
    return j;
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

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }

  /** What a run starts and must stop, whatever happens. */
  private static final class Resources implements AutoCloseable {
    SimPoolServer sim;
    SandboxProvider sandboxes;
    ModelClient models;
    io.twinrouter.console.ProgressBar bar;

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
      }
      if (models != null) {
        models.close();
      }
      if (sandboxes != null) {
        sandboxes.close();
      }
      if (sim != null) {
        sim.close();
      }
    }
  }
}
