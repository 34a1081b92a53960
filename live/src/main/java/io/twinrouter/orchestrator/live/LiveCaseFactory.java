package io.twinrouter.orchestrator.live;

import io.twinrouter.agent.casework.CaseDeps;
import io.twinrouter.agent.casework.CaseSpec;
import io.twinrouter.orchestrator.run.CaseFactory;
import io.twinrouter.orchestrator.run.CaseTicket;
import io.twinrouter.orchestrator.run.RunSupervisor;
import java.nio.file.Path;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;

/** Creates one {@link CaseAttempt} (a {@code CaseRunner} under it) per case of a live run. */
public final class LiveCaseFactory implements CaseFactory {
  private final String routerLabel;
  private final TaskCatalog catalog;
  private final CaseDeps deps;
  private final Path outputDir;
  private final RestartSpend restartSpend = new RestartSpend();

  LiveCaseFactory(String routerLabel, TaskCatalog catalog, CaseDeps deps, Path outputDir) {
    this.routerLabel = routerLabel;
    this.catalog = catalog;
    this.deps = deps;
    this.outputDir = outputDir;
  }

  @Override
  public Behavior<?> create(CaseTicket ticket, ActorRef<RunSupervisor.Command> supervisor) {
    CaseSpec spec = new CaseSpec(
        ticket.runId(), routerLabel, catalog.caseTask(ticket.caseId()), outputDir);
    return CaseAttempt.create(spec, deps, supervisor, restartSpend);
  }

  RestartSpend restartSpend() {
    return restartSpend;
  }
}
