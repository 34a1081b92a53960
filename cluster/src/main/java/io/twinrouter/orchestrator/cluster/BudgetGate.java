package io.twinrouter.orchestrator.cluster;

import io.twinrouter.orchestrator.cluster.CoordinatorState.RunState;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The budget questions a recovered run coordinator cannot answer yet. Per run with a budget, the
 * cases admitted before the coordinator recovered that have not reported since have a spend that
 * is unknown here (it was kept in the old incarnation's memory), so no new case is admitted or
 * held back until each has reported a step or its result (a running case reports at every step).
 * The questions waiting for that are kept, the latest per case: a case entity asks again when
 * its question times out, and only the latest asker still listens. Memory only.
 */
final class BudgetGate {
  private final Map<String, Set<String>> spendUnheard = new HashMap<>();
  private final Map<String, Map<String, RunCoordinator.MayStart>> waiting = new HashMap<>();

  /** After recovery: notes the admitted, unfinished cases of an unfinished run with a budget. */
  void recovered(RunState run) {
    if (run.ended || run.spec.budgetUsd() == null) {
      return;
    }
    Set<String> unheard = new HashSet<>(run.admitted);
    unheard.removeIf(run::over);
    if (!unheard.isEmpty()) {
      spendUnheard.put(run.spec.runId(), unheard);
    }
  }

  /** True (and the question kept) when its run still has a case whose spend is unknown. */
  boolean holds(RunCoordinator.MayStart question) {
    if (spendUnheard.getOrDefault(question.runId(), Set.of()).isEmpty()) {
      return false;
    }
    waiting.computeIfAbsent(question.runId(), id -> new HashMap<>())
        .put(question.caseId(), question);
    return true;
  }

  /**
   * The case's spend is known again. When that was its run's last unknown one, returns the
   * questions that waited (none may have), to be asked again.
   */
  Optional<Collection<RunCoordinator.MayStart>> heard(String runId, String caseId) {
    Set<String> unheard = spendUnheard.get(runId);
    if (unheard == null || !unheard.remove(caseId) || !unheard.isEmpty()) {
      return Optional.empty();
    }
    spendUnheard.remove(runId);
    Map<String, RunCoordinator.MayStart> asked = waiting.remove(runId);
    return Optional.of(asked == null ? java.util.List.of() : asked.values());
  }
}
