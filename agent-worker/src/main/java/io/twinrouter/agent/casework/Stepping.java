package io.twinrouter.agent.casework;

import io.twinrouter.agent.casework.CaseRunner.Command;
import io.twinrouter.agent.journal.CaseJournal;
import io.twinrouter.agent.journal.RecordedStep;
import io.twinrouter.agent.journal.RecordedStep.RecordedAction;
import io.twinrouter.agent.loop.Action;
import io.twinrouter.agent.loop.ExitStatus;
import io.twinrouter.agent.loop.ModelRefusal;
import io.twinrouter.agent.loop.RouterFailure;
import io.twinrouter.agent.loop.TurnResult;
import io.twinrouter.agent.model.ModelSetupException;
import io.twinrouter.agent.model.ModelTurn;
import io.twinrouter.common.Failures;
import io.twinrouter.config.PoolModel;
import io.twinrouter.router.RouterContext;
import io.twinrouter.router.RouterDecision;
import io.twinrouter.sandbox.ExecResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The loop, one step after the other. A step's decision and answer come from the router and the
 * model, or, for the recorded steps the case starts from (its own journal when it resumes, the
 * source run's when it is a branch), from the record: nothing is billed again. Either way the
 * step's commands run in the sandbox; a replayed command must exit as recorded, and the loop then
 * gets the recorded observation, so the conversation stays byte-identical to the one the model
 * saw. A replay that diverges starts a resumed case over from step 0 and voids a branch.
 *
 * <p>Write, then call: every finished step is sent to the journal and the next model call is
 * chained to the writes, so it starts the moment they are acknowledged and never when one failed.
 * The router, which spends nothing, decides meanwhile. The loop's end waits for the same writes.
 */
final class Stepping extends CasePhase {

  sealed interface Msg extends Command {}

  private record RouteChosen(int stepIndex, RouterDecision decision, Throwable error,
      long askedNanos) implements Msg {}

  private record ModelAnswered(int stepIndex, PoolModel model, RouterDecision decision,
      ModelTurn turn, Throwable error) implements Msg {}

  private record ActionDone(ExecResult result, Throwable error) implements Msg {}

  private record StepsDurable(Throwable error) implements Msg {}

  private record HistoryDiscarded(Throwable error) implements Msg {}

  private final Deque<RecordedStep> replay;
  /** Completes once every step sent to the journal is durable; fails if one write failed. */
  private CompletableFuture<?> written = CompletableFuture.completedFuture(null);
  /** The model call in flight, cancelled if the case stops before its chained write is done. */
  private CompletableFuture<ModelTurn> call;
  private Step step;

  private Stepping(RunningCase c, List<RecordedStep> replay) {
    super(c);
    this.replay = new ArrayDeque<>(replay);
  }

  static Behavior<Command> start(RunningCase c, List<RecordedStep> replay) {
    return new Stepping(c, replay).nextStep();
  }

  @Override
  public Receive<Command> createReceive() {
    return phase()
        .onMessage(RouteChosen.class, this::onRouteChosen)
        .onMessage(ModelAnswered.class, this::onModelAnswered)
        .onMessage(ActionDone.class, this::onActionDone)
        .onMessage(StepsDurable.class, this::onStepsDurable)
        .onMessage(HistoryDiscarded.class, this::onHistoryDiscarded)
        .build();
  }

  @Override
  void release() {
    if (call != null) {
      call.cancel(false); // a call that has not started must not spend what nothing records
    }
    super.release();
  }

  private Behavior<Command> nextStep() {
    if (replay.isEmpty()) {
      c.progress();
    }
    Optional<RouterContext> request = c.loop.nextCall(c.deps.clock().getAsDouble());
    if (request.isEmpty()) {
      return end(); // a limit; when replaying, limits tighter than when the step ran
    }
    RecordedStep recorded = replay.poll();
    return recorded != null ? replayed(request.get().stepIndex(), recorded) : route(request.get());
  }

  private Behavior<Command> replayed(int stepIndex, RecordedStep recorded) {
    try {
      if (recorded.stepIndex() != stepIndex) {
        throw new IllegalArgumentException("recorded out of order (the loop is at step "
            + stepIndex + ")");
      }
      // A payload of another version's shape (or damaged) cannot be fed back: the history goes
      // like any other that no longer matches. Thrown, it would restart the case into it again.
      StepPayload payload = StepPayload.fromJson(recorded.payloadJson());
      PoolModel model = c.loop.accept(payload.decision());
      return answered(stepIndex, model, payload.decision(), payload.turn(),
          payload.observations());
    } catch (IllegalArgumentException | RouterFailure e) {
      return diverged(new ReplayDivergence(recorded.stepIndex(), e.getMessage()));
    }
  }

  /** Asks the router, with the select timeout enforced. */
  private Behavior<Command> route(RouterContext r) {
    // A routing proxy's decision is a paid call: like a model call, it waits for the journal.
    CompletableFuture<RouterDecision> decision = c.deps.router().callsModels()
        ? written.thenCompose(durable -> ask(r)) : ask(r);
    long asked = System.nanoTime();
    getContext().pipeToSelf(decision, (d, err) -> new RouteChosen(r.stepIndex(), d, err, asked));
    return this;
  }

  private CompletableFuture<RouterDecision> ask(RouterContext r) {
    CompletableFuture<RouterDecision> decision;
    try {
      decision = c.deps.router().choose(r).toCompletableFuture().copy();
    } catch (RuntimeException e) {
      decision = CompletableFuture.failedFuture(e);
    }
    return decision.orTimeout(c.deps.limits().selectTimeout().toNanos(), TimeUnit.NANOSECONDS);
  }

  private Behavior<Command> onRouteChosen(RouteChosen msg) {
    if (msg.error() != null && written.isCompletedExceptionally()) { // the router was not asked
      throw c.abort("the journal did not record step " + (msg.stepIndex() - 1),
          Failures.cause(msg.error()));
    }
    PoolModel model;
    RouterDecision chosen = msg.decision();
    try {
      if (msg.error() != null) {
        throw routerFailure(Failures.cause(msg.error()));
      }
      model = c.loop.accept(chosen);
    } catch (RouterFailure f) {
      getContext().getLog().info("case {} step {}: router failed: {}", c.id(), msg.stepIndex(),
          f.agentError());
      // --on-router-error tier:NAME: the step goes to that tier's model, marked as a fallback
      Optional<PoolModel> fallback = c.deps.limits().onRouterError().fallbackTier()
          .flatMap(c.deps.pool()::forTier);
      if (fallback.isEmpty()) {
        c.loop.fail(ExitStatus.ROUTER_ERROR, f.errorClass(), f.getMessage());
        return end();
      }
      model = fallback.get();
      chosen = RouterDecision.fallback(model.modelId(), model.tier(), f.agentError(),
          System.nanoTime() - msg.askedNanos());
    }
    RouterDecision decision = chosen;
    PoolModel called = model;
    var messages = c.loop.conversation();
    var tools = c.loop.tools();
    call = written.thenApplyAsync(durable -> RunningCase.unchecked(
        () -> c.deps.model().complete(called, messages, tools)), c.io);
    getContext().pipeToSelf(call, (turn, err) -> new ModelAnswered(msg.stepIndex(), called,
        decision, turn, err));
    return this;
  }

  private Behavior<Command> onModelAnswered(ModelAnswered msg) {
    call = null;
    Throwable error = msg.error() == null ? null : Failures.cause(msg.error());
    if (error != null && written.isCompletedExceptionally()) { // so the model was not called
      throw c.abort("the journal did not record step " + (msg.stepIndex() - 1), error);
    }
    if (error instanceof ModelRefusal refusal) {
      c.loop.fail(ExitStatus.MODEL_REFUSED, refusal.errorClass(), refusal.getMessage());
      return end();
    }
    if (error instanceof ModelSetupException mistake) {
      // the run's set-up, not this case: stop without a result, the journal keeps every step
      getContext().getLog().info("case {} stops: {}", c.id(), mistake.getMessage());
      throw mistake;
    }
    if (error != null) {
      throw c.abort("the model endpoint failed for " + msg.model().modelId(), error);
    }
    return answered(msg.stepIndex(), msg.model(), msg.decision(), msg.turn(), null);
  }

  /** The loop takes the answer: a priced step's commands run; a format error ends the step. */
  private Behavior<Command> answered(int index, PoolModel model, RouterDecision decision,
      ModelTurn turn, List<StepPayload.Observation> recordedSeen) {
    TurnResult result = c.loop.onTurn(index, model, decision, turn);
    if (result instanceof TurnResult.Ended) {
      return end();
    }
    TurnResult.Priced priced = result instanceof TurnResult.Priced p ? p : null;
    step = new Step(index, model, decision, turn, priced == null ? 0 : priced.record().stepCostUsd(),
        priced == null ? List.of() : priced.actions(), recordedSeen, new ArrayList<>());
    if (priced == null) {
      return stepDone(); // a format error is not billed, but its step is journalled too
    }
    c.records.step(priced.record());
    return nextAction();
  }

  private Behavior<Command> nextAction() {
    if (step.seen().size() == step.actions().size()) {
      c.loop.endStep();
      return stepDone();
    }
    Action action = step.actions().get(step.seen().size());
    getContext().pipeToSelf(c.exec(action.command()), ActionDone::new);
    return this;
  }

  private Behavior<Command> onActionDone(ActionDone msg) {
    if (msg.error() != null) {
      throw c.abort("the sandbox failed running a command", Failures.cause(msg.error()));
    }
    int n = step.seen().size();
    StepPayload.Observation seen;
    if (step.recordedSeen() == null) {
      seen = StepPayload.Observation.of(msg.result(), c.deps.clock().getAsDouble());
    } else {
      seen = step.recordedSeen().get(n);
      if (msg.result().exitCode() != seen.exitCode()) {
        return diverged(new ReplayDivergence(step.index(), step.actions().get(n).command(),
            msg.result().exitCode(), seen.exitCode()));
      }
    }
    step.seen().add(seen);
    boolean submitted = c.loop.onActionResult(step.actions().get(n), seen.result(), seen.ts());
    return submitted ? stepDone() : nextAction();
  }

  /**
   * Sends the finished step to the journal. A replayed step is sent again (its record is the one
   * replayed): the journal keeps the first, and a branch's own journal gets its source's steps.
   */
  private Behavior<Command> stepDone() {
    c.saveTrajectoryNowAndThen();
    if (c.journal != null) {
      RecordedStep record = step.toRecord();
      CompletableFuture<?> write = AskPattern.<CaseJournal.Command, CaseJournal.Ack>ask(c.journal,
          ack -> new CaseJournal.RecordStep(record, ack), c.journalTimeout(),
          getContext().getSystem().scheduler()).toCompletableFuture();
      written = written.thenCombine(write, (a, b) -> b);
    }
    step = null;
    return c.loop.exit().isPresent() ? end() : nextStep();
  }

  /** Ends the loop once every step sent to the journal is durable. */
  private Behavior<Command> end() {
    getContext().pipeToSelf(written, (ack, err) -> new StepsDurable(err));
    return this;
  }

  private Behavior<Command> onStepsDurable(StepsDurable msg) {
    if (msg.error() != null) {
      throw c.abort("the journal did not record the case's last steps",
          Failures.cause(msg.error()));
    }
    return Finishing.start(c);
  }

  /**
   * The sandbox no longer matches the record. A branch is void, with the reason as its result; a
   * resumed case forgets its history and starts over from step 0.
   */
  private Behavior<Command> diverged(ReplayDivergence divergence) {
    replay.clear();
    if (c.spec.branchFrom().isPresent()) {
      getContext().getLog().info("branch of case {} is void: {}", c.id(), divergence.message());
      c.loop.fail(ExitStatus.REPLAY_DIVERGED, ReplayDivergence.ERROR_CLASS, divergence.message());
      return end();
    }
    getContext().getLog().warn("case {}: replay diverged ({}); starting over from step 0", c.id(),
        divergence.message());
    getContext().ask(CaseJournal.Ack.class, c.journal, c.journalTimeout(),
        ack -> new CaseJournal.Discard(divergence.message(), ack),
        (ack, err) -> new HistoryDiscarded(err));
    return this;
  }

  private Behavior<Command> onHistoryDiscarded(HistoryDiscarded msg) {
    c.check(msg.error(), "the case's journal could not be discarded");
    c.releaseShell();
    c.loop = c.newLoop();
    return Opening.begin(c);
  }

  private RouterFailure routerFailure(Throwable error) {
    if (error instanceof RouterFailure f) {
      return f;
    }
    if (error instanceof TimeoutException) {
      return RouterFailure.deadline(c.deps.limits().selectTimeout().toMillis() / 1000.0);
    }
    return RouterFailure.raised(error);
  }

  /**
   * The step whose commands run; {@code recordedSeen} is set when it is replayed, and {@code
   * costUsd} is 0 for a format error, which is not billed.
   */
  private record Step(int index, PoolModel model, RouterDecision decision, ModelTurn turn,
      double costUsd, List<Action> actions, List<StepPayload.Observation> recordedSeen,
      List<StepPayload.Observation> seen) {

    RecordedStep toRecord() {
      List<RecordedAction> ran = new ArrayList<>();
      for (int i = 0; i < seen.size(); i++) {
        ran.add(new RecordedAction(actions.get(i).command(), seen.get(i).exitCode()));
      }
      return new RecordedStep(index, model.modelId(), costUsd, ran,
          new StepPayload(decision, turn, seen).toJson());
    }
  }
}
