package io.twinrouter.agent.casework;

import io.twinrouter.agent.casework.CaseRunner.Command;
import io.twinrouter.agent.journal.RecordedStep;
import io.twinrouter.agent.journal.RecordedStep.RecordedAction;
import io.twinrouter.agent.loop.Action;
import io.twinrouter.agent.loop.ExitStatus;
import io.twinrouter.agent.loop.ModelRefusal;
import io.twinrouter.agent.model.ModelSetupException;
import io.twinrouter.agent.loop.RouterFailure;
import io.twinrouter.agent.loop.TurnResult;
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
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The live loop, one step after the other: the router decides (with the select timeout
 * enforced), the model answers, the step's commands run, and the finished step is journalled
 * before the next model call ({@link DurableSteps}).
 */
final class Stepping extends CasePhase {

  sealed interface Msg extends Command {}

  private record RouteChosen(int stepIndex, RouterDecision decision, Throwable error,
      long askedNanos) implements Msg {}

  private record ModelAnswered(int stepIndex, PoolModel model, RouterDecision decision,
      ModelTurn turn, Throwable error) implements Msg {}

  private record ActionDone(Action action, ExecResult result, Throwable error) implements Msg {}

  private record StepJournalled(int stepIndex, boolean loopEnded, Throwable error)
      implements Msg {}

  private final DurableSteps durable;
  private final Deque<Action> pendingActions = new ArrayDeque<>();
  /** The step being run, journalled once its actions are done. */
  private StepDraft draft;
  /** The loop has ended and waits for the step in flight to be durable. */
  private boolean endAwaitingJournal;

  private Stepping(RunningCase c) {
    super(c);
    this.durable = new DurableSteps(c.journal,
        c.journal == null ? null : c.journalTimeout(), c.ctx.getSystem().scheduler());
  }

  static Behavior<Command> start(RunningCase c) {
    return new Stepping(c).nextStep();
  }

  @Override
  public Receive<Command> createReceive() {
    return phase()
        .onMessage(RouteChosen.class, this::onRouteChosen)
        .onMessage(ModelAnswered.class, this::onModelAnswered)
        .onMessage(ActionDone.class, this::onActionDone)
        .onMessage(StepJournalled.class, this::onStepJournalled)
        .build();
  }

  @Override
  void release() {
    durable.cancel();
    super.release();
  }

  /** Steps 1-3: limits, then ask the router with the select timeout enforced. */
  private Behavior<Command> nextStep() {
    c.progress();
    Optional<RouterContext> request = c.loop.nextCall(c.deps.clock().getAsDouble());
    if (request.isEmpty()) {
      return loopEndedOnceDurable();
    }
    RouterContext r = request.get();
    CompletableFuture<RouterDecision> decision;
    try {
      decision = c.deps.router().choose(r).toCompletableFuture().copy();
    } catch (RuntimeException e) {
      decision = CompletableFuture.failedFuture(e);
    }
    decision.orTimeout(c.deps.limits().selectTimeout().toNanos(), TimeUnit.NANOSECONDS);
    long asked = System.nanoTime();
    getContext().pipeToSelf(decision, (d, err) -> new RouteChosen(r.stepIndex(), d, err, asked));
    return this;
  }

