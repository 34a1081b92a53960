package io.twinrouter.orchestrator.cluster;

import io.twinrouter.agent.casework.CaseRunner;
import io.twinrouter.orchestrator.run.CaseFactory;
import io.twinrouter.orchestrator.run.CaseResult;
import io.twinrouter.orchestrator.run.RunEvent;
import io.twinrouter.orchestrator.run.RunProgress;
import io.twinrouter.orchestrator.run.RunSupervisor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import io.twinrouter.agent.model.ModelSetupException;
import io.twinrouter.common.Failures;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One case of a clustered run, as a Cluster Sharding entity (id = run id + case id) with
 * remember-entities: when its node is lost, sharding starts it again on a survivor, where it
 * resumes from the case's journal. It asks the run coordinator for the run, opens the run on
 * this node, waits for one of the node's case slots, and runs the case under a one-case {@link
 * RunSupervisor} (the single-node run's restart-with-backoff and infrastructure-error rules).
 * It reports every step; once the case is over it stores the case's files in the journal
 * ({@link CaseOutputs}) and reports the result naming them until acknowledged; then it
 * passivates, so sharding forgets it.
 */
public final class CaseEntity extends AbstractBehavior<CaseEntity.Command> {

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "twinrouter-live-case");

  public sealed interface Command {}

  /** Sent by the coordinator: makes sharding start the entity (a running one ignores it). */
  public record Wake(String runId) implements Command, ClusterMessage {}

  /**
   * Sent by the coordinator when a set-up mistake stopped the run: the case stops where it is
   * (its journalled steps stay for the run's resumption) and reports nothing.
   */
  public record Halt(String runId) implements Command, ClusterMessage {}

  /** Sharding's stop message on passivation and hand-off. */
  public record Stop() implements Command {}

  private record Info(RunCoordinator.CaseInfo info, Throwable error) implements Command {}

  private record Opened(CaseFactory factory, Throwable error) implements Command {}

  private record SlotGranted() implements Command {}

  private record StartAnswered(RunCoordinator.StartAnswer answer, Throwable error)
      implements Command {}

  private record Event(RunEvent event) implements Command {}

  private record Finished(RunProgress progress) implements Command {}

  private record Acked(Throwable error) implements Command {}

  private record Uploaded(List<FileRef> files, Throwable error) implements Command {}

  private enum Retry implements Command { ASK_RUN, MAY_START, UPLOAD, REPORT }


  private final String runId;
  private final String caseId;
  private final String node;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final ActorRef<RunCoordinator.Command> coordinator;
  private final ActorRef<NodeSlots.Command> slots;
  private final NodeRuns runs;
  private final TimerScheduler<Command> timers;
  private final Executor io;
  private final Duration askTimeout;
  private final Duration askRetry;
  private ClusterRunSpec spec;
  private CaseFactory factory;
  private ActorRef<RunSupervisor.Command> supervisor;
  private CaseResult result;
  private List<FileRef> files;

  /**
   * The parts of an entity every entity of this node shares.
   *
   * @param askTimeout how long a question to the run coordinator waits for its answer
   *     ({@code twinrouter.cluster.ask-timeout})
   * @param askRetry the pause before an unanswered question is asked again
   *     ({@code twinrouter.cluster.ask-retry})
   */
  public record NodeParts(String node, ActorRef<RunCoordinator.Command> coordinator,
      ActorRef<NodeSlots.Command> slots, NodeRuns runs, Duration askTimeout, Duration askRetry) {}

  public static Behavior<Command> create(
      String entityId, ActorRef<ClusterSharding.ShardCommand> shard, NodeParts parts) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(
        timers -> new CaseEntity(ctx, timers, entityId, shard, parts)));
  }

  private CaseEntity(ActorContext<Command> ctx, TimerScheduler<Command> timers, String entityId,
      ActorRef<ClusterSharding.ShardCommand> shard, NodeParts parts) {
    super(ctx);
    int cut = entityId.lastIndexOf(ClusterRunSpec.SEPARATOR);
    this.runId = entityId.substring(0, Math.max(cut, 0));
    this.caseId = entityId.substring(cut + 1);
    this.node = parts.node();
    this.shard = shard;
    this.coordinator = parts.coordinator();
    this.slots = parts.slots();
    this.askTimeout = parts.askTimeout();
    this.askRetry = parts.askRetry();
    this.runs = parts.runs();
    this.timers = timers;
    this.io = ctx.getSystem().dispatchers().lookup(
        DispatcherSelector.fromConfig(CaseRunner.BLOCKING_DISPATCHER));
    askRun();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Wake.class, m -> this)
        .onMessage(Stop.class, m -> Behaviors.stopped())
        .onMessage(Halt.class, m -> halt())
        .onMessageEquals(Retry.ASK_RUN, this::askRun)
        .onMessageEquals(Retry.REPORT, this::report)
        .onMessageEquals(Retry.UPLOAD, this::upload)
        .onMessage(Uploaded.class, this::onUploaded)
        .onMessageEquals(Retry.MAY_START, this::askMayStart)
        .onMessage(StartAnswered.class, this::onStartAnswered)
        .onMessage(Info.class, this::onInfo)
        .onMessage(Opened.class, this::onOpened)
        .onMessage(SlotGranted.class, this::onSlot)
        .onMessage(Event.class, this::onEvent)
        .onMessage(Finished.class, this::onFinished)
        .onMessage(Acked.class, this::onAcked)
        .build();
  }

  /** The coordinator may be moving to another node: ask until it answers. */
  private Behavior<Command> askRun() {
    getContext().ask(RunCoordinator.CaseInfo.class, coordinator, askTimeout,
        replyTo -> new RunCoordinator.GetCase(runId, caseId, replyTo), Info::new);
    return this;
  }

  private Behavior<Command> onInfo(Info m) {
    if (spec != null) {
      return this; // a late answer to a retried question
    }
    if (m.error() != null) {
      timers.startSingleTimer(Retry.ASK_RUN, askRetry);
      return this;
    }
    if (m.info().spec() == null || m.info().finished()) {
      getContext().getLog().info("case {} of run {}: {}; nothing to do", caseId, runId,
          m.info().spec() == null ? "run unknown" : "already finished");
      return passivate();
    }
    spec = m.info().spec();
    getContext().pipeToSelf(
        CompletableFuture.supplyAsync(() -> runs.open(spec, getContext().getSystem()), io),
        Opened::new);
    return this;
  }

  private Behavior<Command> onOpened(Opened m) {
    Throwable cause = Failures.cause(m.error());
    if (cause instanceof NodeRuns.PreflightRefused refused) {
      coordinator.tell(new RunCoordinator.StopRun(runId,
          new ClusterClient.RunStop(refused.getMessage(), true)));
      return halt();
    }
    if (m.error() != null) {
      getContext().getLog().error("run {} cannot start on node {}", runId, node, m.error());
      return finish(new CaseResult(caseId, false, true, "InfrastructureError", 0, 0,
          "run could not start on node " + node + ": " + m.error().getMessage()));
    }
    factory = m.factory();
    slots.tell(new NodeSlots.Acquire(getContext().getSelf(),
        getContext().messageAdapter(NodeSlots.Granted.class, g -> new SlotGranted())));
    return this;
  }

  /** A run with a budget: the coordinator decides, as late as possible, whether the case starts. */
  private Behavior<Command> onSlot(SlotGranted m) {
    return spec.budgetUsd() == null ? start() : askMayStart();
  }

  private Behavior<Command> askMayStart() {
    getContext().ask(RunCoordinator.StartAnswer.class, coordinator, askTimeout,
        replyTo -> new RunCoordinator.MayStart(runId, caseId, replyTo), StartAnswered::new);
    return this;
  }

  private Behavior<Command> onStartAnswered(StartAnswered m) {
    if (supervisor != null) {
      return this; // a late answer to a retried question
    }
    if (m.error() != null) {
      timers.startSingleTimer(Retry.MAY_START, askRetry);
      return this;
    }
    if (m.answer().start()) {
      return start();
    }
    getContext().getLog().info("case {} of run {}: not started (budget reached)", caseId, runId);
    slots.tell(new NodeSlots.Release(getContext().getSelf()));
    return passivate();
  }

  private Behavior<Command> start() {
    RunSupervisor.Settings settings = new RunSupervisor.Settings(runId, 1, spec.restartCap(),
        Duration.ofMillis(spec.minBackoffMs()), Duration.ofMillis(spec.maxBackoffMs()),
        Optional.empty());
    supervisor = getContext().spawn(RunSupervisor.create(settings, List.of(caseId), factory,
        getContext().messageAdapter(RunProgress.class, Finished::new)), "run");
    supervisor.tell(new RunSupervisor.Subscribe(
        getContext().messageAdapter(RunEvent.class, Event::new)));
    coordinator.tell(new RunCoordinator.CaseProgressed(runId, caseId, 0, 0, node));
    getContext().getLog().info("case {} of run {} starts on node {}", caseId, runId, node);
    return this;
  }

  private Behavior<Command> onEvent(Event m) {
    if (m.event() instanceof RunEvent.CaseStepped s) {
      coordinator.tell(new RunCoordinator.CaseProgressed(
          runId, caseId, s.steps(), s.caseSpendUsd(), node));
    } else if (m.event() instanceof RunEvent.CaseRestarting r) {
      getContext().getLog().warn("case {} restarting (attempt {}): {}", caseId, r.attempt(), r.cause());
    }
    return this;
  }

  private Behavior<Command> onFinished(Finished m) {
    List<CaseResult> results = m.progress().results();
    Optional<ModelSetupException> mistake = runs.setupMistake(spec);
    if (mistake.isPresent() && (results.isEmpty() || results.get(0).infrastructureError())) {
      // as in a single-node run: the run stops, this case writes no result and resumes later
      coordinator.tell(new RunCoordinator.StopRun(runId, new ClusterClient.RunStop(
          "node " + node + ": " + mistake.get().getMessage(), false)));
      return halt();
    }
    CaseResult r = results.isEmpty()
        ? new CaseResult(caseId, false, true, "InfrastructureError", 0, 0, "no result")
        : results.get(0);
    return finish(r);
  }

  private Behavior<Command> finish(CaseResult r) {
    result = r;
    if (supervisor != null) {
      getContext().stop(supervisor);
      supervisor = null;
    }
    slots.tell(new NodeSlots.Release(getContext().getSelf()));
    return upload();
  }

  /** The case's files go into the journal before the report that names them. */
  private Behavior<Command> upload() {
    getContext().pipeToSelf(CaseOutputs.upload(getContext().getSystem(), io, runs.out(spec),
        runId, caseId, RunShipment.CHUNK_TIMEOUT), Uploaded::new);
    return this;
  }

  private Behavior<Command> onUploaded(Uploaded m) {
    if (m.error() != null) {
      getContext().getLog().warn("case {}: its files could not be stored yet: {}", caseId,
          m.error().getMessage());
      timers.startSingleTimer(Retry.UPLOAD, askRetry);
      return this;
    }
    files = m.files();
    return report();
  }

  /** Reports the result until the coordinator acknowledges it (it keeps the first one). */
  private Behavior<Command> report() {
    getContext().ask(RunCoordinator.DoneAck.class, coordinator, askTimeout,
        replyTo -> new RunCoordinator.CaseDone(runId, result, node, files,
            runs.out(spec).toAbsolutePath().toString(), replyTo),
        (ack, error) -> new Acked(error));
    return this;
  }

  private Behavior<Command> onAcked(Acked m) {
    if (m.error() != null) {
      timers.startSingleTimer(Retry.REPORT, askRetry);
      return this;
    }
    getContext().getLog().info("case {} of run {} reported from node {}", caseId, runId, node);
    return passivate();
  }

  /** Stops the case where it is, without a report: its run stopped. */
  private Behavior<Command> halt() {
    if (supervisor != null) {
      getContext().stop(supervisor);
      supervisor = null;
    }
    if (result == null) {
      slots.tell(new NodeSlots.Release(getContext().getSelf()));
      timers.cancelAll();
      return passivate();
    }
    return this; // over already: its report goes on until acknowledged
  }

  private Behavior<Command> passivate() {
    shard.tell(new ClusterSharding.Passivate<>(getContext().getSelf()));
    return this;
  }
}
