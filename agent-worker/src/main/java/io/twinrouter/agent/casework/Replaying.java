package io.twinrouter.agent.casework;

import io.twinrouter.agent.casework.CaseRunner.Command;
import io.twinrouter.agent.journal.CaseJournal;
import io.twinrouter.agent.journal.RecordedStep;
import io.twinrouter.agent.journal.RecordedStep.RecordedAction;
import io.twinrouter.agent.loop.Action;
import io.twinrouter.agent.loop.RouterFailure;
import io.twinrouter.agent.loop.TurnResult;
import io.twinrouter.common.Failures;
import io.twinrouter.config.PoolModel;
import io.twinrouter.router.RouterContext;
import io.twinrouter.sandbox.ExecResult;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * A resumed case's journalled steps, fed to a fresh loop as if the router and the model had
 * answered: nothing is billed again. The recorded commands run again in the fresh sandbox and
 * each exit code is checked against the record. The first that differs discards the history
 * (a {@code history_discarded} row in the trace) and the case starts over from step 0.
 *
 * <p>Unlike the reference, which truncates the trace when an instance starts, a resumed case
 * rewrites its trace from the journal: the replayed steps' rows (identical, as they come from the
 * same inputs), then the new ones, so each step appears once even when the crash came between a
 * trace write and the journal's acknowledgement.
 */
final class Replaying extends CasePhase {

  sealed interface Msg extends Command {}

  private record ActionReplayed(ExecResult result, Throwable error) implements Msg {}

  private record HistoryDiscarded(String reason, Throwable error) implements Msg {}

  private final Deque<RecordedStep> steps;
  /** The step being replayed, what its payload holds, and the index of its next action. */
  private RecordedStep step;
  private StepPayload payload;
  private List<Action> actions = List.of();
  private int next;

  private Replaying(RunningCase c, List<RecordedStep> history) {
    super(c);
    this.steps = new ArrayDeque<>(history);
  }

  static Behavior<Command> start(RunningCase c, List<RecordedStep> history) {
    return new Replaying(c, history).nextStep();
  }

  @Override
  public Receive<Command> createReceive() {
    return phase()
        .onMessage(ActionReplayed.class, this::onActionReplayed)
        .onMessage(HistoryDiscarded.class, this::onHistoryDiscarded)
        .build();
  }

  private Behavior<Command> nextStep() {
    step = steps.poll();
    if (step == null) {
      return c.loop.exit().isPresent() ? Finishing.start(c) : Stepping.start(c);
    }
    try {
      payload = StepPayload.fromJson(step.payloadJson());
    } catch (IllegalArgumentException e) {
      // Written by a version whose payload had another shape (or damaged): the step cannot be
      // fed back, so the history goes like any other that no longer matches. Thrown, it would
      // restart the case into the same payload again and again.
      return diverged("step " + step.stepIndex() + ": " + e.getMessage());
    }
    Optional<RouterContext> request = c.loop.nextCall(c.deps.clock().getAsDouble());
    if (request.isEmpty()) {
      return Finishing.start(c); // the limits are tighter than when the step ran
    }
    if (request.get().stepIndex() != step.stepIndex()) {
      return diverged("step " + step.stepIndex() + ": recorded out of order (the loop is at step "
          + request.get().stepIndex() + ")");
    }
    PoolModel model;
    try {
      model = c.loop.accept(payload.decision());
    } catch (RouterFailure f) {
      return diverged("step " + step.stepIndex() + ": " + f.getMessage());
    }
    TurnResult result = c.loop.onTurn(step.stepIndex(), model, payload.decision(), payload.turn());
    if (result instanceof TurnResult.Priced priced) {
      c.records.step(priced.record());
      actions = priced.actions();
      next = 0;
      return nextAction();
    }
    return result instanceof TurnResult.Ended ? Finishing.start(c) : nextStep();
  }

  private Behavior<Command> nextAction() {
    if (next >= step.actions().size()) {
      c.loop.endStep();
      return nextStep();
    }
    getContext().pipeToSelf(c.exec(step.actions().get(next).command()), ActionReplayed::new);
    return this;
  }

  private Behavior<Command> onActionReplayed(ActionReplayed msg) {
    if (msg.error() != null) {
      throw c.abort("the sandbox failed replaying a command", Failures.cause(msg.error()));
    }
    RecordedAction recorded = step.actions().get(next);
    if (msg.result().exitCode() != recorded.exitCode()) {
      return diverged("step " + step.stepIndex() + ": command '" + recorded.command()
          + "' exited " + msg.result().exitCode() + ", recorded " + recorded.exitCode());
    }
    StepPayload.Observation seen = payload.observations().get(next);
    // The loop gets the recorded observation: the conversation stays byte-identical to the one
    // the model saw (and cached), whatever timestamps or paths the fresh run printed.
    if (c.loop.onActionResult(actions.get(next), seen.result(), seen.ts())) {
      return Finishing.start(c);
    }
    next++;
    return nextAction();
  }

  /** The sandbox no longer matches the record: forget the history and start over from step 0. */
  private Behavior<Command> diverged(String reason) {
    getContext().getLog().warn("case {}: replay diverged ({}); starting over from step 0", c.id(),
        reason);
    steps.clear();
    getContext().ask(CaseJournal.Ack.class, c.journal, c.journalTimeout(),
        ack -> new CaseJournal.Discard(reason, ack), (ack, err) -> new HistoryDiscarded(reason, err));
    return this;
  }

  private Behavior<Command> onHistoryDiscarded(HistoryDiscarded msg) {
    c.check(msg.error(), "the case's journal could not be discarded");
    c.releaseShell();
    c.loop = c.newLoop();
    return Opening.begin(c);
  }
}
