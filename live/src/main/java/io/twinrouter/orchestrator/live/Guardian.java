package io.twinrouter.orchestrator.live;

import io.twinrouter.orchestrator.run.CaseFactory;
import io.twinrouter.orchestrator.run.RunEvent;
import io.twinrouter.orchestrator.run.RunProgress;
import io.twinrouter.orchestrator.run.RunSupervisor;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The root of a live run's actor system: builds the case factory from the running system (its
 * blocking dispatcher) and starts the run's monitor; the caller shuts the system down when the
 * run's future completes.
 */
public final class Guardian {
  private Guardian() {}

  /**
   * What the guardian starts: the run's settings, its cases, and who hears about progress.
   *
   * @param hosted the run shares a longer-lived actor system (the scoring service's): the
   *     guardian stops once the run is over, instead of waiting for the system to shut down
   */
  record Plan(RunSupervisor.Settings settings, List<String> caseIds,
      Function<ActorSystem<?>, CaseFactory> factory, Consumer<RunProgress> progressLine,
      Consumer<RunEvent> events, CompletableFuture<RunProgress> finished, boolean hosted) {}

  static Behavior<Void> create(Plan plan) {
    return Behaviors.setup(ctx -> {
      CaseFactory factory;
      try {
        factory = plan.factory().apply(ctx.getSystem());
      } catch (RuntimeException e) {
        plan.finished().completeExceptionally(e);
        return Behaviors.stopped();
      }
      ActorRef<RunMonitor.Command> monitor = ctx.spawn(
          RunMonitor.create(plan.settings(), plan.caseIds(), factory, plan.progressLine(),
              plan.events(), plan.finished()),
          "run");
      ctx.watch(monitor);
      return Behaviors.receive(Void.class)
          .onSignal(Terminated.class, signal -> {
            // The monitor stops after the run finished, or failed (then the future says so).
            // The caller then runs CoordinatedShutdown, whose phases (sandbox reaping) must run
            // before the resources they use are closed: stopping here would race with them.
            plan.finished().completeExceptionally(
                new IllegalStateException("the run's monitor stopped before the run finished"));
            return plan.hosted() ? Behaviors.stopped() : Behaviors.same();
          })
          .build();
    });
  }
}
