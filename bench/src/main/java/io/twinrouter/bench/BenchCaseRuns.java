package io.twinrouter.bench;

import io.twinrouter.agent.casework.CaseDeps;
import io.twinrouter.agent.casework.CaseJournaling;
import io.twinrouter.agent.casework.CaseRunner;
import io.twinrouter.agent.casework.CaseSpec;
import io.twinrouter.agent.casework.GradeOutcome;
import io.twinrouter.agent.casework.RouterChooser;
import io.twinrouter.agent.casework.SandboxCases;
import io.twinrouter.agent.casework.SandboxShell;
import io.twinrouter.agent.loop.AgentSettings;
import io.twinrouter.agent.loop.CaseTask;
import io.twinrouter.agent.loop.ChatModel;
import io.twinrouter.agent.loop.RouteChooser;
import io.twinrouter.agent.loop.Templates;
import io.twinrouter.agent.tasks.TaskInstance;
import io.twinrouter.config.LiveTrackSettings;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.orchestrator.live.CaseAttempt;
import io.twinrouter.orchestrator.live.RestartSpend;
import io.twinrouter.orchestrator.live.RunMonitor;
import io.twinrouter.orchestrator.run.CaseFactory;
import io.twinrouter.orchestrator.run.RunProgress;
import io.twinrouter.orchestrator.run.RunSupervisor;
import io.twinrouter.router.RouterEnvironment;
import io.twinrouter.router.catalog.Routers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;

/**
 * How {@code bench live} runs cases through the real actors: the same run supervisor, case
 * attempts and case actors as a live run, on a sandbox that runs nothing and a grader that grades
 * nothing, so that what is timed is the orchestration.
 */
final class BenchCaseRuns {
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(30);

  private final TwinrouterSettings settings;
  private final long seed;
  private final Path work;
  private final AgentSettings agent;
  private final Templates templates;
  private final String router;
  private int runs;

  BenchCaseRuns(TwinrouterSettings settings, long seed, Path work, AgentSettings agent,
      Templates templates, String router) {
    this.settings = settings;
    this.seed = seed;
    this.work = work;
    this.agent = agent;
    this.templates = templates;
    this.router = router;
  }


  RunProgress actorRun(ActorSystem<Void> system, CaseDeps deps, List<CaseTask> cases,
      int workers, Consumer<RunProgress> progress) throws Exception {
    String runId = "bench-" + (++runs);
    Path dir = work.resolve(runId);
    Map<String, CaseTask> byId = new LinkedHashMap<>();
    cases.forEach(c -> byId.put(c.instanceId(), c));
    RestartSpend restartSpend = new RestartSpend();
    CaseFactory factory = (ticket, supervisor) -> CaseAttempt.create(
        new CaseSpec(ticket.runId(), router, byId.get(ticket.caseId()), dir), deps, supervisor,
        restartSpend);
    CompletableFuture<RunProgress> finished = new CompletableFuture<>();
    RunSupervisor.Settings s = new RunSupervisor.Settings(runId, workers, 0,
        Duration.ofMillis(100), Duration.ofSeconds(1), Optional.empty());
    system.systemActorOf(RunMonitor.create(new RunMonitor.Plan(s, List.copyOf(byId.keySet()),
        sys -> factory, Duration.ofMillis(250), progress, e -> {}, finished, true)),
        runId, Props.empty());
    RunProgress p = finished.get(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (p.failed() > 0 || p.done() != cases.size()) {
      throw new IllegalStateException(runId + ": " + p.failed() + " of " + cases.size()
          + " cases failed: " + p.results());
    }
    return p;
  }

  CaseDeps deps(ActorSystem<Void> system, ModelPool pool, ChatModel chat,
      boolean journal, int steps) {
    CaseDeps d = new CaseDeps(pool, limits(steps), agent, templates, chat,
        task -> new SandboxShell(new TrivialSandbox(task.instanceId())),
        chooser(system, pool),
        (task, patch) -> GradeOutcome.failed("not graded: benchmark"),
        CaseDeps.wallClock());
    return journal ? d.withJournaling(CaseJournaling.defaults()) : d;
  }

  RouteChooser chooser(ActorSystem<Void> system, ModelPool pool) {
    RouterEnvironment env =
        RouterEnvironment.of(settings).withPool(pool).withSeed(seed);
    return new RouterChooser(Routers.byName(router, env),
        system.dispatchers().lookup(DispatcherSelector.fromConfig(CaseRunner.BLOCKING_DISPATCHER)));
  }

  /** The configured limits with the bench's step limit and no cost limit. */
  LiveTrackSettings limits(int steps) {
    LiveTrackSettings l = settings.liveTrack();
    return new LiveTrackSettings(steps, 0, l.commandTimeout(), l.observationLimitChars(),
        l.wallclockTtlSec(), l.selectTimeout(), l.failurePenaltyUsd(), l.workers());
  }

  /** {@code n} cases cycling over the suite's tasks, each with its own instance id. */
  static List<CaseTask> cases(List<TaskInstance> suite, int n, String tag) {
    List<CaseTask> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      CaseTask t = SandboxCases.caseTask(suite.get(i % suite.size()));
      out.add(new CaseTask(t.instanceId() + "__" + tag + i, t.repo(), t.problemStatement()));
    }
    return out;
  }

}
