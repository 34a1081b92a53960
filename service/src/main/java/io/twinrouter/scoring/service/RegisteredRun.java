package io.twinrouter.scoring.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.protocol.LiveRunUpdate;
import io.twinrouter.scoring.live.CaseOutcome;
import io.twinrouter.scoring.live.FinishedRun;
import io.twinrouter.scoring.live.LiveScorer;
import io.twinrouter.scoring.live.RunEnding;
import io.twinrouter.scoring.live.RunIdentity;
import io.twinrouter.scoring.live.ScoreOptions;
import io.twinrouter.scoring.service.LiveRunView.CaseState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/** One run as the registry ({@link LiveRuns}) knows it; mutated by the registry only. */
final class RegisteredRun {
  final String id;
  final String router;
  final String runDir;
  final Map<String, CaseEntry> cases = new LinkedHashMap<>();
  final Map<String, CaseOutcome> outcomes = new LinkedHashMap<>();
  final List<ActorRef<LiveRuns.StreamItem>> subscribers = new ArrayList<>();
  RunIdentity identity;
  double penaltyUsd;
  Optional<Double> budgetUsd = Optional.empty();
  RunEnding ending;
  ObjectNode loadedScore;
  boolean reusedPending;
  String reusedFailure;

  private RegisteredRun(String id, String router, String runDir) {
    this.id = id;
    this.router = router;
    this.runDir = runDir;
  }

  static RegisteredRun started(LiveRunUpdate.RunStarted s) {
    RegisteredRun r = new RegisteredRun(s.runId(), s.routerLabel(), s.runDir());
    // score.json's run_dir: the run writes its directory there too
    r.identity = new RunIdentity(s.routerLabel(), s.runDir(), s.poolFingerprint(),
        s.pricingSchemaVersion(), s.highBaselineModelId());
    r.penaltyUsd = s.failurePenaltyUsd();
    r.budgetUsd = Optional.ofNullable(s.budgetUsd());
    s.caseIds().forEach(id -> r.cases.put(id, new CaseEntry(id)));
    r.reusedPending = !s.reusedCaseIds().isEmpty();
    return r;
  }

  static RegisteredRun loaded(FinishedRun f) {
    RegisteredRun r = new RegisteredRun(f.runId(), f.routerLabel(), f.runDir());
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
        f.infrastructureErrors(), f.runFacts());
    f.notStarted().forEach(caseId -> entry(caseId).state = CaseState.NOT_STARTED);
  }

  void publish(CaseEntry c) {
    if (subscribers.isEmpty()) {
      return;
    }
    LiveRuns.CaseUpdate update = new LiveRuns.CaseUpdate(id, c.view());
    subscribers.forEach(s -> s.tell(update));
  }

  void publishDoneIfReady(ActorContext<LiveRuns.Command> ctx) {
    if (!done()) {
      return;
    }
    LiveRuns.Done done = new LiveRuns.Done(summary());
    for (ActorRef<LiveRuns.StreamItem> s : subscribers) {
      s.tell(done);
      s.tell(LiveRuns.End.INSTANCE);
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

  static final class CaseEntry {
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
