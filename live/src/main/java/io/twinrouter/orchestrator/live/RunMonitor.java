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
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Runs one live run's {@link RunSupervisor} and watches it: polls its progress for the progress
 * line (cases done, running, failed; steps; spend), forwards its events to listeners, and
 * completes {@code finished} with the final progress, then stops.
 */
public final class RunMonitor {

  public sealed interface Command {}

  private enum Tick implements Command { INSTANCE }

  private record Progress(RunProgress progress) implements Command {}

  private record Event(RunEvent event) implements Command {}

  private static final Duration POLL = Duration.ofMillis(250);

  private RunMonitor() {}

  /**
   * @param progressLine hears a one-line status after every poll and at the end
   * @param events hears every run event (server-sent events, logs); may ignore them
   */
  public static Behavior<Command> create(RunSupervisor.Settings settings, List<String> caseIds,
      CaseFactory factory, Consumer<RunProgress> progressLine, Consumer<RunEvent> events,
      CompletableFuture<RunProgress> finished) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      // One adapter per message class (a second one would replace the first): the polled
      // snapshots and the final one both arrive as Progress, told apart by finished().
      ActorRef<RunProgress> polled = ctx.messageAdapter(RunProgress.class, Progress::new);
      ActorRef<RunSupervisor.Command> supervisor = ctx.spawn(
          RunSupervisor.create(settings, caseIds, factory, polled), "supervisor");
      supervisor.tell(new RunSupervisor.Subscribe(ctx.messageAdapter(RunEvent.class, Event::new)));
      timers.startTimerWithFixedDelay(Tick.INSTANCE, POLL);
      return Behaviors.receive(Command.class)
          .onMessageEquals(Tick.INSTANCE, () -> {
            supervisor.tell(new RunSupervisor.GetProgress(polled));
            return Behaviors.same();
          })
          .onMessage(Progress.class, m -> {
            progressLine.accept(m.progress());
            if (!m.progress().finished()) {
              return Behaviors.same();
            }
            finished.complete(m.progress());
            return Behaviors.stopped();
          })
          .onMessage(Event.class, m -> {
            events.accept(m.event());
            return Behaviors.same();
          })
          .build();
    }));
  }

  /** The progress bar's status text. */
  static String status(RunProgress p) {
    return String.format(Locale.ROOT, "running %d, failed %d, steps %d, $%.4f%s",
        p.running(), p.failed(), p.steps(), p.spendUsd(), p.budgetReached() ? ", budget reached" : "");
  }
}
