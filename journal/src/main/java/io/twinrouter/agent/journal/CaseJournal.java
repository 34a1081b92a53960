package io.twinrouter.agent.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * The durable history of one case of one run. The case actor records every finished step here and
 * waits for the acknowledgement before its next model call, so a crash loses at most the step in
 * flight, and a resumed case replays recorded steps instead of paying for them again.
 *
 * <p>Recording is idempotent per step index: a step that is already recorded is acknowledged
 * without a second event, so a retried write never bills a step twice.
 */
public final class CaseJournal
    extends EventSourcedBehavior<CaseJournal.Command, CaseJournal.Event, CaseJournal.History> {

  public sealed interface Command extends JournalSerializable {}

  /** Make a finished step durable; the reply comes once it is written. */
  public record RecordStep(RecordedStep step, ActorRef<Ack> replyTo) implements Command {}

  /** Forget the recorded steps (a replay diverged): the case restarts from step 0. */
  public record Discard(String reason, ActorRef<Ack> replyTo) implements Command {}

  /** Record the case's final result (a JSON document); later steps are refused. */
  public record Finish(String resultJson, ActorRef<Ack> replyTo) implements Command {}

  public record Load(ActorRef<History> replyTo) implements Command {}

  /** Acknowledges a durable write; {@code steps} is the number of steps now recorded. */
  public record Ack(int steps) implements JournalSerializable {}

  public sealed interface Event extends JournalSerializable {}

  public record StepRecorded(RecordedStep step) implements Event {}

  public record HistoryDiscarded(String reason, int discardedSteps) implements Event {}

  public record CaseFinished(String resultJson) implements Event {}

  /**
   * What is durable of a case: its recorded steps in order, why earlier histories were discarded,
   * and its result once finished.
   */
  public record History(List<RecordedStep> steps, List<String> discards, Optional<String> result)
      implements JournalSerializable {

    public History {
      steps = List.copyOf(steps);
      discards = List.copyOf(discards);
    }

    static History empty() {
      return new History(List.of(), List.of(), Optional.empty());
    }

    public boolean finished() {
      return result.isPresent();
    }

    public double billedUsd() {
      return steps.stream().mapToDouble(RecordedStep::costUsd).sum();
    }

    boolean hasStep(int stepIndex) {
      return steps.stream().anyMatch(s -> s.stepIndex() == stepIndex);
    }

    History with(RecordedStep step) {
      List<RecordedStep> next = new ArrayList<>(steps);
      next.add(step);
      return new History(next, discards, result);
    }

    History discarded(String reason) {
      List<String> next = new ArrayList<>(discards);
      next.add(reason);
      return new History(List.of(), next, result);
    }

    History finishedWith(String json) {
      return new History(steps, discards, Optional.of(json));
    }
  }

  /** The persistence id of a case: run and case together (joined by "~", as "|" is reserved), so runs never share a history. */
  public static PersistenceId persistenceId(String runId, String caseId) {
    return PersistenceId.of("twinrouter-case", runId + "~" + caseId);
  }

  public static Behavior<Command> create(String runId, String caseId) {
    return Behaviors.setup(ctx -> new CaseJournal(persistenceId(runId, caseId)));
  }

  private CaseJournal(PersistenceId id) {
    super(id);
  }

  /**
   * Nothing here snapshots, so recovery does not look for a snapshot: with no selection criteria
   * the snapshot store answers at once, without a query per case.
   */
  @Override
  public org.apache.pekko.persistence.typed.javadsl.Recovery recovery() {
    return org.apache.pekko.persistence.typed.javadsl.Recovery.withSnapshotSelectionCriteria(
        org.apache.pekko.persistence.typed.SnapshotSelectionCriteria.none());
  }

  @Override
  public History emptyState() {
    return History.empty();
  }

  @Override
  public CommandHandler<Command, Event, History> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(RecordStep.class, this::onRecordStep)
        .onCommand(Discard.class, this::onDiscard)
        .onCommand(Finish.class, this::onFinish)
        .onCommand(Load.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
        .build();
  }

  private org.apache.pekko.persistence.typed.javadsl.Effect<Event, History> onRecordStep(
      History state, RecordStep cmd) {
    if (state.finished() || state.hasStep(cmd.step().stepIndex())) {
      return Effect().reply(cmd.replyTo(), new Ack(state.steps().size()));
    }
    return Effect()
        .persist(new StepRecorded(cmd.step()))
        .thenReply(cmd.replyTo(), s -> new Ack(s.steps().size()));
  }

  private org.apache.pekko.persistence.typed.javadsl.Effect<Event, History> onDiscard(
      History state, Discard cmd) {
    return Effect()
        .persist(new HistoryDiscarded(cmd.reason(), state.steps().size()))
        .thenReply(cmd.replyTo(), s -> new Ack(0));
  }

  private org.apache.pekko.persistence.typed.javadsl.Effect<Event, History> onFinish(
      History state, Finish cmd) {
    if (state.finished()) {
      return Effect().reply(cmd.replyTo(), new Ack(state.steps().size()));
    }
    return Effect()
        .persist(new CaseFinished(cmd.resultJson()))
        .thenReply(cmd.replyTo(), s -> new Ack(s.steps().size()));
  }

  @Override
  public EventHandler<History, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(StepRecorded.class, (s, e) -> s.with(e.step()))
        .onEvent(HistoryDiscarded.class, (s, e) -> s.discarded(e.reason()))
        .onEvent(CaseFinished.class, (s, e) -> s.finishedWith(e.resultJson()))
        .build();
  }
}
