package io.twinrouter.orchestrator.branch;

import io.twinrouter.agent.casework.CaseSpec;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.orchestrator.live.CaseAttempt;
import io.twinrouter.orchestrator.live.LiveCases;
import io.twinrouter.orchestrator.live.RestartSpend;
import io.twinrouter.orchestrator.live.RunPlan;
import io.twinrouter.orchestrator.live.RunResources;
import io.twinrouter.orchestrator.live.TaskCatalog;
import io.twinrouter.orchestrator.run.CaseFactory;
import io.twinrouter.orchestrator.run.CaseTicket;
import io.twinrouter.orchestrator.run.RunSupervisor;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;

/**
 * The case factory of a set of branches: each ticket names a branch, whose case runs as any live
 * case does (a {@link CaseAttempt} over a journalled case actor) with three differences: the
 * source's steps before the branch point are replayed first, its router forces the branch's
 * choice at that step, and its run id, journal and files are its own.
 */
final class BranchCases implements CaseFactory {
  private final ActorSystem<?> system;
  private final TwinrouterSettings settings;
  private final RunPlan plan;
  private final RunResources resources;
  private final TaskCatalog catalog;
  private final Map<String, Branch> branches;
  private final RestartSpend restartSpend = new RestartSpend();

  BranchCases(ActorSystem<?> system, TwinrouterSettings settings, RunPlan plan,
      RunResources resources, TaskCatalog catalog, Map<String, Branch> branches) {
    this.system = system;
    this.settings = settings;
    this.plan = plan;
    this.resources = resources;
    this.catalog = catalog;
    this.branches = Map.copyOf(branches);
  }

  @Override
  public Behavior<?> create(CaseTicket ticket, ActorRef<RunSupervisor.Command> supervisor) {
    Branch b = branches.get(ticket.caseId());
    var router = new ForcedStepRouter(b.at(), b.model().modelId(), resources.router());
    var parts = new LiveCases.Parts(settings, plan.agent(), resources.pool(), router,
        resources.sandboxes(), resources.models(), catalog, plan.label(), b.runId(),
        plan.runId(), b.dir());
    var spec = new CaseSpec(b.runId(), plan.label(), catalog.caseTask(b.caseId()), b.dir(),
        Optional.of(b.replayed()));
    return CaseAttempt.create(b.name(), b.paidUsd(), spec, LiveCases.deps(system, parts),
        supervisor, restartSpend);
  }
}
