package io.twinrouter.agent.casework;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinrouter.agent.journal.CaseJournal;
import io.twinrouter.agent.journal.RecordedStep;
import io.twinrouter.agent.journal.RecordedStep.RecordedAction;
import io.twinrouter.agent.loop.Action;
import io.twinrouter.agent.loop.CaseLoop;
import io.twinrouter.agent.loop.ExitStatus;
import io.twinrouter.agent.loop.LoopExit;
import io.twinrouter.agent.loop.ModelRefusal;
import io.twinrouter.agent.loop.ModelTurn;
import io.twinrouter.agent.loop.RouteChoice;
import io.twinrouter.agent.loop.RouteRequest;
import io.twinrouter.agent.loop.RouterFailure;
import io.twinrouter.agent.loop.Shell;
import io.twinrouter.agent.loop.ShellResult;
import io.twinrouter.agent.loop.TurnResult;
import io.twinrouter.agent.records.CaseFiles;
import io.twinrouter.agent.records.CaseRecords;
import io.twinrouter.agent.records.CaseResult;
import io.twinrouter.agent.records.TrajectoryWriter;
import io.twinrouter.config.PoolModel;
import io.twinrouter.protocol.CaseProgress;
import io.twinrouter.protocol.CaseReport;
import io.twinrouter.protocol.InfraErrors;
import io.twinrouter.router.PrefixFingerprint;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Runs one live case: opens its sandbox, then decide-act-observe as the official mini scaffold
 * does (router, model, commands, observations) until a submission, a limit or an error, then
 * grades the patch, writes the case's files and reports a {@link CaseReport}.
 *
 * <p>The actor never blocks: routers answer through a {@code CompletionStage}; model calls,
 * commands, grading and file writes run on the {@code twinrouter.blocking-io} dispatcher and come
 * back through {@code pipeToSelf}. Failures the router or the model cause end the case as values
 * (an exit status). Infrastructure failures (sandbox gone, model endpoint down after retries, a
 * record that cannot be written) are thrown as {@link CaseInfrastructureException} so the parent's
 * supervision applies; the sandbox is released on restart and stop, and a restarted case starts
 * over by itself.
 *
 * <p>With {@link CaseDeps#journaling()} present, every finished step (format errors included) is
 * recorded in the case's {@link CaseJournal} and acknowledged before the next model call (the
 * router, which spends nothing, decides the next step while the write is in flight, and the model
 * call is chained to the acknowledgement; the loop's end also waits for it). The journal actor
 * runs on {@code twinrouter.journal-dispatcher}, the journal plugin's own thread. A case started
 * again (a new JVM, or a supervisor restart) loads that history: a finished
 * case reports its stored result; otherwise a fresh sandbox replays the recorded commands without
 * calling the model, checks each exit code against the record, and feeds the recorded answers and
 * observations to a fresh loop, which rebuilds messages, counters, spend and harness cache. The
 * first diverging exit code discards the history, leaves a {@code history_discarded} row in the
 * trace, and the case starts over from step 0.
 *
 * <p>Unlike the reference, which truncates the trace when an instance starts, a resumed case
 * rewrites its trace from the journal: the replayed steps' rows (identical, as they come from the
 * same inputs), then the new ones, so each step appears once even when the crash came between a
 * trace write and the journal's acknowledgement.
 */
public final class CaseRunner extends AbstractBehavior<CaseRunner.Command> {

  public sealed interface Command {}

  /**
   * Run the case and send its report to {@code replyTo}; {@code progressTo} (may be null) hears
   * after every step. A second Start (a parent re-sending after a restart) is ignored.
   */
  public record Start(ActorRef<CaseReport> replyTo, ActorRef<CaseProgress> progressTo)
      implements Command {
    public Start(ActorRef<CaseReport> replyTo) {
      this(replyTo, null);
    }
  }

  private record ShellOpened(Shell shell, Throwable error) implements Command {}

  private record RouteChosen(int stepIndex, RouteChoice choice, double decisionMs, Throwable error)
      implements Command {}

