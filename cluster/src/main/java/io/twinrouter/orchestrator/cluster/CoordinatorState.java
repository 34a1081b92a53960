package io.twinrouter.orchestrator.cluster;

import io.twinrouter.orchestrator.run.CaseResult;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The run coordinator's state: every run this cluster was given, rebuilt from the coordinator's
 * events after a move and mutated only by its event handler. Never serialised itself.
 */
public final class CoordinatorState {
  final Map<String, RunState> runs = new HashMap<>();

  /** One run: its spec, its client, and what its events said of its cases. */
  static final class RunState {
    ClusterRunSpec spec;
    ActorRef<RunCoordinator.RunUpdate> client;
    final Map<String, CaseResult> results = new LinkedHashMap<>();
    final Map<String, String> nodes = new TreeMap<>();
    final Set<String> admitted = new HashSet<>();
    final Set<String> notStarted = new LinkedHashSet<>();
    String scoreFile;

    boolean allDone() {
      return results.size() + notStarted.size() >= spec.caseIds().size();
    }

    boolean over(String caseId) {
      return results.containsKey(caseId) || notStarted.contains(caseId);
    }

    /** Spend of the finished cases and, as last reported, of the running ones. */
    double spendSoFar(Map<String, RunCoordinator.Live> running) {
      double spend = results.values().stream().mapToDouble(CaseResult::costUsd).sum();
      for (RunCoordinator.Live l : running.values()) {
        spend += l.spendUsd();
      }
      return spend;
    }

    /** What the run's client is told: counts, steps and spend, finished and running cases. */
    RunCoordinator.RunUpdate update(Map<String, RunCoordinator.Live> running) {
      long steps = 0;
      double spend = 0;
      int failed = 0;
      for (CaseResult r : results.values()) {
        steps += r.steps();
        spend += r.costUsd();
        failed += r.infrastructureError() ? 1 : 0;
      }
      for (RunCoordinator.Live l : running.values()) {
        steps += l.steps();
        spend += l.spendUsd();
      }
      return new RunCoordinator.RunUpdate(spec.runId(), spec.caseIds().size(),
          results.size() + notStarted.size(), running.size(), failed, steps, spend,
          scoreFile != null, scoreFile, null);
    }
  }
}
