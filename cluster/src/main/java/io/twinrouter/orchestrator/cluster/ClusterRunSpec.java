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
 * @param out the client's run directory (nodes write into their own working folder and send
 *     each case's files back; runs journalled before {@code inputs} was carried: an absolute
 *     path every node writes)
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
 * @param inputs the run's task rows, repository bundles and specs, stored in the journal; null
 *     in runs journalled before they were (nodes then read {@code tasks} at the client's path)
 * @param noPreflightCalls {@code --no-preflight}: nodes check their keys and the pool's URLs
 *     when they open the run, but send the models no probe
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
    RouterTiming routerTiming,
    RunShipment.Inputs inputs,
    boolean noPreflightCalls) implements ClusterMessage {

  /** A run with the nodes' own router timing, read from the client's paths (tests, older runs). */
  public ClusterRunSpec(String runId, String routerLabel, String tasks, String router, String pool,
      String sandbox, String out, long seed, List<String> allIds, List<String> caseIds,
      int restartCap, long minBackoffMs, long maxBackoffMs, double startedAt, Double budgetUsd,
      RunIdentity identity, RunInput poolFile) {
    this(runId, routerLabel, tasks, router, pool, sandbox, out, seed, allIds, caseIds, restartCap,
        minBackoffMs, maxBackoffMs, startedAt, budgetUsd, identity, poolFile, null, null, false);
  }

  /** A run with the nodes' own router timing. */
  public ClusterRunSpec(String runId, String routerLabel, String tasks, String router, String pool,
      String sandbox, String out, long seed, List<String> allIds, List<String> caseIds,
      int restartCap, long minBackoffMs, long maxBackoffMs, double startedAt, Double budgetUsd,
      RunIdentity identity, RunInput poolFile, RunShipment.Inputs inputs,
      boolean noPreflightCalls) {
    this(runId, routerLabel, tasks, router, pool, sandbox, out, seed, allIds, caseIds, restartCap,
        minBackoffMs, maxBackoffMs, startedAt, budgetUsd, identity, poolFile, null, inputs,
        noPreflightCalls);
  }

  /** A run read from the client's paths, with the client's router timing. */
  public ClusterRunSpec(String runId, String routerLabel, String tasks, String router, String pool,
      String sandbox, String out, long seed, List<String> allIds, List<String> caseIds,
      int restartCap, long minBackoffMs, long maxBackoffMs, double startedAt, Double budgetUsd,
      RunIdentity identity, RunInput poolFile, RouterTiming routerTiming) {
    this(runId, routerLabel, tasks, router, pool, sandbox, out, seed, allIds, caseIds, restartCap,
        minBackoffMs, maxBackoffMs, startedAt, budgetUsd, identity, poolFile, routerTiming, null,
        false);
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

  /** The same run, written into the folder of a client that attached. */
  public ClusterRunSpec withOut(String clientOut) {
    return new ClusterRunSpec(runId, routerLabel, tasks, router, pool, sandbox, clientOut, seed,
        allIds, caseIds, restartCap, minBackoffMs, maxBackoffMs, startedAt, budgetUsd, identity,
        poolFile, routerTiming, inputs, noPreflightCalls);
  }

  /** The sharding entity id of one case: run id and case id. */
  public static String entityId(String runId, String caseId) {
    return runId + SEPARATOR + caseId;
  }

  /** Case ids (SWE-bench instance ids) never contain it; run ids are checked not to. */
  public static final String SEPARATOR = "|";
}
