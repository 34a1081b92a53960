package io.twinrouter.agent.casework;

import io.twinrouter.agent.casework.CaseRunner.Command;
import io.twinrouter.agent.journal.CaseJournal;
import io.twinrouter.agent.journal.RecordedStep;
import io.twinrouter.agent.loop.Shell;
import io.twinrouter.agent.records.CaseReports;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/** The case's journal is read (with a journal), then its sandbox opened. */
final class Opening extends CasePhase {

  sealed interface Msg extends Command {}

  private record JournalLoaded(CaseJournal.History history, Throwable error) implements Msg {}

  private record ShellOpened(Shell shell, Throwable error) implements Msg {}

  /** The steps to replay once the sandbox is open. */
  private List<RecordedStep> replay = List.of();

  private Opening(RunningCase c) {
    super(c);
  }

  static Behavior<Command> begin(RunningCase c) {
    Opening opening = new Opening(c);
    if (c.journal == null) {
      c.records.open();
      return opening.openSandbox(List.of());
    }
    c.ctx.ask(CaseJournal.History.class, c.journal, c.journalTimeout(), CaseJournal.Load::new,
        JournalLoaded::new);
    return opening;
  }

  @Override
  public Receive<Command> createReceive() {
    return phase()
        .onMessage(JournalLoaded.class, this::onJournalLoaded)
        .onMessage(ShellOpened.class, this::onShellOpened)
        .build();
  }

  private Behavior<Command> onJournalLoaded(JournalLoaded msg) {
    c.check(msg.error(), "the case's journal could not be loaded");
    CaseJournal.History loaded = msg.history();
    if (loaded.finished()) {
      getContext().getLog().info("case {} already finished; reporting its journalled result", c.id());
      try {
        c.start.replyTo().tell(CaseReports.fromJson(loaded.result().orElseThrow()));
      } catch (IllegalArgumentException e) {
        throw new CaseInfrastructureException(c.id(), "the journalled result is unreadable", e);
      }
      return Behaviors.stopped();
    }
    c.records.open();
    loaded.discards().forEach(reason -> c.records.historyDiscarded(c.id(), reason));
    if (!loaded.steps().isEmpty()) {
      getContext().getLog().info("case {} resumes: replaying {} journalled steps (${} billed)",
          c.id(), loaded.steps().size(), loaded.billedUsd());
    }
    return openSandbox(loaded.steps());
  }

  /** A branch replays its journal, then the source run's steps that are not in it yet. */
  private Behavior<Command> openSandbox(List<RecordedStep> journalled) {
    replay = new ArrayList<>(journalled);
    c.spec.branchFrom().ifPresent(source -> source.stream()
        .filter(s -> s.stepIndex() >= journalled.size()).forEach(replay::add));
    c.opening = c.blocking(() -> c.deps.shells().open(c.spec.task()));
    getContext().pipeToSelf(c.opening, ShellOpened::new);
    return this;
  }

  private Behavior<Command> onShellOpened(ShellOpened msg) {
    c.opening = null;
    c.check(msg.error(), "the sandbox could not start");
    c.shell = msg.shell();
    return Stepping.start(c, replay);
  }
}
