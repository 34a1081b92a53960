package io.twinrouter.orchestrator.cluster;

import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.orchestrator.cluster.CoordinatorState.RunState;
import io.twinrouter.orchestrator.run.CaseResult;
import io.twinrouter.scoring.service.LiveRuns;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The cluster's run coordinator, a cluster singleton: takes submitted runs, wakes their cases
 * (sharded {@link CaseEntity}s), decides whether a case may start when the run has a budget,
 * keeps the first result of each case (a case re-run after a node loss reports again: the
 * duplicate is acknowledged and ignored), tells the submitting client and the live-run registry
 * ({@link RegistryFeed}) the run's progress, keeps each case's files as its node stored them
 * ({@link StoredFile}) for clients to page through, stops a run on a set-up mistake, and ends it
 * once every case has a result or was held back (the client then writes the run's files).
 * Its state is event-sourced on the shared journal, so when its node is lost it resumes on the
 * next oldest node and wakes the cases that have no result yet. Per-step progress is kept in
 * memory only.
 */
public final class RunCoordinator
    extends EventSourcedBehavior<RunCoordinator.Command, RunCoordinator.Event, CoordinatorState> {

  public sealed interface Command {}

  /** Runs {@code spec}; {@code client} hears {@link RunUpdate}s until the run is finished. */
  public record SubmitRun(ClusterRunSpec spec, ActorRef<RunUpdate> client)
      implements Command, ClusterMessage {}

  /** A case entity asks for its run; {@code spec} is null for a run this cluster never got. */
  public record GetCase(String runId, String caseId, ActorRef<CaseInfo> replyTo)
      implements Command, ClusterMessage {}

  public record CaseInfo(ClusterRunSpec spec, boolean finished) implements ClusterMessage {}

  /** A case started (steps 0) or finished a step on {@code node}. */
  public record CaseProgressed(String runId, String caseId, int steps, double spendUsd, String node)
      implements Command, ClusterMessage {}

  /**
   * A case's result, from {@code node}; {@code files} are the case's files in the journal, found
   * under {@code nodeOut} on the node (see {@link CaseOutputs}).
   */
  public record CaseDone(String runId, CaseResult result, String node, List<FileRef> files,
      String nodeOut, ActorRef<DoneAck> replyTo) implements Command, ClusterMessage {}

  public record DoneAck(String caseId) implements ClusterMessage {}

  /**
   * A case entity holding a slot asks whether it may start: no once the run's spend reached its
   * budget (the case is then not started, as in a single-node run), yes for a case admitted
   * before (it resumes after a node loss), no for a finished case or an unknown run.
   */
  public record MayStart(String runId, String caseId, ActorRef<StartAnswer> replyTo)
      implements Command, ClusterMessage {}

  public record StartAnswer(boolean start) implements ClusterMessage {}

  /**
   * What a client sees of its run; {@code done} counts the cases the budget kept from starting.
   *
   * @param finished every case has a result or was held back: the client writes the run's files
   * @param error why the client cannot follow the run (an unknown run), else null
   * @param stopped why a set-up mistake stopped the run, else null
   */
  public record RunUpdate(String runId, int total, int done, int running, int failed, long steps,
      double spendUsd, boolean finished, String error, ClusterClient.RunStop stopped)
      implements ClusterMessage {}

  /** A case entity found a set-up mistake on its node: the run stops. */
  public record StopRun(String runId, ClusterClient.RunStop stop)
      implements Command, ClusterMessage {}

  /**
   * A client (a new one after the first died) follows a run it did not submit from now on,
   * writing into {@code out}; {@code replyTo} hears the run's spec, null for an unknown run.
   */
  public record AttachRun(String runId, String out, ActorRef<RunUpdate> client,
      ActorRef<ClusterClient.RunInfo> replyTo)
      implements Command, ClusterMessage {}

  /** Asks for the run's recorded cases from the {@code from}-th on, in the order recorded. */
  public record GetCases(String runId, int from, ActorRef<ClusterClient.CasesPage> replyTo)
      implements Command, ClusterMessage {}

  /**
   * Sent by the live-run registry singleton when it starts: asks for every run the coordinator
   * knows, since a registry that moved to another node starts empty (see {@link RegistryFeed}).
   */
  public enum PublishRuns implements Command, ClusterMessage { INSTANCE }

  /** To itself only, so never serialised. */
  private record EndRun(String runId)
      implements Command, org.apache.pekko.actor.NoSerializationVerificationNeeded {}

  public sealed interface Event extends ClusterMessage {}

  public record RunSubmitted(ClusterRunSpec spec, ActorRef<RunUpdate> client) implements Event {}

  /** {@code files} and {@code nodeOut} are null in runs journalled before they were carried. */
  public record CaseRecorded(String runId, CaseResult result, String node, List<FileRef> files,
      String nodeOut) implements Event {}

  /** The end of a run journalled when the coordinator wrote its files (clients write them now). */
  public record RunFilesWritten(String runId, String scoreFile) implements Event {}

  /** Every case has a result or was held back. */
  public record RunEnded(String runId) implements Event {}

  /** A set-up mistake stopped the run (until it is submitted again). */
  public record RunStopped(String runId, ClusterClient.RunStop stop) implements Event {}

  /** A client attached to the run: it hears the run's updates, and its {@code out} is the run's. */
  public record ClientAttached(String runId, ActorRef<RunUpdate> client, String out)
      implements Event {}

  /** A case of a run with a budget started (it runs to its end whatever the spend). */
  public record CaseAdmitted(String runId, String caseId) implements Event {}

  /** The budget kept a case from starting. */
  public record CaseHeldBack(String runId, String caseId) implements Event {}

  /** A running case as last reported (memory only). */
  record Live(int steps, double spendUsd, String node) {}

  public static final PersistenceId PERSISTENCE_ID = PersistenceId.ofUniqueId("twinrouter-run-coordinator");

  private final ActorContext<Command> ctx;
  private final Map<String, Map<String, Live>> live = new HashMap<>();
  private final BudgetGate budgetGate = new BudgetGate();
  private final Map<String, Integer> duplicates = new HashMap<>();
  private final RegistryFeed registry;

  public static Behavior<Command> create(TwinrouterSettings settings) {
    return Behaviors.<Command>supervise(
            Behaviors.setup(ctx -> new RunCoordinator(ctx, settings)))
        .onFailure(SupervisorStrategy.restartWithBackoff(
            settings.raw().getDuration("twinrouter.cluster.coordinator-min-backoff"),
            settings.raw().getDuration("twinrouter.cluster.coordinator-max-backoff"), 0.2));
  }

  private RunCoordinator(ActorContext<Command> ctx, TwinrouterSettings settings) {
    super(PERSISTENCE_ID);
    this.ctx = ctx;
    ActorRef<LiveRuns.Command> registryProxy = ClusterNode.liveRuns(ctx.getSystem(), settings);
    this.registry = new RegistryFeed(u -> registryProxy.tell(new LiveRuns.Update(u)), settings);
  }

  @Override
  public CoordinatorState emptyState() {
    return new CoordinatorState();
  }

  @Override
  public CommandHandler<Command, Event, CoordinatorState> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(SubmitRun.class, this::onSubmit)
        .onCommand(GetCase.class, this::onGetCase)
        .onCommand(CaseProgressed.class, this::onProgressed)
        .onCommand(CaseDone.class, this::onDone)
        .onCommand(AttachRun.class, this::onAttach)
        .onCommand(GetCases.class, this::onGetCases)
        .onCommand(EndRun.class, this::onEndRun)
        .onCommand(StopRun.class, this::onStopRun)
        .onCommand(MayStart.class, this::onMayStart)
        .onCommand(PublishRuns.class, (state, m) -> {
          publishAll(state);
          return Effect().none();
        })
        .build();
  }

  @Override
  public EventHandler<CoordinatorState, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(CoordinatorState::apply);
  }

  @Override
  public SignalHandler<CoordinatorState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> {
          // a registry that outlived the coordinator's old node keeps its runs: re-telling them
          // is harmless and covers one that moved with the coordinator before asking
          publishAll(state);
          state.runs.values().forEach(budgetGate::recovered);
          state.runs.values().stream()
              .filter(run -> !run.ended && run.stopped == null)
              .forEach(run -> {
                ctx.getLog().info("run {}: coordinator recovered with {}/{} cases done",
                    run.spec.runId(), run.results.size(), run.spec.caseIds().size());
                wakeOrFinish(run);
              });
        })
        .build();
  }

  private void publishAll(CoordinatorState state) {
    state.runs.values().forEach(this::publish);
  }

  private void publish(RunState run) {
    registry.snapshot(run.spec, run.results.values(), List.copyOf(run.notStarted),
        live.getOrDefault(run.spec.runId(), Map.of()), run.ended);
  }

  private Effect<Event, CoordinatorState> onSubmit(CoordinatorState state, SubmitRun m) {
    RunState known = state.runs.get(m.spec().runId());
    if (known != null && known.ended) {
      m.client().tell(known.update(live.getOrDefault(known.spec.runId(), Map.of())));
      return Effect().none();
    }
    return Effect().persist(new RunSubmitted(m.spec(), m.client())).thenRun(s -> {
      RunState run = s.runs.get(m.spec().runId());
      ctx.getLog().info("run {} submitted: {} case(s)", run.spec.runId(), run.spec.caseIds().size());
      publish(run);
      wakeOrFinish(run);
      run.client.tell(run.update(live.getOrDefault(run.spec.runId(), Map.of())));
    });
  }

  private Effect<Event, CoordinatorState> onGetCase(CoordinatorState state, GetCase m) {
    RunState run = state.runs.get(m.runId());
    m.replyTo().tell(run == null
        ? new CaseInfo(null, false)
        : new CaseInfo(run.spec, run.over(m.caseId()) || run.stopped != null));
    return Effect().none();
  }

  private Effect<Event, CoordinatorState> onMayStart(CoordinatorState state, MayStart m) {
    RunState run = state.runs.get(m.runId());
    if (run == null || run.over(m.caseId()) || run.stopped != null) {
      m.replyTo().tell(new StartAnswer(false));
      return Effect().none();
    }
    Double budget = run.spec.budgetUsd();
    if (budget == null || run.admitted.contains(m.caseId())) {
      m.replyTo().tell(new StartAnswer(true));
      return Effect().none();
    }
    if (budgetGate.holds(m)) {
      return Effect().none();
    }
    if (run.spendSoFar(live.getOrDefault(m.runId(), Map.of())) < budget) {
      return Effect().persist(new CaseAdmitted(m.runId(), m.caseId()))
          .thenRun(s -> m.replyTo().tell(new StartAnswer(true)));
    }
    return Effect().persist(new CaseHeldBack(m.runId(), m.caseId())).thenRun(s -> {
      ctx.getLog().info("run {}: budget ${} reached; case {} not started", m.runId(), budget,
          m.caseId());
      m.replyTo().tell(new StartAnswer(false));
      tellClient(run);
      if (run.allDone()) {
        end(run);
      }
    });
  }

  private Effect<Event, CoordinatorState> onAttach(CoordinatorState state, AttachRun m) {
    RunState run = state.runs.get(m.runId());
    if (run == null) {
      m.replyTo().tell(new ClusterClient.RunInfo(null));
      return Effect().none();
    }
    return Effect().persist(new ClientAttached(m.runId(), m.client(), m.out())).thenRun(s -> {
      ctx.getLog().info("run {}: a client attached, writing into {}", m.runId(), m.out());
      publish(run); // the registry names the run's folder: the attached client's now
      m.replyTo().tell(new ClusterClient.RunInfo(run.spec));
      tellClient(run);
    });
  }

  private Effect<Event, CoordinatorState> onEndRun(CoordinatorState state, EndRun m) {
    RunState run = state.runs.get(m.runId());
    if (run.ended || !run.allDone()) {
      return Effect().none();
    }
    return Effect().persist(new RunEnded(m.runId())).thenRun(s -> {
      ctx.getLog().info("run {} ended: {} result(s), {} not started", m.runId(),
          run.results.size(), run.notStarted.size());
      registry.runFinished(m.runId(), run.results.values(), List.copyOf(run.notStarted));
      tellClient(run);
    });
  }

  private Effect<Event, CoordinatorState> onStopRun(CoordinatorState state, StopRun m) {
    RunState run = state.runs.get(m.runId());
    if (run == null || run.ended || run.stopped != null) {
      return Effect().none();
    }
    return Effect().persist(new RunStopped(m.runId(), m.stop())).thenRun(s -> {
      ctx.getLog().warn("run {} stopped: {}", m.runId(), m.stop().reason());
      tellUnfinished(run, new CaseEntity.Halt(m.runId()));
      tellClient(run);
    });
  }

  private Effect<Event, CoordinatorState> onGetCases(CoordinatorState state, GetCases m) {
    RunState run = state.runs.get(m.runId());
    m.replyTo().tell(run == null
        ? new ClusterClient.CasesPage(List.of(), 0, false, List.of(), 0, null)
        : run.page(m.from(), duplicates.getOrDefault(m.runId(), 0)));
    return Effect().none();
  }

  private Effect<Event, CoordinatorState> onProgressed(CoordinatorState state, CaseProgressed m) {
    RunState run = state.runs.get(m.runId());
    if (run == null || run.results.containsKey(m.caseId())) {
      return Effect().none();
    }
    live.computeIfAbsent(m.runId(), id -> new HashMap<>())
        .put(m.caseId(), new Live(m.steps(), m.spendUsd(), m.node()));
    registry.progressed(m.runId(), m.caseId(), m.steps(), m.spendUsd());
    tellClient(run);
    heard(m.runId(), m.caseId());
    return Effect().none();
  }

  /**
   * The case's spend is known again. When that was the run's last unknown one, the questions
   * that waited are asked again (to this actor, so each is answered and journalled as usual).
   */
  private void heard(String runId, String caseId) {
    budgetGate.heard(runId, caseId).ifPresent(waiting -> {
      ctx.getLog().info("run {}: every admitted case's spend is known again; {} case(s) waited to"
          + " start", runId, waiting.size());
      waiting.forEach(ctx.getSelf()::tell);
    });
  }

  private Effect<Event, CoordinatorState> onDone(CoordinatorState state, CaseDone m) {
    RunState run = state.runs.get(m.runId());
    String caseId = m.result().caseId();
    if (run == null || run.results.containsKey(caseId)) {
      if (run != null) {
        duplicates.merge(m.runId(), 1, Integer::sum);
        ctx.getLog().info("case {} reported again from {}: kept the first result", caseId, m.node());
      }
      m.replyTo().tell(new DoneAck(caseId));
      return Effect().none();
    }
    heard(m.runId(), caseId);
    return Effect().persist(
        new CaseRecorded(m.runId(), m.result(), m.node(), m.files(), m.nodeOut())).thenRun(s -> {
      m.replyTo().tell(new DoneAck(caseId));
      live.getOrDefault(m.runId(), new HashMap<>()).remove(caseId);
      registry.caseFinished(m.runId(), m.result());
      tellClient(run);
      if (run.allDone()) {
        end(run);
      }
    });
  }

  /** Wakes every case without a result (a running entity ignores it), or finishes the run. */
  private void wakeOrFinish(RunState run) {
    if (run.allDone()) {
      end(run);
      return;
    }
    tellUnfinished(run, new CaseEntity.Wake(run.spec.runId()));
  }

  private void tellUnfinished(RunState run, CaseEntity.Command message) {
    ClusterSharding sharding = ClusterSharding.get(ctx.getSystem());
    run.spec.caseIds().stream().filter(id -> !run.over(id)).forEach(id -> sharding.entityRefFor(
        CaseEntity.TYPE_KEY, ClusterRunSpec.entityId(run.spec.runId(), id)).tell(message));
  }

  /**
   * The run is over: journalled once (a recovered coordinator ends an ended run no more), then
   * the registry scores it and the client writes the run's files.
   */
  private void end(RunState run) {
    ctx.getSelf().tell(new EndRun(run.spec.runId()));
  }

  private void tellClient(RunState run) {
    if (run.client != null) {
      run.client.tell(run.update(live.getOrDefault(run.spec.runId(), Map.of())));
    }
  }
}
