package io.twinrouter.orchestrator.cluster;

import io.twinrouter.agent.loop.AgentSettings;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.orchestrator.live.LiveRunOptions;
import io.twinrouter.orchestrator.live.PoolFiles;
import io.twinrouter.orchestrator.live.RunPlan;
import io.twinrouter.orchestrator.run.CaseResult;
import io.twinrouter.protocol.LiveRunUpdate;
import io.twinrouter.scoring.live.RunIdentity;
import io.twinrouter.scoring.service.LiveRuns;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What the run coordinator tells the cluster's live-run registry (the {@link LiveRuns} singleton
 * that every node's HTTP API asks): each run's start, its cases' progress and results, and its end.
 *
 * <p>The registry keeps its state in memory only. When its node is lost it starts afresh on
 * another node; so does the coordinator, but the coordinator's runs and results are event-sourced
 * and survive. Rather than journal the registry too, the coordinator re-tells it everything it
 * knows ({@link #snapshot}) when either of them starts: the registry asks for it when it starts
 * ({@link RunCoordinator.PublishRuns}), the coordinator sends it after its recovery. A snapshot
 * replays a run as {@code RunStarted} (which resets the registry's copy of the run), one {@code
 * CaseFinished} per result, one {@code CaseStepped} per running case and {@code RunFinished} once
 * the run's files are written: exactly what the registry would have heard as the run went.
 * Everything goes through the same singleton proxy from the one coordinator, so a snapshot never
 * overtakes an older update.
 */
final class RegistryFeed {
  private final Consumer<LiveRunUpdate> registry;
  private final TwinrouterSettings settings;

  /** @param registry where the updates go (the registry's singleton proxy, in the cluster) */
  RegistryFeed(Consumer<LiveRunUpdate> registry, TwinrouterSettings settings) {
    this.registry = registry;
    this.settings = settings;
  }

  /** A case started (steps 0) or finished a step. */
  void progressed(String runId, String caseId, int steps, double spendUsd) {
    registry.accept(steps == 0
        ? new LiveRunUpdate.CaseStarted(runId, caseId)
        : new LiveRunUpdate.CaseStepped(runId, caseId, steps, spendUsd));
  }

  void caseFinished(String runId, CaseResult result) {
    registry.accept(result.update(runId));
  }

  /**
   * The run's files are written: the registry scores it.
   *
   * @param notStarted the cases the budget kept from starting (the run was cut short)
   */
  void runFinished(String runId, Collection<CaseResult> results, List<String> notStarted) {
    List<String> infra = results.stream()
        .filter(r -> "InfrastructureError".equals(r.exitStatus())).map(CaseResult::caseId).toList();
    registry.accept(new LiveRunUpdate.RunFinished(runId, !notStarted.isEmpty(), notStarted, infra));
  }

  /**
   * Everything known of one run, in the order the registry would have heard it.
   *
   * @param running the steps and spend of its cases still going (memory only: empty after the
   *     coordinator moved, until each case reports its next step)
   */
  void snapshot(ClusterRunSpec spec, Collection<CaseResult> results, List<String> notStarted,
      Map<String, RunCoordinator.Live> running, boolean filesWritten) {
    registry.accept(started(spec, identity(spec, settings),
        settings.liveTrack().failurePenaltyUsd()));
    results.forEach(r -> caseFinished(spec.runId(), r));
    running.forEach((caseId, l) -> registry.accept(
        new LiveRunUpdate.CaseStepped(spec.runId(), caseId, l.steps(), l.spendUsd())));
    if (filesWritten) {
      runFinished(spec.runId(), results, notStarted);
    }
  }

  /** Cases finished by an earlier invocation are read by the registry from the run's files. */
  static LiveRunUpdate.RunStarted started(ClusterRunSpec spec, RunIdentity identity,
      double failurePenaltyUsd) {
    Set<String> toRun = new HashSet<>(spec.caseIds());
    List<String> reused = new ArrayList<>();
    spec.allIds().stream().filter(id -> !toRun.contains(id)).forEach(reused::add);
    return new LiveRunUpdate.RunStarted(spec.runId(), spec.routerLabel(), spec.out(),
        spec.allIds(), reused, identity.poolFingerprint(), identity.pricingSchemaVersion(),
        identity.highBaselineModelId(), failurePenaltyUsd, spec.budgetUsd());
  }

  /**
   * What score.json names the run's pool by: as the client submitted it; for a run journalled
   * before the spec carried it, worked out again from the pool (a small file read).
   */
  static RunIdentity identity(ClusterRunSpec spec, TwinrouterSettings settings) {
    if (spec.identity() != null) {
      return spec.identity();
    }
    ModelPool pool = LiveRunOptions.SIM.equals(spec.pool())
        ? settings.pool() : PoolFiles.load(Path.of(spec.pool()));
    return RunPlan.identity(spec.routerLabel(), pool, AgentSettings.from(settings.raw()));
  }
}