  private record ModelAnswered(int stepIndex, PoolModel model, RouteChoice choice,
      double decisionMs, ModelTurn turn, Throwable error) implements Command {}

  private record ActionDone(Action action, ShellResult result, Throwable error)
      implements Command {}

  private record Graded(GradeOutcome outcome, Throwable error) implements Command {}

  private record RecordsFlushed(CaseResult result, GradeOutcome outcome, Throwable error)
      implements Command {}

  private record JournalLoaded(CaseJournal.History history, Throwable error) implements Command {}

  private enum After { NEXT_STEP, LOOP_ENDED }

  private record StepJournalled(int stepIndex, After after, Throwable error) implements Command {}

  private record ReplayActionDone(ShellResult result, Throwable error) implements Command {}

  private record HistoryDiscarded(String reason, Throwable error) implements Command {}

  private record FinishJournalled(CaseReport report, Throwable error) implements Command {}

  private static final ObjectMapper REPORT_JSON = new ObjectMapper();
  private static final long TRAJECTORY_SAVE_INTERVAL_NANOS = 1_000_000_000L;

  public static final String BLOCKING_DISPATCHER = "twinrouter.blocking-io";
  /** The journal plugin's one thread, shared by every case's journal actor (reference.conf). */
  public static final String JOURNAL_DISPATCHER = "twinrouter.journal-dispatcher";

  private final CaseSpec spec;
  private final CaseDeps deps;
  private final Executor io;
  private CaseLoop loop;
  private final CaseRecords records;
  private final Deque<Action> pendingActions = new ArrayDeque<>();
  private ActorRef<CaseReport> replyTo;
  private ActorRef<CaseProgress> progressTo;
  private Shell shell;
  /** The sandbox being opened, until its ShellOpened arrives (a stop meanwhile must close it). */
  private CompletableFuture<Shell> opening;
  private long startedAtMs;
  private long lastTrajectorySave;
  private boolean started;
  /** The case's journal child; null without journaling. */
  private ActorRef<CaseJournal.Command> journal;
  /** The step being run, journalled once its actions are done. */
  private StepDraft draft;
  /**
   * A finished step's journal write, while it is in flight (else null): the router decides the
   * next step meanwhile, and the next model call (with it any new spend) is chained to the write,
   * so it starts on the model thread the moment the write is acknowledged, without waiting for
   * this actor to hear of it. The loop's end waits for the write through the flag.
   */
  private CompletableFuture<CaseJournal.Ack> stepWrite;
  private int stepWriteIndex = -1;
  /** The model call chained to {@link #stepWrite}, until it answers (cancelled if the case ends). */
  private CompletableFuture<ModelTurn> chainedCall;
  private boolean endAwaitingJournal;
  /** Journalled steps still to replay, and the one being replayed. */
  private final Deque<RecordedStep> replay = new ArrayDeque<>();
  private RecordedStep replaying;
  private StepPayload replayingPayload;
  private List<Action> replayingActions = List.of();
  private int replayingAction;

  public static Behavior<Command> create(CaseSpec spec, CaseDeps deps) {
    return Behaviors.setup(ctx -> new CaseRunner(ctx, spec, deps));
  }

