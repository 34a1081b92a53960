package io.twinrouter.scoring.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.protocol.LiveRunUpdate;
import io.twinrouter.scoring.live.CaseOutcome;
import io.twinrouter.scoring.live.FinishedRun;
import io.twinrouter.scoring.live.LiveScorer;
import io.twinrouter.scoring.live.RunDirectory;
import io.twinrouter.scoring.live.RunEnding;
import io.twinrouter.scoring.live.RunIdentity;
import io.twinrouter.scoring.live.ScoreOptions;
import io.twinrouter.scoring.service.LiveRunView.CaseState;
import java.nio.file.Path;
import java.util.ArrayList;
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
  private final Map<String, Run> runs = new LinkedHashMap<>();

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
          m.replyTo().tell(new RunList(runs.values().stream().map(Run::summary).toList()));
          return this;
        })
        .onMessage(GetRun.class, m -> {
          m.replyTo().tell(new RunAnswer(find(m.runId()).map(Run::detail)));
          return this;
        })
        .onMessage(GetScore.class, this::onGetScore)
        .onMessage(Subscribe.class, this::onSubscribe)
        .onSignal(Terminated.class, this::onSubscriberGone)
        .build();
  }

  private Optional<Run> find(String runId) {
    return Optional.ofNullable(runs.get(runId));
  }

  private Behavior<Command> onUpdate(LiveRunUpdate update) {
    if (update instanceof LiveRunUpdate.RunStarted started) {
      onRunStarted(started);
      return this;
    }
    Run run = runs.get(update.runId());
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
    Run previous = runs.remove(s.runId());
    Run run = Run.started(s);
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
    Run run = runs.get(m.runId());
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
    Run run = Run.loaded(f);
    runs.put(f.runId(), run);
    getContext().getLog().info("live run {} ({}) loaded from {}", f.runId(), f.routerLabel(), f.runDir());
    return this;
  }

  private Behavior<Command> onGetScore(GetScore m) {
    Run run = runs.get(m.runId());
    if (run == null) {
      m.replyTo().tell(new ScoreAnswer(Optional.empty(), Optional.empty()));
    } else {
      m.replyTo().tell(new ScoreAnswer(Optional.of(run.summary()), run.score()));
    }
    return this;
  }

  private Behavior<Command> onSubscribe(Subscribe m) {
    Run run = runs.get(m.runId());
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

  /** One run's state; mutated by the registry only. */
  private static final class Run {
    final String id;
    final String router;
    final String runDir;
    final Map<String, CaseEntry> cases = new LinkedHashMap<>();
    final Map<String, CaseOutcome> outcomes = new LinkedHashMap<>();
    final List<ActorRef<StreamItem>> subscribers = new ArrayList<>();
    RunIdentity identity;
    double penaltyUsd;
    Optional<Double> budgetUsd = Optional.empty();
    RunEnding ending;
    ObjectNode loadedScore;
    boolean reusedPending;
    String reusedFailure;

    private Run(String id, String router, String runDir) {
      this.id = id;
      this.router = router;
      this.runDir = runDir;
    }

    static Run started(LiveRunUpdate.RunStarted s) {
      Run r = new Run(s.runId(), s.routerLabel(), s.runDir());
      // score.json's run_dir: the run writes its directory there too
      r.identity = new RunIdentity(s.routerLabel(), s.runDir(), s.poolFingerprint(),
          s.pricingSchemaVersion(), s.highBaselineModelId());
      r.penaltyUsd = s.failurePenaltyUsd();
      r.budgetUsd = Optional.ofNullable(s.budgetUsd());
      s.caseIds().forEach(id -> r.cases.put(id, new CaseEntry(id)));
      r.reusedPending = !s.reusedCaseIds().isEmpty();
      return r;
    }

    static Run loaded(FinishedRun f) {
      Run r = new Run(f.runId(), f.routerLabel(), f.runDir());
      r.loadedScore = f.score();
      for (JsonNode row : f.score().path("per_instance")) {
        CaseEntry c = new CaseEntry(row.path("instance_id").asText());
        c.state = CaseState.FINISHED;
        c.steps = row.path("step_count").asInt();
        c.spendUsd = row.path("router_actual_cost_usd").asDouble();
        c.resolved = row.path("resolved").asBoolean();
        r.cases.put(c.id, c);
      }
      for (JsonNode id : f.score().path("infrastructure_errors")) {
        CaseEntry c = r.cases.computeIfAbsent(id.asText(), CaseEntry::new);
        c.state = CaseState.INFRA_ERROR;
      }
      return r;
    }

    boolean done() {
      return loadedScore != null || (ending != null && !reusedPending);
    }

    Optional<ObjectNode> score() {
      if (loadedScore != null) {
        return Optional.of(loadedScore.deepCopy());
      }
      if (!done()) {
        return Optional.empty();
      }
      ScoreOptions options = ScoreOptions.defaults(penaltyUsd);
      ObjectNode score = LiveScorer.score(identity, List.copyOf(outcomes.values()), options);
      return Optional.of(ending.addTo(score));
    }

    CaseEntry entry(String caseId) {
      return cases.computeIfAbsent(caseId, CaseEntry::new);
    }

    CaseEntry caseStarted(String caseId) {
      CaseEntry c = entry(caseId);
      c.state = CaseState.RUNNING;
      return c;
    }

    CaseEntry caseStepped(String caseId, int steps, double spendUsd) {
      CaseEntry c = entry(caseId);
      c.state = CaseState.RUNNING;
      c.steps = steps;
      c.spendUsd = spendUsd;
      return c;
    }

    CaseEntry caseRestarting(String caseId, int attempt) {
      CaseEntry c = entry(caseId);
      c.state = CaseState.RESTARTING;
      c.restarts = attempt;
      return c;
    }

    CaseEntry caseFinished(LiveRunUpdate.CaseFinished f) {
      CaseEntry c = entry(f.instanceId());
      c.steps = f.steps();
      c.spendUsd = f.spendUsd();
      c.detail = f.detail();
      if (f.givenUp()) {
        c.state = CaseState.INFRA_ERROR;
        c.exitStatus = "InfrastructureError";
      } else {
        c.state = CaseState.FINISHED;
        c.resolved = f.report().resolved();
        c.exitStatus = f.report().exitStatus();
        outcomes.put(f.instanceId(), CaseOutcome.of(f.report()));
      }
      return c;
    }

    CaseEntry caseReused(CaseOutcome o) {
      CaseEntry c = entry(o.instanceId());
      c.state = CaseState.FINISHED;
      c.steps = o.stepCount();
      c.spendUsd = o.apiCostUsd();
      c.resolved = o.resolved();
      outcomes.put(o.instanceId(), o);
      return c;
    }

    void runFinished(LiveRunUpdate.RunFinished f) {
      ending = new RunEnding(id, f.budgetReached(), budgetUsd, f.notStarted().size(),
          f.infrastructureErrors());
      f.notStarted().forEach(caseId -> entry(caseId).state = CaseState.NOT_STARTED);
    }

    void publish(CaseEntry c) {
      if (subscribers.isEmpty()) {
        return;
      }
      CaseUpdate update = new CaseUpdate(id, c.view());
      subscribers.forEach(s -> s.tell(update));
    }

    void publishDoneIfReady(ActorContext<Command> ctx) {
      if (!done()) {
        return;
      }
      Done done = new Done(summary());
      for (ActorRef<StreamItem> s : subscribers) {
        s.tell(done);
        s.tell(End.INSTANCE);
        ctx.unwatch(s);
      }
      subscribers.clear();
    }

    LiveRunView.Summary summary() {
      int[] byState = new int[CaseState.values().length];
      long steps = 0;
      double spend = 0;
      int resolved = 0;
      for (CaseEntry c : cases.values()) {
        byState[c.state.ordinal()]++;
        steps += c.steps;
        spend += c.spendUsd;
        if (Boolean.TRUE.equals(c.resolved)) {
          resolved++;
        }
      }
      LiveRunView.Progress progress = new LiveRunView.Progress(cases.size(),
          byState[CaseState.QUEUED.ordinal()], byState[CaseState.RUNNING.ordinal()],
          byState[CaseState.RESTARTING.ordinal()], byState[CaseState.FINISHED.ordinal()],
          byState[CaseState.INFRA_ERROR.ordinal()], byState[CaseState.NOT_STARTED.ordinal()]);
      return new LiveRunView.Summary(id, router, done() ? "finished" : "running", runDir,
          progress, steps, spend, resolved);
    }

    LiveRunView.Detail detail() {
      return new LiveRunView.Detail(summary(), cases.values().stream().map(CaseEntry::view).toList());
    }
  }

  private static final class CaseEntry {
    final String id;
    CaseState state = CaseState.QUEUED;
    int steps;
    double spendUsd;
    Boolean resolved;
    int restarts;
    String exitStatus;
    String detail;

    CaseEntry(String id) {
      this.id = id;
    }

    LiveRunView.Case view() {
      return new LiveRunView.Case(id, state, steps, spendUsd, resolved, restarts, exitStatus, detail);
    }
  }
}
