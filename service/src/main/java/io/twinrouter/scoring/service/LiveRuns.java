package io.twinrouter.scoring.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.protocol.LiveRunUpdate;
import io.twinrouter.scoring.live.CaseOutcome;
import io.twinrouter.scoring.live.FinishedRun;
import io.twinrouter.scoring.live.LiveScorer;
import io.twinrouter.scoring.live.RunDirectory;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The registry of live runs the scoring service serves: runs in progress, fed by their {@link
 * LiveRunUpdate}s (case reports included), and finished runs loaded from their directories. Per
 * run it keeps each case's state and spend and the running totals; the score of a finished run is
 * the reference's score.json, computed by {@link LiveScorer} from the cases' reports, so it
 * equals the file the run wrote. Subscribers (server-sent events) get one event per case update
 * and a final {@code done}.
 */
public final class LiveRuns extends AbstractBehavior<LiveRuns.Command> {

  public sealed interface Command {}

  /**
   * Marks the messages that may cross the nodes of a cluster, where the registry is a cluster
   * singleton: requests, replies and stream items. A cluster binds it to a serializer (the
   * orchestrator binds it to Jackson JSON); every type it marks is a plain record or enum.
   */
  public interface CrossNode {}

  /** A run's progress: sent by the run as it goes, in order. */
  public record Update(LiveRunUpdate update) implements Command, CrossNode {}

  /** A finished run read from its directory ({@code serve --runs}). */
  public record LoadFinished(FinishedRun run) implements Command {}

  public record ListRuns(ActorRef<RunList> replyTo) implements Command, CrossNode {}

  /** Every run the registry knows, in the order they started. */
  public record RunList(@JsonProperty("runs") List<LiveRunView.Summary> runs) implements CrossNode {
    public RunList {
      runs = List.copyOf(runs);
    }
  }

  public record GetRun(String runId, ActorRef<RunAnswer> replyTo) implements Command, CrossNode {}

  /** @param run empty for an unknown run */
  public record RunAnswer(Optional<LiveRunView.Detail> run) implements CrossNode {}

  public record GetScore(String runId, ActorRef<ScoreAnswer> replyTo)
      implements Command, CrossNode {}

  /**
   * Streams the run to {@code subscriber}: the current state of every case, then each case update
   * as it happens, then {@link Done} and {@link End}. An unknown run gets {@link End} at once.
   */
  public record Subscribe(String runId, ActorRef<StreamItem> subscriber)
      implements Command, CrossNode {}

  /**
   * @param run empty for an unknown run
   * @param score empty while the run is still going
   */
  public record ScoreAnswer(Optional<LiveRunView.Summary> run, Optional<ObjectNode> score)
      implements CrossNode {}

  /** What a subscriber receives. */
  public sealed interface StreamItem extends CrossNode {}

  public record CaseUpdate(String runId, LiveRunView.Case update) implements StreamItem {}

  public record Done(LiveRunView.Summary run) implements StreamItem {}

  /** The end of the stream (after {@link Done}, or at once for an unknown run). */
  public enum End implements StreamItem { INSTANCE }

  private record ReusedLoaded(String runId, List<CaseOutcome> outcomes, Throwable failure)
      implements Command {}

  /** @param io runs the file reads of resumed runs (the cases an earlier invocation finished) */
  public static Behavior<Command> create(Executor io) {
    return Behaviors.setup(ctx -> new LiveRuns(ctx, io));
  }

  private final Executor io;
  private final Map<String, RegisteredRun> runs = new LinkedHashMap<>();

