package io.twinrouter.orchestrator.live;

import io.twinrouter.router.catalog.Routers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What {@code live run} was asked to do.
 *
 * @param tasks a task file, or {@code bundled}
 * @param router a router name or URL ({@code Routers.byName})
 * @param pool {@code sim} (the simulated pool on a free loopback port) or a pool file
 * @param sandbox {@code docker} or {@code local}
 * @param instanceIds a file of instance ids selecting cases, or empty for all
 * @param runId the run's id, or empty: reused from {@code run.json} in {@code out}, else
 *     {@code <router>-<UTC timestamp>}
 * @param restartCap restarts of one case after infrastructure failures before it is recorded as
 *     an infrastructure error
 * @param routerName the router's label in run ids, files and reports ({@code --router-name}), or
 *     empty for the router's own name (a built-in's, {@code http-PORT} for a URL)
 * @param selection which rows of the task file run ({@code --slice}, {@code --filter},
 *     {@code --shuffle}) and whether rows the run cannot grade are skipped
 */
public record LiveRunOptions(
    String tasks,
    String router,
    String pool,
    String sandbox,
    int workers,
    Path out,
    long seed,
    Optional<Path> instanceIds,
    Optional<Double> budgetUsd,
    Optional<String> runId,
    int restartCap,
    Duration minBackoff,
    Duration maxBackoff,
    Optional<String> routerName,
    TaskSelection selection) {

  public static final String SIM = "sim";

  /** {@code --pool sim}: the simulated pool, started on a free loopback port for the run. */
  public boolean isSimulatedPool() {
    return SIM.equals(pool);
  }

  public static LiveRunOptions of(String tasks, String router, String sandbox, Path out) {
    return new LiveRunOptions(tasks, router, SIM, sandbox, 2, out, 0, Optional.empty(),
        Optional.empty(), Optional.empty(), 3, Duration.ofSeconds(1), Duration.ofSeconds(30),
        Optional.empty(), TaskSelection.ALL);
  }

  public LiveRunOptions withWorkers(int n) {
    return new LiveRunOptions(tasks, router, pool, sandbox, n, out, seed, instanceIds, budgetUsd,
        runId, restartCap, minBackoff, maxBackoff, routerName, selection);
  }

  public LiveRunOptions withInstanceIds(Path file) {
    return new LiveRunOptions(tasks, router, pool, sandbox, workers, out, seed,
        Optional.ofNullable(file), budgetUsd, runId, restartCap, minBackoff, maxBackoff, routerName,
        selection);
  }

  public LiveRunOptions withBudget(Double usd) {
    return new LiveRunOptions(tasks, router, pool, sandbox, workers, out, seed, instanceIds,
        Optional.ofNullable(usd), runId, restartCap, minBackoff, maxBackoff, routerName, selection);
  }

  public LiveRunOptions withSeed(long s) {
    return new LiveRunOptions(tasks, router, pool, sandbox, workers, out, s, instanceIds,
        budgetUsd, runId, restartCap, minBackoff, maxBackoff, routerName, selection);
  }

  public LiveRunOptions withPool(String p) {
    return new LiveRunOptions(tasks, router, p, sandbox, workers, out, seed, instanceIds,
        budgetUsd, runId, restartCap, minBackoff, maxBackoff, routerName, selection);
  }

  public LiveRunOptions withRunId(String id) {
    return new LiveRunOptions(tasks, router, pool, sandbox, workers, out, seed, instanceIds,
        budgetUsd, Optional.ofNullable(id), restartCap, minBackoff, maxBackoff, routerName,
        selection);
  }

  public LiveRunOptions withRestarts(int cap, Duration min, Duration max) {
    return new LiveRunOptions(tasks, router, pool, sandbox, workers, out, seed, instanceIds,
        budgetUsd, runId, cap, min, max, routerName, selection);
  }

  public LiveRunOptions withRouterName(String name) {
    return new LiveRunOptions(tasks, router, pool, sandbox, workers, out, seed, instanceIds,
        budgetUsd, runId, restartCap, minBackoff, maxBackoff, Optional.ofNullable(name),
        selection);
  }

  public LiveRunOptions withSelection(TaskSelection s) {
    return new LiveRunOptions(tasks, router, pool, sandbox, workers, out, seed, instanceIds,
        budgetUsd, runId, restartCap, minBackoff, maxBackoff, routerName, s);
  }
}
