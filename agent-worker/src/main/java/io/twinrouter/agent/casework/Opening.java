package io.twinrouter.agent.casework;

import io.twinrouter.agent.casework.CaseRunner.Command;
import io.twinrouter.agent.journal.CaseJournal;
import io.twinrouter.agent.journal.RecordedStep;
import io.twinrouter.agent.loop.Shell;
import io.twinrouter.agent.records.CaseReports;
import java.util.List;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/** The case's journalled history is read (with a journal), then its sandbox opened. */
final class Opening extends CasePhase {

  sealed interface Msg extends Command {}

  private record JournalLoaded(CaseJournal.History history, Throwable error) implements Msg {}

  private record ShellOpened(Shell shell, Throwable error) implements Msg {}

  /** The journalled steps to replay once the sandbox is open. */
  private List<RecordedStep> history = List.of();

  private Opening(RunningCase c) {
    super(c);
  }

  /** Without a journal, a fresh case; with one, whatever its history says. */
  static Behavior<Command> begin(RunningCase c) {
    Opening opening = new Opening(c);
    if (c.journal == null) {
      c.records.open();
      return opening.openSandbox();
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
      c.replyTo.tell(stored(loaded.result().orElseThrow()));
      return Behaviors.stopped();
    }
    c.records.open();
    for (String reason : loaded.discards()) {
      c.records.historyDiscarded(c.id(), reason);
    }
    history = loaded.steps();
    if (!history.isEmpty()) {
      getContext().getLog().info("case {} resumes: replaying {} journalled steps (${} billed)",
          c.id(), history.size(), loaded.billedUsd());
    }
    return openSandbox();
  }

  private Behavior<Command> openSandbox() {
    c.opening = c.blocking(() -> c.deps.shells().open(c.spec.task()));
    getContext().pipeToSelf(c.opening, ShellOpened::new);
    return this;
  }

  private Behavior<Command> onShellOpened(ShellOpened msg) {
    c.opening = null;
    c.check(msg.error(), "the sandbox could not start");
    c.shell = msg.shell();
    return history.isEmpty() ? Stepping.start(c) : Replaying.start(c, history);
  }

  private io.twinrouter.protocol.CaseReport stored(String json) {
    try {
      return CaseReports.fromJson(json);
    } catch (IllegalArgumentException e) {
      throw new CaseInfrastructureException(c.id(), "the journalled result is unreadable", e);
    }
  }
}