  private LiveRuns(ActorContext<Command> ctx, Executor io) {
    super(ctx);
    this.io = io;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Update.class, m -> onUpdate(m.update()))
        .onMessage(LoadFinished.class, this::onLoadFinished)
        .onMessage(ReusedLoaded.class, this::onReusedLoaded)
        .onMessage(ListRuns.class, m -> {
          m.replyTo().tell(new RunList(runs.values().stream().map(RegisteredRun::summary).toList()));
          return this;
        })
        .onMessage(GetRun.class, m -> {
          m.replyTo().tell(new RunAnswer(find(m.runId()).map(RegisteredRun::detail)));
          return this;
        })
        .onMessage(GetScore.class, this::onGetScore)
        .onMessage(Subscribe.class, this::onSubscribe)
        .onSignal(Terminated.class, this::onSubscriberGone)
        .build();
  }

  private Optional<RegisteredRun> find(String runId) {
    return Optional.ofNullable(runs.get(runId));
  }

  private Behavior<Command> onUpdate(LiveRunUpdate update) {
    if (update instanceof LiveRunUpdate.RunStarted started) {
      onRunStarted(started);
      return this;
    }
    RegisteredRun run = runs.get(update.runId());
    if (run == null) {
      getContext().getLog().warn("update for unknown run {} ignored: {}", update.runId(), update);
      return this;
    }
    if (update instanceof LiveRunUpdate.CaseStarted s) {
      run.publish(run.caseStarted(s.instanceId()));
    } else if (update instanceof LiveRunUpdate.CaseStepped s) {
      run.publish(run.caseStepped(s.instanceId(), s.steps(), s.spendUsd()));
    } else if (update instanceof LiveRunUpdate.CaseRestarting s) {
      run.publish(run.caseRestarting(s.instanceId(), s.attempt()));
    } else if (update instanceof LiveRunUpdate.CaseFinished s) {
      run.publish(run.caseFinished(s));
    } else if (update instanceof LiveRunUpdate.RunFinished s) {
      run.runFinished(s);
      run.publishDoneIfReady(getContext());
    }
    return this;
  }

  private void onRunStarted(LiveRunUpdate.RunStarted s) {
    RegisteredRun previous = runs.remove(s.runId());
    RegisteredRun run = RegisteredRun.started(s);
    if (previous != null) {
      // the same run again (a resumed invocation): its followers keep following
      run.subscribers.addAll(previous.subscribers);
    }
    runs.put(s.runId(), run);
    getContext().getLog().info("live run {} ({}) started: {} case(s), {} reused", s.runId(),
        s.routerLabel(), s.caseIds().size(), s.reusedCaseIds().size());
    if (!s.reusedCaseIds().isEmpty()) {
      Set<String> reused = new HashSet<>(s.reusedCaseIds());
      Path dir = Path.of(s.runDir());
      CompletableFuture<List<CaseOutcome>> read = CompletableFuture.supplyAsync(
          () -> RunDirectory.read(dir).stream().filter(c -> reused.contains(c.instanceId())).toList(),
          io);
      getContext().pipeToSelf(read, (outcomes, failure) -> new ReusedLoaded(s.runId(), outcomes, failure));
    }
  }

  private Behavior<Command> onReusedLoaded(ReusedLoaded m) {
    RegisteredRun run = runs.get(m.runId());
    if (run == null) {
      return this;
    }
    if (m.failure() != null) {
      getContext().getLog().error("live run {}: cannot read the cases finished earlier: {}",
          m.runId(), m.failure().getMessage());
      run.reusedPending = false;
      run.reusedFailure = String.valueOf(m.failure().getMessage());
    } else {
      m.outcomes().forEach(o -> run.publish(run.caseReused(o)));
      run.reusedPending = false;
    }
    run.publishDoneIfReady(getContext());
    return this;
  }

  private Behavior<Command> onLoadFinished(LoadFinished m) {
    FinishedRun f = m.run();
    RegisteredRun run = RegisteredRun.loaded(f);
    runs.put(f.runId(), run);
    getContext().getLog().info("live run {} ({}) loaded from {}", f.runId(), f.routerLabel(), f.runDir());
    return this;
  }

  private Behavior<Command> onGetScore(GetScore m) {
    RegisteredRun run = runs.get(m.runId());
    if (run == null) {
      m.replyTo().tell(new ScoreAnswer(Optional.empty(), Optional.empty()));
    } else {
      m.replyTo().tell(new ScoreAnswer(Optional.of(run.summary()), run.score()));
    }
    return this;
  }

  private Behavior<Command> onSubscribe(Subscribe m) {
    RegisteredRun run = runs.get(m.runId());
    if (run == null) {
      m.subscriber().tell(End.INSTANCE);
      return this;
    }
    run.cases.values().forEach(c -> m.subscriber().tell(new CaseUpdate(run.id, c.view())));
    if (run.done()) {
      m.subscriber().tell(new Done(run.summary()));
      m.subscriber().tell(End.INSTANCE);
    } else {
      run.subscribers.add(m.subscriber());
      getContext().watch(m.subscriber());
    }
    return this;
  }

  private Behavior<Command> onSubscriberGone(Terminated t) {
    runs.values().forEach(r -> r.subscribers.remove(t.getRef()));
    return this;
  }
}
