package io.twinrouter.orchestrator.live;

import io.twinrouter.orchestrator.run.RunEvent;
import io.twinrouter.protocol.LiveRunUpdate;
import io.twinrouter.scoring.service.LiveRuns;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Forwards a run's case events to the scoring service's {@link LiveRuns} registry, as the
 * protocol's plain records (the registry never sees the orchestrator's types). The run's start
 * and end are told by {@link LiveRun} itself: only it knows the reused cases and the run's files.
 */
final class ScoreboardFeed implements Consumer<RunEvent> {
  private final ActorRef<LiveRuns.Command> registry;

  ScoreboardFeed(ActorRef<LiveRuns.Command> registry) {
    this.registry = registry;
  }

  @Override
  public void accept(RunEvent event) {
    update(event).ifPresent(this::tell);
  }

  void tell(LiveRunUpdate update) {
    registry.tell(new LiveRuns.Update(update));
  }

  /** The registry's view of a run event; the run's own end is not forwarded (see the class). */
  static Optional<LiveRunUpdate> update(RunEvent event) {
    if (event instanceof RunEvent.CaseStarted e) {
      return Optional.of(new LiveRunUpdate.CaseStarted(e.runId(), e.caseId()));
    }
    if (event instanceof RunEvent.CaseStepped e) {
      return Optional.of(
          new LiveRunUpdate.CaseStepped(e.runId(), e.caseId(), e.steps(), e.caseSpendUsd()));
    }
    if (event instanceof RunEvent.CaseRestarting e) {
      return Optional.of(
          new LiveRunUpdate.CaseRestarting(e.runId(), e.caseId(), e.attempt(), e.cause()));
    }
    if (event instanceof RunEvent.CaseFinished e) {
      return Optional.of(e.result().update(e.runId()));
    }
    return Optional.empty();
  }
}