  private Behavior<Command> onRouteChosen(RouteChosen msg) {
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
        return loopEndedOnceDurable();
      }
      model = fallback.get();
      chosen = RouterDecision.fallback(model.modelId(), model.tier(), f.agentError(),
          System.nanoTime() - msg.askedNanos());
    }
    RouterDecision decision = chosen;
    PoolModel called = model;
    var messages = c.loop.conversation();
    var tools = c.loop.tools();
    var call = durable.call(() -> c.deps.model().complete(called, messages, tools), c.io);
    getContext().pipeToSelf(call, (turn, err) -> new ModelAnswered(msg.stepIndex(), called,
        decision, turn, err));
    return this;
  }

  private Behavior<Command> onModelAnswered(ModelAnswered msg) {
    Throwable error = msg.error() == null ? null : Failures.cause(msg.error());
    if (error instanceof DurableSteps.StepNotDurable notDurable) {
      throw c.abort("the journal did not record step " + notDurable.stepIndex,
          Failures.cause(notDurable.getCause()));
    }
    durable.answered();
    if (error instanceof ModelRefusal refusal) {
      c.loop.fail(ExitStatus.MODEL_REFUSED, refusal.errorClass(), refusal.getMessage());
      return Finishing.start(c);
    }
    if (error instanceof ModelSetupException mistake) {
      // the run's set-up, not this case: stop without a result, the journal keeps every step
      getContext().getLog().info("case {} stops: {}", c.id(), mistake.getMessage());
      throw mistake;
    }
    if (error != null) {
      throw c.abort("the model endpoint failed for " + msg.model().modelId(), error);
    }
    TurnResult result = c.loop.onTurn(msg.stepIndex(), msg.model(), msg.decision(), msg.turn());
    if (result instanceof TurnResult.Ended) {
      return Finishing.start(c);
    }
    TurnResult.Priced priced = result instanceof TurnResult.Priced p ? p : null;
    draft = new StepDraft(msg, priced == null ? 0 : priced.record().stepCostUsd());
    if (priced != null) {
      c.records.step(priced.record());
      pendingActions.addAll(priced.actions());
      return nextAction();
    }
    c.saveTrajectoryNowAndThen(); // a format error: its step is journalled too
    return journalStep(false);
  }

  /** Step 9: the step's actions, one after the other. */
  private Behavior<Command> nextAction() {
    Action action = pendingActions.poll();
    if (action == null) {
      c.loop.endStep();
      c.saveTrajectoryNowAndThen();
      return journalStep(false);
    }
    getContext().pipeToSelf(c.exec(action.command()),
        (res, err) -> new ActionDone(action, res, err));
    return this;
  }

  private Behavior<Command> onActionDone(ActionDone msg) {
    if (msg.error() != null) {
      throw c.abort("the sandbox failed running a command", Failures.cause(msg.error()));
    }
    double ts = c.deps.clock().getAsDouble();
    draft.observe(msg.action().command(), msg.result(), ts);
    if (c.loop.onActionResult(msg.action(), msg.result(), ts)) {
      pendingActions.clear();
      return journalStep(true);
    }
    return nextAction();
  }

  /** Makes the finished step durable, then goes on; without a journal, goes on at once. */
  private Behavior<Command> journalStep(boolean loopEnded) {
    RecordedStep recorded = draft.toRecord();
    draft = null;
    if (!durable.journalled()) {
      return loopEnded ? Finishing.start(c) : nextStep();
    }
    getContext().pipeToSelf(durable.record(recorded, !loopEnded),
        (ack, err) -> new StepJournalled(recorded.stepIndex(), loopEnded, err));
    // The router does not spend, so it decides the next step while this one is written.
    return loopEnded ? this : nextStep();
  }

  private Behavior<Command> onStepJournalled(StepJournalled msg) {
    if (msg.error() != null) {
      throw c.abort("the journal did not record step " + msg.stepIndex(),
          Failures.cause(msg.error()));
    }
    if (msg.loopEnded()) {
      return Finishing.start(c);
    }
    // Else the next model call is chained to this write, has started, or has even answered.
    return durable.acknowledged(msg.stepIndex()) && endAwaitingJournal ? Finishing.start(c) : this;
  }

  /** Ends the loop, after the step being journalled (if any) is durable. */
  private Behavior<Command> loopEndedOnceDurable() {
    if (durable.writing()) {
      endAwaitingJournal = true;
      return this;
    }
    return Finishing.start(c);
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

  /** A step as it runs: what the journal will need once its actions are done. */
  private static final class StepDraft {
    private final int stepIndex;
    private final String modelId;
    private final RouterDecision decision;
    private final ModelTurn turn;
    /** The step's price; 0 for a format error, which is not billed. */
    private final double costUsd;
    private final List<RecordedAction> actions = new ArrayList<>();
    private final List<StepPayload.Observation> observations = new ArrayList<>();

    StepDraft(ModelAnswered answer, double costUsd) {
      this.stepIndex = answer.stepIndex();
      this.modelId = answer.model().modelId();
      this.decision = answer.decision();
      this.turn = answer.turn();
      this.costUsd = costUsd;
    }

    void observe(String command, ExecResult result, double ts) {
      actions.add(new RecordedAction(command, result.exitCode()));
      observations.add(StepPayload.Observation.of(result, ts));
    }

    RecordedStep toRecord() {
      String payload = new StepPayload(decision, turn, observations).toJson();
      return new RecordedStep(stepIndex, modelId, costUsd, actions, payload);
    }
  }
}
