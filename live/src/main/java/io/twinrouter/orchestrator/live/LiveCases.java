package io.twinrouter.orchestrator.live;

import io.twinrouter.agent.casework.CaseDeps;
import io.twinrouter.agent.casework.CaseJournaling;
import io.twinrouter.agent.casework.CaseRunner;
import io.twinrouter.agent.casework.ModelClientChat;
import io.twinrouter.agent.casework.RouterChooser;
import io.twinrouter.agent.casework.SandboxCases;
import io.twinrouter.agent.casework.SwebenchPatchGrader;
import io.twinrouter.agent.grading.Grader;
import io.twinrouter.agent.loop.AgentSettings;
import io.twinrouter.agent.loop.Prompts;
import io.twinrouter.agent.model.ModelClient;
import io.twinrouter.agent.model.RequestOptions;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.gateway.ProxyRouter;
import io.twinrouter.router.Router;
import io.twinrouter.sandbox.SandboxProvider;
import io.twinrouter.sandbox.SandboxReaper;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;

/**
 * The case factory of one run inside one actor system: the journalled {@link CaseDeps} every
 * case of the run shares. Used by the single-JVM {@link LiveRun} and by each cluster node.
 */
public final class LiveCases {
  private LiveCases() {}

  /**
   * What the cases of one run share in one JVM.
   *
   * @param sandboxLabel the run label the sandboxes carry (and are reaped by) in this JVM
   */
  public record Parts(TwinrouterSettings settings, AgentSettings agent, ModelPool pool,
      Router router, SandboxProvider sandboxes, ModelClient models, TaskCatalog catalog,
      String routerLabel, String runId, String sandboxLabel, Path out) {}

  /** Reaps the sandboxes left under the label now and at shutdown, then builds the factory. */
  public static LiveCaseFactory factory(ActorSystem<?> system, Parts p) {
    SandboxReaper.reapNowAndOnShutdown(system, p.sandboxes(), p.sandboxLabel());
    return build(system, p);
  }

  /**
   * The factory alone, for an actor system that outlives the run (the scoring service hosting
   * runs), whose caller reaps the run's sandboxes itself when the run ends.
   */
  public static LiveCaseFactory build(ActorSystem<?> system, Parts p) {
    return new LiveCaseFactory(p.routerLabel(), p.catalog(), deps(system, p), p.out());
  }

  /** The journalled dependencies of the run's cases: its router, its grader writing to out. */
  public static CaseDeps deps(ActorSystem<?> system, Parts p) {
    Executor io = system.dispatchers().lookup(
        DispatcherSelector.fromConfig(CaseRunner.BLOCKING_DISPATCHER));
    return new CaseDeps(p.pool(), p.settings().liveTrack(), p.agent(),
        Prompts.of(p.agent()),
        p.router() instanceof ProxyRouter proxy ? new ProxiedChat(proxy)
            : new ModelClientChat(p.models(), RequestOptions.miniDefaults()),
        SandboxCases.shells(p.sandboxes(), p.catalog()::sandboxSpec),
        new RouterChooser(p.router(), io),
        grader(p.catalog(), p.sandboxes(), p.runId(), p.out()),
        CaseDeps.wallClock())
        .withJournaling(CaseJournaling.defaults());
  }

  private static SwebenchPatchGrader grader(
      TaskCatalog catalog, SandboxProvider sandboxes, String runId, Path out) {
    return new SwebenchPatchGrader(catalog::swebenchTask,
        SandboxCases.grading(sandboxes, catalog::gradingSpec),
        new Grader(SandboxGrading.layoutFor(sandboxes.backend()), Grader.DEFAULT_EVAL_TIMEOUT),
        out.resolve("logs").resolve("run_evaluation"), runId);
  }
}
