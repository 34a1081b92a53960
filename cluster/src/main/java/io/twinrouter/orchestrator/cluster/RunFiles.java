package io.twinrouter.orchestrator.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.orchestrator.live.LiveRun;
import io.twinrouter.orchestrator.live.LiveRunOptions;
import io.twinrouter.orchestrator.live.MiniLayout;
import io.twinrouter.orchestrator.live.RunOutputs;
import io.twinrouter.orchestrator.run.CaseResult;
import io.twinrouter.orchestrator.run.RunProgress;
import io.twinrouter.scoring.live.ScoreOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The run-level files of a clustered run, written by the client into its {@code --out} once every
 * case has a result or was kept from starting by the budget, and the case files are there: those
 * of a single-node run, plus the node each case finished on.
 */
final class RunFiles {
  private RunFiles() {}

  /** Writes the run-level files into {@code out}, which holds the cases' files, and returns score.json. */
  static ObjectNode write(ClusterRunSpec spec, Path out, List<CaseResult> results,
      List<String> notStarted, Map<String, String> nodes, int duplicateReports,
      TwinrouterSettings settings) {
    LiveRunOptions options = spec.options();
    List<String> infra = new ArrayList<>();
    long steps = 0;
    double spend = 0;
    for (CaseResult r : results) {
      steps += r.steps();
      spend += r.costUsd();
      if ("InfrastructureError".equals(r.exitStatus())) {
        infra.add(r.caseId());
      }
    }
    RunProgress progress = new RunProgress(spec.runId(), spec.caseIds().size(), results.size(), 0,
        infra.size(), notStarted.size(), steps, spend, !notStarted.isEmpty(), true, results);
    RunOutputs.write(out.resolve("preds.json"), RunOutputs.preds(out, spec.routerLabel()));
    MiniLayout.write(out);
    ObjectNode summary = LiveRun.evalSummary(options, out, spec.runId(), spec.routerLabel(),
        spec.startedAt(), spec.allIds(), progress, infra, notStarted, 0.0);
    ObjectNode cluster = summary.putObject("cluster");
    ObjectNode byCase = cluster.putObject("case_nodes");
    nodes.forEach(byCase::put);
    cluster.put("duplicate_reports_ignored", duplicateReports);
    // the nodes' settings (a cluster's nodes are configured alike) under the run's own timing
    RunOutputs.addRouter(summary, spec.withRouterTiming(settings).liveTrack(), out);
    RunOutputs.write(out.resolve("eval_summary.json"), summary);
    ObjectNode score = RunOutputs.score(out, RegistryFeed.identity(spec, settings),
        ScoreOptions.defaults(settings.liveTrack().failurePenaltyUsd()));
    RunOutputs.write(out.resolve("score.json"), score);
    return score;
  }
}
