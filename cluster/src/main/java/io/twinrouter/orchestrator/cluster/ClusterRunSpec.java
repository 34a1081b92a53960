package io.twinrouter.orchestrator.cluster;

import io.twinrouter.config.RouterTiming;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.orchestrator.live.LiveRunOptions;
import io.twinrouter.scoring.live.RunIdentity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A live run as submitted to the cluster: what every node needs to run any of its cases.
 *
 * @param out the run directory, an absolute path every node can write (one machine, or a
 *     shared file system)
 * @param allIds every selected case (the run's total)
 * @param caseIds the cases to run: those without a result file in {@code out} at submission
 * @param startedAt seconds since the epoch, for {@code eval_summary.json}
 * @param budgetUsd the run-wide budget: once the run's spend reaches it no new case starts
 *     (running cases finish); null for none
 * @param identity what score.json names the run's pool by, worked out by the client when it
 *     submits, so the coordinator never reads the pool file on its actor thread; null in runs
 *     journalled before it was carried here
 * @param poolFile the {@code --pool} file's bytes, shipped so nodes need not read the client's
 *     file system; null for the simulated pool, and in runs journalled before it was carried
 * @param routerTiming the client's {@code --router-timeout} and {@code --on-router-error}, laid
 *     over each node's settings; null (or none) for the nodes' own, as in runs journalled before
 */
public record ClusterRunSpec(
    String runId,
    String routerLabel,
    String tasks,
    String router,
    String pool,
    String sandbox,
    String out,
    long seed,
    List<String> allIds,
    List<String> caseIds,
    int restartCap,
    long minBackoffMs,
    long maxBackoffMs,
    double startedAt,
    Double budgetUsd,
    RunIdentity identity,
    RunInput poolFile,
    RouterTiming routerTiming) implements ClusterMessage {

  /** A run with the nodes' own router timing. */
  public ClusterRunSpec(String runId, String routerLabel, String tasks, String router, String pool,
      String sandbox, String out, long seed, List<String> allIds, List<String> caseIds,
      int restartCap, long minBackoffMs, long maxBackoffMs, double startedAt, Double budgetUsd,
      RunIdentity identity, RunInput poolFile) {
    this(runId, routerLabel, tasks, router, pool, sandbox, out, seed, allIds, caseIds, restartCap,
        minBackoffMs, maxBackoffMs, startedAt, budgetUsd, identity, poolFile, null);
  }

  /** {@code settings} with the run's router timing over them, where it has one. */
  public TwinrouterSettings withRouterTiming(TwinrouterSettings settings) {
    return routerTiming == null ? settings : routerTiming.applyTo(settings);
  }

  public ClusterRunSpec {
    allIds = List.copyOf(allIds);
    caseIds = List.copyOf(caseIds);
  }

  /** The single-node options this run corresponds to (its cases' settings). */
  public LiveRunOptions options() {
    return LiveRunOptions.of(tasks, router, sandbox, Path.of(out))
        .withPool(pool)
        .withSeed(seed)
        .withRunId(runId)
        .withRestarts(restartCap, Duration.ofMillis(minBackoffMs), Duration.ofMillis(maxBackoffMs))
        .withBudget(budgetUsd);
  }

  /** The sharding entity id of one case: run id and case id. */
  public static String entityId(String runId, String caseId) {
    return runId + SEPARATOR + caseId;
  }

  /** Case ids (SWE-bench instance ids) never contain it; run ids are checked not to. */
  public static final String SEPARATOR = "|";
}
