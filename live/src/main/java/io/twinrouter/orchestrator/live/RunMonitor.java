package io.twinrouter.orchestrator.live;

import io.twinrouter.orchestrator.run.CaseFactory;
import io.twinrouter.orchestrator.run.RunEvent;
import io.twinrouter.orchestrator.run.RunProgress;
import io.twinrouter.orchestrator.run.RunSupervisor;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The root of one live run: builds the case factory from the running system (its blocking
 * dispatcher), runs the run's {@link RunSupervisor} and watches it. It polls the supervisor's
 * progress for the progress line (cases done, running, failed; steps; spend), forwards its events
 * to listeners, and completes {@code finished} with the final progress. In a system of the run's
 * own it is the guardian, and the caller shuts the system down once {@code finished} completes.
 */
public final class RunMonitor {

  public sealed interface Command {}

  private enum Tick implements Command { INSTANCE }

  private record Progress(RunProgress progress) implements Command {}

  private record Event(RunEvent event) implements Command {}

  /**
   * What a run's root starts: the run's settings, its cases, and who hears about progress.
   *
   * @param poll how often the progress line is refreshed ({@code twinrouter.live.progress-poll})
   * @param progressLine hears a one-line status after every poll and at the end
   * @param events hears every run event (server-sent events, logs); may ignore them
   * @param hosted the run shares a longer-lived actor system (the scoring service's): the monitor
   *     stops once the run is over, instead of waiting for the system to shut down
   */
  public record Plan(RunSupervisor.Settings settings, List<String> caseIds,
      Function<ActorSystem<?>, CaseFactory> factory, Duration poll,
      Consumer<RunProgress> progressLine, Consumer<RunEvent> events,
      CompletableFuture<RunProgress> finished, boolean hosted) {}

  private RunMonitor() {}

  public static Behavior<Command> create(Plan plan) {
    return Behaviors.setup(ctx -> {
      CaseFactory factory;
      try {
        factory = plan.factory().apply(ctx.getSystem());
      } catch (RuntimeException e) {
        plan.finished().completeExceptionally(e);
        return Behaviors.stopped();
      }
      // One adapter per message class (a second one would replace the first): the polled
      // snapshots and the final one both arrive as Progress, told apart by finished().
      ActorRef<RunProgress> polled = ctx.messageAdapter(RunProgress.class, Progress::new);
      ActorRef<RunSupervisor.Command> supervisor = ctx.spawn(
          RunSupervisor.create(plan.settings(), plan.caseIds(), factory, polled), "supervisor");
      ctx.watch(supervisor);
      supervisor.tell(new RunSupervisor.Subscribe(ctx.messageAdapter(RunEvent.class, Event::new)));
      return Behaviors.withTimers(timers -> {
        timers.startTimerWithFixedDelay(Tick.INSTANCE, plan.poll());
        return Behaviors.receive(Command.class)
            .onMessageEquals(Tick.INSTANCE, () -> {
              supervisor.tell(new RunSupervisor.GetProgress(polled));
              return Behaviors.same();
            })
            .onMessage(Progress.class, m -> onProgress(plan, m.progress()))
            .onMessage(Event.class, m -> {
              plan.events().accept(m.event());
              return Behaviors.same();
            })
            .onSignal(Terminated.class, signal -> onSupervisorStopped(plan))
            .build();
      });
    });
  }

  private static Behavior<Command> onProgress(Plan plan, RunProgress progress) {
    plan.progressLine().accept(progress);
    if (!progress.finished()) {
      return Behaviors.same();
    }
    plan.finished().complete(progress);
    // The caller then runs CoordinatedShutdown, whose phases (sandbox reaping) must run before
    // the resources they use are closed: the root of a system of its own stays until then.
    return plan.hosted() ? Behaviors.stopped() : Behaviors.same();
  }

  private static Behavior<Command> onSupervisorStopped(Plan plan) {
    // after a finished run this changes nothing; before, the future says the run failed
    plan.finished().completeExceptionally(
        new IllegalStateException("the run's supervisor stopped before the run finished"));
    return plan.hosted() ? Behaviors.stopped() : Behaviors.same();
  }

  /** The progress bar's status text. */
  public static String status(RunProgress p) {
    return String.format(Locale.ROOT, "running %d, failed %d, steps %d, $%.4f%s",
        p.running(), p.failed(), p.steps(), p.spendUsd(), p.budgetReached() ? ", budget reached" : "");
  }
}
