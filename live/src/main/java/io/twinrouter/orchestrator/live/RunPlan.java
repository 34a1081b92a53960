package io.twinrouter.orchestrator.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.agent.loop.AgentSettings;
import io.twinrouter.agent.tasks.TaskInstance;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.gateway.ProxyRouter;
import io.twinrouter.router.PrefixFingerprint;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterEnvironment;
import io.twinrouter.router.catalog.Routers;
import io.twinrouter.scoring.live.RunIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a live run is, decided once before anything starts: its tasks, pool, router label, run id,
 * and which cases are left to run. {@code live run}, the runs of the scoring service ({@code
 * --serve}, {@code demo}) and a clustered run's client all start from one; nothing here starts a
 * server, a sandbox or an actor.
 *
 * @param out the run directory (absolute)
 * @param taskFile the task rows the simulated pool plays (the bundled suite's extracted file)
 * @param pool the pool as configured (a simulated pool's base URL is set once it listens)
 * @param label the router's name in every file and report ({@code --router-name}, else its own)
 * @param finishedBefore cases whose result an earlier invocation wrote (the reference's resume key)
 * @param toRun the other cases, in task order
 * @param skipped rows left out because the run could not grade them ({@code --skip-unsupported})
 */
public record RunPlan(LiveRunOptions options, Path out, List<TaskInstance> tasks, Path taskFile,
    ModelPool pool, String label, String runId, AgentSettings agent, List<String> finishedBefore,
    List<String> toRun, List<TaskSupport.Unsupported> skipped) {

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  /**
   * Reads the tasks (the bundled suite is extracted into {@code out/suite}), the pool file and
   * what {@code out} already holds, and names the router.
   *
   * @param givenRouter a router object to record instead of the one the options name
   * @throws IllegalArgumentException for bad input (tasks, ids, pool file, router name)
   */
  public static RunPlan prepare(LiveRunOptions options, TwinrouterSettings settings,
      Optional<Router> givenRouter) {
    Path out = options.out().toAbsolutePath();
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + out, e);
    }
    List<TaskInstance> tasks = TaskSuite.open(options.tasks(), out.resolve("suite"));
    if (options.instanceIds().isPresent()) {
      tasks = TaskSuite.select(tasks, TaskSuite.readInstanceIds(options.instanceIds().get()));
    }
    tasks = options.selection().apply(tasks);
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException(options.tasks() + ": no task left after the selection");
    }
    List<TaskSupport.Unsupported> skipped = TaskSupport.check(tasks, options.sandbox());
    if (!skipped.isEmpty()) {
      if (!options.selection().skipUnsupported()) {
        throw new IllegalArgumentException(TaskSupport.refusal(skipped));
      }
      if (skipped.size() == tasks.size()) {
        throw new IllegalArgumentException(TaskSupport.refusal(skipped)
            + "\nno task of the selection is left to run");
      }
      Set<String> left = new java.util.HashSet<>();
      skipped.forEach(u -> left.add(u.instanceId()));
      tasks = tasks.stream().filter(t -> !left.contains(t.instanceId())).toList();
    }
    Path taskFile = TaskSuite.BUNDLED.equals(options.tasks())
        ? out.resolve("suite").resolve(TaskSuite.BUNDLED_TASK_FILE)
        : Path.of(options.tasks());
    ModelPool pool = options.isSimulatedPool()
        ? settings.pool() : PoolFiles.load(Path.of(options.pool()));
    String label = givenRouter.map(Router::name).orElseGet(() -> ProxyRouter.isProxy(
        options.router())
        ? options.routerName().orElseGet(() -> ProxyRouter.defaultLabel(options.router()))
        : router(options, RouterEnvironment.of(settings).withPool(pool)
            .withSeed(options.seed())).name());
    List<String> ids = tasks.stream().map(TaskInstance::instanceId).toList();
    Set<String> finished = RunOutputs.finishedCases(out, ids);
    return new RunPlan(options, out, tasks, taskFile, pool, label, runId(options, out, label),
        AgentSettings.from(settings.raw()), ids.stream().filter(finished::contains).toList(),
        ids.stream().filter(id -> !finished.contains(id)).toList(), skipped);
  }

  /** The router the options name, under {@code --router-name} when given. */
  public static Router router(LiveRunOptions options, RouterEnvironment env) {
    return Routers.byName(options.router(), options.routerName().orElse(null), env);
  }

  /** Every case of the run, in task order. */
  public List<String> ids() {
    return tasks.stream().map(TaskInstance::instanceId).toList();
  }

  /** What {@code score.json} names the run's pool by. */
  public RunIdentity identity() {
    return identity(label, pool, agent);
  }

  /** What {@code score.json} names a pool by, for a run labelled {@code label}. */
  public static RunIdentity identity(String label, ModelPool pool, AgentSettings agent) {
    return new RunIdentity(label, "", PrefixFingerprint.poolFingerprint(pool.modelIds()),
        agent.pricingSchemaVersion(), pool.highBaseline().modelId());
  }

  /** {@code run.json}: the run id and the options it was started with. */
  public ObjectNode runJson() {
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

  /**
   * The given id, else the one an earlier invocation recorded in {@code out}'s run.json, else
   * {@code <router label>-<UTC time>}: the one place a run id is made from a router's label.
   */
  static String runId(LiveRunOptions options, Path out, String label) {
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
}