  private CaseRunner(ActorContext<Command> ctx, CaseSpec spec, CaseDeps deps) {
    super(ctx);
    this.spec = spec;
    this.deps = deps;
    this.io = ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(BLOCKING_DISPATCHER));
    this.loop = newLoop();
    CaseFiles files = new CaseFiles(spec.outputDir(), spec.task().instanceId());
    this.records = new CaseRecords(files, trajectoryWriter(files), io);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Start.class, this::onStart)
        .onMessage(ShellOpened.class, this::onShellOpened)
        .onMessage(RouteChosen.class, this::onRouteChosen)
        .onMessage(ModelAnswered.class, this::onModelAnswered)
        .onMessage(ActionDone.class, this::onActionDone)
        .onMessage(Graded.class, this::onGraded)
        .onMessage(RecordsFlushed.class, this::onRecordsFlushed)
        .onMessage(JournalLoaded.class, this::onJournalLoaded)
        .onMessage(StepJournalled.class, this::onStepJournalled)
        .onMessage(ReplayActionDone.class, this::onReplayActionDone)
        .onMessage(HistoryDiscarded.class, this::onHistoryDiscarded)
        .onMessage(FinishJournalled.class, this::onFinishJournalled)
        .onSignal(PreRestart.class, this::onPreRestart)
        .onSignal(PostStop.class, signal -> release())
        .build();
  }

  private Behavior<Command> onStart(Start start) {
    if (started) {
      getContext().getLog().debug("case {} is already running; Start ignored", id());
      return this;
    }
    started = true;
    replyTo = start.replyTo();
    progressTo = start.progressTo();
    startedAtMs = System.currentTimeMillis();
    return begin();
  }

  /** Without a journal, a fresh case; with one, whatever its history says. */
  private Behavior<Command> begin() {
    if (deps.journaling().isEmpty()) {
      records.open();
      return openSandbox();
    }
    if (journal == null) {
      journal = getContext().spawn(CaseJournal.create(spec.runId(), id()), "journal",
          DispatcherSelector.fromConfig(JOURNAL_DISPATCHER));
    }
    getContext().ask(CaseJournal.History.class, journal, journalTimeout(), CaseJournal.Load::new,
        JournalLoaded::new);
    return this;
  }

  private Behavior<Command> openSandbox() {
    opening = CompletableFuture.supplyAsync(this::open, io);
    getContext().pipeToSelf(opening, ShellOpened::new);
    return this;
  }

  private Behavior<Command> onJournalLoaded(JournalLoaded msg) {
    if (msg.error() != null) {
      throw new CaseInfrastructureException(id(), "the case's journal could not be loaded", cause(msg.error()));
    }
    CaseJournal.History history = msg.history();
    if (history.finished()) {
      getContext().getLog().info("case {} already finished; reporting its journalled result", id());
      replyTo.tell(storedReport(history.result().orElseThrow()));
      return Behaviors.stopped();
    }
    records.open();
    for (String reason : history.discards()) {
      records.historyDiscarded(id(), reason);
    }
    replay.clear();
    replay.addAll(history.steps());
    if (!replay.isEmpty()) {
      getContext().getLog().info("case {} resumes: replaying {} journalled steps (${} billed)", id(),
          replay.size(), history.billedUsd());
    }
    return openSandbox();
  }

  private Behavior<Command> onShellOpened(ShellOpened msg) {
    opening = null;
    if (msg.error() != null) {
      throw new CaseInfrastructureException(id(), "the sandbox could not start", cause(msg.error()));
    }
    shell = msg.shell();
    return replay.isEmpty() ? nextStep() : replayNextStep();
  }

  /** Steps 1-3: limits, then ask the router with the select timeout enforced. */
  private Behavior<Command> nextStep() {
    if (progressTo != null && loop.calls() > 0) {
      progressTo.tell(new CaseProgress(spec.runId(), id(), loop.calls(), loop.costUsd()));
    }
    var request = loop.nextCall(deps.clock().getAsDouble());
    if (request.isEmpty()) {
      return loopEndedOnceDurable();
    }
    RouteRequest r = request.get();
    long t0 = System.nanoTime();
    CompletableFuture<RouteChoice> choice;
    try {
      choice = deps.router().choose(r).toCompletableFuture().copy();
    } catch (RuntimeException e) {
      choice = CompletableFuture.failedFuture(e);
    }
    choice.orTimeout(deps.limits().selectTimeout().toNanos(), TimeUnit.NANOSECONDS);
    getContext().pipeToSelf(choice, (c, err) ->
        new RouteChosen(r.stepIndex(), c, (System.nanoTime() - t0) / 1e6, err));
    return this;
  }

  private Behavior<Command> onRouteChosen(RouteChosen msg) {
    PoolModel model;
    try {
      if (msg.error() != null) {
        throw routerFailure(cause(msg.error()));
      }
      model = loop.accept(msg.choice());
    } catch (RouterFailure f) {
      getContext().getLog().info("case {} step {}: router failed: {}", id(), msg.stepIndex(), f.agentError());
      loop.fail(ExitStatus.ROUTER_ERROR, f.errorClass(), f.getMessage());
      return loopEndedOnceDurable();
    }
    var messages = loop.outgoingMessages();
    var tools = loop.tools();
    CompletableFuture<ModelTurn> call = stepWrite == null
        ? CompletableFuture.supplyAsync(() -> complete(model, messages, tools), io)
        : afterDurable(stepWrite, stepWriteIndex).thenApplyAsync(
            durable -> complete(model, messages, tools), io);
    chainedCall = stepWrite == null ? null : call;
    getContext().pipeToSelf(call,
        (turn, err) -> new ModelAnswered(msg.stepIndex(), model, msg.choice(), msg.decisionMs(), turn, err));
    return this;
  }

  /**
   * Completes once the write is acknowledged; fails with {@link StepNotDurable} if it failed, so
   * the model is never called after a step that is not durable.
   */
  private static CompletableFuture<CaseJournal.Ack> afterDurable(
      CompletableFuture<CaseJournal.Ack> write, int stepIndex) {
    return write.handle((ack, err) -> {
      if (err != null) {
        throw new StepNotDurable(stepIndex, cause(err));
      }
      return ack;
    });
  }

  /** The previous step's journal write failed, so the model call chained to it was not made. */
  private static final class StepNotDurable extends RuntimeException {
    final int stepIndex;

    StepNotDurable(int stepIndex, Throwable cause) {
      super("step " + stepIndex + " was not journalled", cause);
      this.stepIndex = stepIndex;
    }
  }

  /** Ends the loop, after the step being journalled (if any) is durable. */
  private Behavior<Command> loopEndedOnceDurable() {
    if (stepWrite != null) {
      endAwaitingJournal = true;
      return this;
    }
    return loopEnded();
  }

  private Behavior<Command> onModelAnswered(ModelAnswered msg) {
    if (msg.error() != null && cause(msg.error()) instanceof StepNotDurable notDurable) {
      throw abort("the journal did not record step " + notDurable.stepIndex,
          cause(notDurable.getCause()));
    }
    // the call was chained to the previous step's write: that write is durable
    stepWrite = null;
    stepWriteIndex = -1;
    chainedCall = null;
    if (msg.error() != null && cause(msg.error()) instanceof ModelRefusal refusal) {
      loop.fail(ExitStatus.MODEL_REFUSED, refusal.errorClass(), refusal.getMessage());
      return loopEnded();
    }
    if (msg.error() != null) {
      throw abort("the model endpoint failed for " + msg.model().modelId(), cause(msg.error()));
    }
    TurnResult result = loop.onTurn(msg.stepIndex(), msg.model(), msg.choice(), msg.turn(), msg.decisionMs());
    draft = new StepDraft(msg.stepIndex(), msg.model().modelId(), msg.choice(), msg.decisionMs(),
        msg.turn());
    if (result instanceof TurnResult.Priced priced) {
      records.step(priced.record());
      draft.costUsd = priced.record().stepCostUsd();
      pendingActions.addAll(priced.actions());
      return nextAction();
    }
    if (result instanceof TurnResult.Ended) {
      draft = null;
      return loopEnded();
    }
    saveTrajectoryNowAndThen();
    return journalStep(After.NEXT_STEP);
  }

  /** Step 9: the step's actions, one after the other. */
  private Behavior<Command> nextAction() {
    Action action = pendingActions.poll();
    if (action == null) {
      loop.endStep();
      saveTrajectoryNowAndThen();
      return journalStep(After.NEXT_STEP);
    }
    Shell s = shell;
    var timeout = deps.limits().commandTimeout();
    getContext().pipeToSelf(
        CompletableFuture.supplyAsync(() -> exec(s, action.command(), timeout), io),
        (res, err) -> new ActionDone(action, res, err));
    return this;
  }

  private Behavior<Command> onActionDone(ActionDone msg) {
    if (msg.error() != null) {
      throw abort("the sandbox failed running a command", cause(msg.error()));
    }
    double ts = deps.clock().getAsDouble();
    draft.observe(msg.action().command(), msg.result(), ts);
    if (loop.onActionResult(msg.action(), msg.result(), ts)) {
      pendingActions.clear();
      return journalStep(After.LOOP_ENDED);
    }
    return nextAction();
  }

  // --- the journal: recording, replaying, discarding, finishing ---

  /** Makes the finished step durable, then goes on; without a journal, goes on at once. */
  private Behavior<Command> journalStep(After after) {
    StepDraft step = draft;
    draft = null;
    if (journal == null) {
      return after == After.NEXT_STEP ? nextStep() : loopEnded();
    }
    RecordedStep recorded = step.toRecord();
    CompletableFuture<CaseJournal.Ack> write = AskPattern.<CaseJournal.Command, CaseJournal.Ack>ask(
            journal, ack -> new CaseJournal.RecordStep(recorded, ack), journalTimeout(),
            getContext().getSystem().scheduler())
        .toCompletableFuture();
    getContext().pipeToSelf(write,
        (ack, err) -> new StepJournalled(recorded.stepIndex(), after, err));
    if (after == After.LOOP_ENDED) {
      return this;
    }
    // The router does not spend, so it decides the next step while this one is written.
    stepWrite = write;
    stepWriteIndex = recorded.stepIndex();
    return nextStep();
  }

  private Behavior<Command> onStepJournalled(StepJournalled msg) {
    if (msg.error() != null) {
      throw abort("the journal did not record step " + msg.stepIndex(), cause(msg.error()));
    }
    if (msg.after() == After.LOOP_ENDED) {
      return loopEnded();
    }
    if (stepWrite == null || msg.stepIndex() != stepWriteIndex) {
      return this; // the next model call, chained to this write, has answered already
    }
    stepWrite = null;
    stepWriteIndex = -1;
    if (endAwaitingJournal) {
      endAwaitingJournal = false;
      return loopEnded();
    }
    return this; // the next model call is chained to the write and has started
  }

  /** Feeds the next journalled step to the loop, as if the router and the model had answered. */
  private Behavior<Command> replayNextStep() {
    RecordedStep step = replay.poll();
    if (step == null) {
      return loop.exit().isPresent() ? loopEnded() : nextStep();
    }
    StepPayload payload = StepPayload.fromJson(step.payloadJson());
    var request = loop.nextCall(deps.clock().getAsDouble());
    if (request.isEmpty()) {
      replay.clear();
      return loopEnded(); // the limits are tighter than when the step ran
    }
    if (request.get().stepIndex() != step.stepIndex()) {
      return diverged("step " + step.stepIndex() + ": recorded out of order (the loop is at step "
          + request.get().stepIndex() + ")");
    }
    PoolModel model;
    try {
      model = loop.accept(payload.choice());
    } catch (RouterFailure f) {
      return diverged("step " + step.stepIndex() + ": " + f.getMessage());
    }
    TurnResult result = loop.onTurn(step.stepIndex(), model, payload.choice(), payload.turn(),
        payload.decisionMs());
    if (result instanceof TurnResult.Priced priced) {
      records.step(priced.record());
      replaying = step;
      replayingPayload = payload;
      replayingActions = priced.actions();
      replayingAction = 0;
      return replayNextAction();
    }
    if (result instanceof TurnResult.Ended) {
      replay.clear();
      return loopEnded();
    }
    return replayNextStep();
  }

  private Behavior<Command> replayNextAction() {
    if (replayingAction >= replaying.actions().size()) {
      loop.endStep();
      return replayNextStep();
    }
    String command = replaying.actions().get(replayingAction).command();
    Shell s = shell;
    var timeout = deps.limits().commandTimeout();
    getContext().pipeToSelf(
        CompletableFuture.supplyAsync(() -> exec(s, command, timeout), io),
        ReplayActionDone::new);
    return this;
  }

  private Behavior<Command> onReplayActionDone(ReplayActionDone msg) {
    if (msg.error() != null) {
      throw abort("the sandbox failed replaying a command", cause(msg.error()));
    }
    RecordedAction recorded = replaying.actions().get(replayingAction);
    if (msg.result().returncode() != recorded.exitCode()) {
      return diverged("step " + replaying.stepIndex() + ": command '" + recorded.command()
          + "' exited " + msg.result().returncode() + ", recorded " + recorded.exitCode());
    }
    StepPayload.Observation seen = replayingPayload.observations().get(replayingAction);
    // The loop gets the recorded observation: the conversation stays byte-identical to the one
    // the model saw (and cached), whatever timestamps or paths the fresh run printed.
    if (loop.onActionResult(replayingActions.get(replayingAction), seen.result(), seen.ts())) {
      replay.clear();
      return loopEnded();
    }
    replayingAction++;
    return replayNextAction();
  }

  /** The sandbox no longer matches the record: forget the history and start over from step 0. */
  private Behavior<Command> diverged(String reason) {
    getContext().getLog().warn("case {}: replay diverged ({}); starting over from step 0", id(), reason);
    replay.clear();
    replaying = null;
    getContext().ask(CaseJournal.Ack.class, journal, journalTimeout(),
        ack -> new CaseJournal.Discard(reason, ack), (ack, err) -> new HistoryDiscarded(reason, err));
    return this;
  }

  private Behavior<Command> onHistoryDiscarded(HistoryDiscarded msg) {
    if (msg.error() != null) {
      throw new CaseInfrastructureException(id(), "the case's journal could not be discarded",
          cause(msg.error()));
    }
    releaseShell();
    loop = newLoop();
    pendingActions.clear();
    return begin();
  }

  private Behavior<Command> onFinishJournalled(FinishJournalled msg) {
    if (msg.error() != null) {
      throw new CaseInfrastructureException(id(), "the case's result could not be journalled",
          cause(msg.error()));
    }
    replyTo.tell(msg.report());
    return Behaviors.stopped();
  }

  private CaseReport storedReport(String json) {
    try {
      return REPORT_JSON.readValue(json, CaseReport.class);
    } catch (JsonProcessingException e) {
      throw new CaseInfrastructureException(id(), "the journalled result is unreadable", e);
    }
  }

  private java.time.Duration journalTimeout() {
    return deps.journaling().orElseThrow().writeTimeout();
  }

  private CaseLoop newLoop() {
    return new CaseLoop(spec.task(), deps.pool(), deps.limits(), deps.agent(), deps.templates());
  }

  /** A step as it runs: what the journal will need once its actions are done. */
  private static final class StepDraft {
    final int stepIndex;
    final String modelId;
    final RouteChoice choice;
    final double decisionMs;
    final ModelTurn turn;
    double costUsd;
    final List<RecordedAction> actions = new ArrayList<>();
    final List<StepPayload.Observation> observations = new ArrayList<>();

    StepDraft(int stepIndex, String modelId, RouteChoice choice, double decisionMs, ModelTurn turn) {
      this.stepIndex = stepIndex;
      this.modelId = modelId;
      this.choice = choice;
      this.decisionMs = decisionMs;
      this.turn = turn;
    }

    void observe(String command, ShellResult result, double ts) {
      actions.add(new RecordedAction(command, result.returncode()));
      observations.add(new StepPayload.Observation(result, ts));
    }

    RecordedStep toRecord() {
      String payload = new StepPayload(choice, decisionMs, turn, observations).toJson();
      return new RecordedStep(stepIndex, modelId, costUsd, actions, payload);
    }
  }

  /** The loop is over: summary row, final trajectory, sandbox released, then grading. */
  private Behavior<Command> loopEnded() {
    LoopExit exit = loop.exit().orElseThrow();
    records.loopSummary(id(), loop.pricedCalls(), exit.finishedBy(), loop.costUsd(), loop.modelDistribution());
    saveTrajectory();
    releaseShell();
    getContext().getLog().info("case {} finished by {} after {} calls, ${}", id(),
        exit.finishedBy(), loop.calls(), loop.costUsd());
    String patch = exit.submission();
    if (patch == null || patch.isBlank()) {
      getContext().getSelf().tell(new Graded(GradeOutcome.noPatch(), null));
    } else {
      getContext().pipeToSelf(
          CompletableFuture.supplyAsync(() -> grade(patch), io), Graded::new);
    }
    return this;
  }

  private Behavior<Command> onGraded(Graded msg) {
    GradeOutcome outcome = msg.error() == null
        ? msg.outcome() : GradeOutcome.failed(CaseInfrastructureException.describe(cause(msg.error())));
    CaseResult result = caseResult(outcome);
    records.result(result);
    records.close();
    getContext().pipeToSelf(records.flushed(), (v, err) -> new RecordsFlushed(result, outcome, err));
    return this;
  }

  private Behavior<Command> onRecordsFlushed(RecordsFlushed msg) {
    if (msg.error() != null) {
      throw new CaseInfrastructureException(id(), "the case's files could not be written", cause(msg.error()));
    }
    CaseReport report = report(msg.result(), msg.outcome());
    if (journal == null) {
      replyTo.tell(report);
      return Behaviors.stopped();
    }
    String json;
    try {
      json = REPORT_JSON.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new CaseInfrastructureException(id(), "the case's result could not be serialised", e);
    }
    getContext().ask(CaseJournal.Ack.class, journal, journalTimeout(),
        ack -> new CaseJournal.Finish(json, ack), (ack, err) -> new FinishJournalled(report, err));
    return this;
  }

  private Behavior<Command> onPreRestart(PreRestart signal) {
    release();
    if (replyTo != null) {
      // The mailbox survives a restart: the fresh instance gets this Start and runs the case
      // again, once this attempt's writes are done (its new trace must not race the old one).
      ActorRef<Command> self = getContext().getSelf();
      Start again = new Start(replyTo, progressTo);
      records.flushed().whenComplete((v, e) -> self.tell(again));
    }
    return this;
  }

  private Behavior<Command> release() {
    // A model call chained to a journal write must not start once the case is gone: it would
    // spend money that nothing records. The journal child stops with this actor, so the write's
    // acknowledgement seldom comes after this point; when it was already on its way, this stops
    // the call before it starts.
    if (chainedCall != null) {
      chainedCall.cancel(false);
      chainedCall = null;
    }
    releaseShell();
    records.close();
    return this;
  }

  private void releaseShell() {
    Shell s = shell;
    shell = null;
    if (s != null) {
      CompletableFuture.runAsync(s::close, io);
    } else if (opening != null) {
      opening.thenAcceptAsync(Shell::close, io);
      opening = null;
    }
  }

  /** An infrastructure failure mid-loop: record how far the case got, then let the parent decide. */
  private CaseInfrastructureException abort(String what, Throwable error) {
    if (loop.exit().isEmpty()) {
      loop.fail(ExitStatus.INFRASTRUCTURE_ERROR, error.getClass().getSimpleName(),
          String.valueOf(error.getMessage()));
    }
    records.loopSummary(id(), loop.pricedCalls(), loop.exit().orElseThrow().finishedBy(),
        loop.costUsd(), loop.modelDistribution());
    saveTrajectory();
    return new CaseInfrastructureException(id(), what, error);
  }

  /**
   * Between steps the trajectory is saved at most once per {@link #TRAJECTORY_SAVE_INTERVAL_NANOS}:
   * rendering the whole conversation after every step costs time quadratic in its length (a few
   * ms a step at 30 steps), and the journal, not this file, is what a resume reads. The end of a
   * case, however it ends, always saves it.
   */
  private void saveTrajectoryNowAndThen() {
    long now = System.nanoTime();
    if (lastTrajectorySave == 0 || now - lastTrajectorySave >= TRAJECTORY_SAVE_INTERVAL_NANOS) {
      saveTrajectory();
    }
  }

  private void saveTrajectory() {
    lastTrajectorySave = System.nanoTime();
    LoopExit exit = loop.exit().orElse(null);
    records.trajectory(records.trajectoryWriter().render(loop.messages(), loop.costUsd(),
        loop.calls(), exit == null ? "" : exit.finishedBy(), exit == null ? "" : exit.submission()));
  }

  private CaseResult caseResult(GradeOutcome g) {
    LoopExit exit = loop.exit().orElseThrow();
    CaseFiles files = records.files();
    // The reference takes n_calls on a normal exit, and the loop_summary's priced count after an error.
    int stepCount = exit.agentError() == null ? loop.calls() : loop.pricedCalls();
    return new CaseResult(id(), g.resolved(), exit.submission(), g.patchApplied(), files.trace(),
        stepCount, loop.costUsd(), exit.finishedBy(), loop.modelDistribution(), exit.agentError(),
        g.evalError(), g.evalReportPath(), PrefixFingerprint.poolFingerprint(deps.pool().modelIds()),
        deps.agent().pricingSchemaVersion(), deps.agent().ttlPolicyName(), g.failToPassPass(),
        g.failToPassFail(), g.passToPassPass(), g.passToPassFail(), spec.task().repo(),
        files.trajectory());
  }

  private CaseReport report(CaseResult r, GradeOutcome g) {
    long now = System.currentTimeMillis();
    return new CaseReport(spec.runId(), id(), spec.routerLabel(), r.finishedBy(), r.resolved(),
        r.patchApplied(), InfraErrors.isInfrastructure(r.agentError(), r.evalError()),
        r.totalRouterCostUsd(), loop.calls(), loop.pricedCalls(),
        r.patch() == null ? "" : r.patch(), r.agentError(), r.evalError(),
        loop.modelDistribution(), startedAtMs, now - startedAtMs,
        records.files().result().toString());
  }

  private TrajectoryWriter trajectoryWriter(CaseFiles files) {
    Map<String, Object> agent = new LinkedHashMap<>();
    agent.put("system_template", deps.templates().system());
    agent.put("instance_template", deps.templates().instance());
    agent.put("step_limit", deps.limits().stepLimit());
    agent.put("cost_limit", deps.limits().costLimitUsd());
    agent.put("action_format", deps.agent().actionFormat().name().toLowerCase());
    agent.put("max_consecutive_format_errors", deps.agent().maxConsecutiveFormatErrors());
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("pool_model_ids", deps.pool().modelIds());
    model.put("pricing_schema_version", deps.agent().pricingSchemaVersion());
    model.put("observation_template", deps.templates().observation());
    model.put("format_error_template", deps.templates().formatError());
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("cwd", "/testbed");
    env.put("env", new LinkedHashMap<>(deps.agent().commandEnv()));
    env.put("timeout", deps.limits().commandTimeout().toSeconds());
    env.put("interpreter", List.of("bash", "-c"));
    return new TrajectoryWriter(files.trajectory(), id(), agent, model, env);
  }

  private String id() {
    return spec.task().instanceId();
  }

  // --- blocking calls, only ever run on the blocking dispatcher ---

  private Shell open() {
    try {
      return deps.shells().open(spec.task());
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }

  private ModelTurn complete(PoolModel model, List<Map<String, Object>> messages,
      List<Map<String, Object>> tools) {
    try {
      return deps.model().complete(model, messages, tools);
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }

  private static ShellResult exec(Shell s, String command, java.time.Duration timeout) {
    if (s == null) {
      throw new CompletionException(new IllegalStateException("the case's sandbox is closed"));
    }
    try {
      return s.exec(command, timeout);
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }

  private GradeOutcome grade(String patch) {
    try {
      return deps.grader().grade(spec.task(), patch);
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }

  private RouterFailure routerFailure(Throwable error) {
    if (error instanceof RouterFailure f) {
      return f;
    }
    if (error instanceof TimeoutException) {
      return RouterFailure.deadline(deps.limits().selectTimeout().toMillis() / 1000.0);
    }
    return RouterFailure.raised(error);
  }

  private static Throwable cause(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
