package io.twinrouter.orchestrator.live;

import io.twinrouter.agent.casework.CaseDeps;
import io.twinrouter.agent.casework.CaseInfrastructureException;
import io.twinrouter.agent.casework.CaseRunner;
import io.twinrouter.agent.casework.CaseSpec;
import io.twinrouter.orchestrator.run.CaseResult;
import io.twinrouter.orchestrator.run.RunSupervisor;
import io.twinrouter.protocol.CaseProgress;
import io.twinrouter.protocol.CaseReport;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * One attempt at one case, as the run supervisor sees it: runs a {@link CaseRunner} as its child
 * and translates its {@link CaseProgress} and {@link CaseReport} into the supervisor's {@link
 * RunSupervisor.CaseStepped} and {@link RunSupervisor.CaseCompleted}. A runner that fails (an
 * infrastructure exception) makes this actor fail with the cause, so the supervisor's
 * restart-with-backoff applies to the whole attempt; a restart starts a fresh runner.
 */
public final class CaseAttempt extends AbstractBehavior<CaseAttempt.Command> {

  public sealed interface Command {}

  private record Progressed(CaseProgress progress) implements Command {}

  private record Reported(CaseReport report) implements Command {}

  private final String caseId;
  /** Spend the case replays without paying it (a branch's prefix, paid by its source run). */
  private final double replayedUsd;
  private final ActorRef<RunSupervisor.Command> supervisor;
  private final RestartSpend restartSpend;
  private final boolean journaled;
  private double attemptSpend;
  private boolean reported;

  public static Behavior<Command> create(CaseSpec spec, CaseDeps deps,
      ActorRef<RunSupervisor.Command> supervisor, RestartSpend restartSpend) {
    return create(spec.task().instanceId(), 0, spec, deps, supervisor, restartSpend);
  }

  /**
   * @param caseId the case's name in the run (its ticket's), when it is not the instance id
   * @param replayedUsd spend the case replays from another run's journal: kept out of this run's
   *     spend and budget
   */
  public static Behavior<Command> create(String caseId, double replayedUsd, CaseSpec spec,
      CaseDeps deps, ActorRef<RunSupervisor.Command> supervisor, RestartSpend restartSpend) {
    return Behaviors.setup(ctx -> new CaseAttempt(ctx, caseId, replayedUsd, spec, deps,
        supervisor, restartSpend));
  }

  private CaseAttempt(ActorContext<Command> ctx, String caseId, double replayedUsd, CaseSpec spec,
      CaseDeps deps, ActorRef<RunSupervisor.Command> supervisor, RestartSpend restartSpend) {
    super(ctx);
    this.caseId = caseId;
    this.replayedUsd = replayedUsd;
    this.supervisor = supervisor;
    this.restartSpend = restartSpend;
    this.journaled = deps.journaling().isPresent();
    ActorRef<CaseRunner.Command> runner = ctx.spawn(CaseRunner.create(spec, deps), "runner");
    ctx.watch(runner);
    runner.tell(new CaseRunner.Start(
        ctx.messageAdapter(CaseReport.class, Reported::new),
        ctx.messageAdapter(CaseProgress.class, Progressed::new)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Progressed.class, this::onProgressed)
        .onMessage(Reported.class, this::onReported)
        .onSignal(ChildFailed.class, this::onRunnerFailed)
        .onSignal(Terminated.class, this::onRunnerStopped)
        .build();
  }

  private Behavior<Command> onProgressed(Progressed m) {
    attemptSpend = Math.max(0, m.progress().spendUsd() - replayedUsd);
    supervisor.tell(new RunSupervisor.CaseStepped(
        caseId, m.progress().steps(), restartSpend.of(caseId) + attemptSpend));
    return this;
  }

  private Behavior<Command> onReported(Reported m) {
    reported = true;
    supervisor.tell(new RunSupervisor.CaseCompleted(
        result(caseId, m.report(), restartSpend.of(caseId) - replayedUsd)));
    return this;
  }

  private Behavior<Command> onRunnerFailed(ChildFailed signal) {
    // The spend of a failed attempt was really paid: it stays in the run's spend and budget,
    // unless the case is journalled (the next attempt replays those steps and reports them).
    if (!journaled) {
      restartSpend.add(caseId, attemptSpend);
    }
    Throwable cause = signal.getCause();
    if (cause instanceof RuntimeException e) {
      throw e;
    }
    throw new CaseInfrastructureException(caseId, "the case runner failed", cause);
  }

  private Behavior<Command> onRunnerStopped(Terminated signal) {
    if (!reported) {
      throw new IllegalStateException(caseId + ": the case runner stopped without a report");
    }
    return Behaviors.stopped();
  }

  /** The supervisor's view of a report; spend of failed earlier attempts is added to the case's. */
  static CaseResult result(String caseId, CaseReport r, double earlierAttemptsUsd) {
    String detail = r.agentError() != null ? r.agentError() : r.evalError();
    return new CaseResult(caseId, r.resolved(), r.infrastructureError(), r.exitStatus(),
        r.apiCostUsd() + earlierAttemptsUsd, r.steps(), detail, r);
  }
}
