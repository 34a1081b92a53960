package io.twinrouter.agent.casework;

import io.twinrouter.agent.casework.CaseRunner.Command;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ReceiveBuilder;

/** One phase of a running case: what every phase answers besides its own messages. */
abstract class CasePhase extends AbstractBehavior<Command> {

  final RunningCase c;

  CasePhase(RunningCase c) {
    super(c.ctx);
    this.c = c;
  }

  /**
   * A second Start (a parent re-sending after its own restart) is ignored; a restart or a stop
   * releases what the case holds, and a restart then runs the case again.
   */
  ReceiveBuilder<Command> phase() {
    return newReceiveBuilder()
        .onMessage(CaseRunner.Start.class, start -> this)
        .onSignal(PreRestart.class, signal -> onPreRestart())
        .onSignal(PostStop.class, signal -> onPostStop());
  }

  /** Releases the sandbox and closes the files; a phase holding more releases that too. */
  void release() {
    c.release();
  }

  private Behavior<Command> onPreRestart() {
    release();
    c.startAgainAfterWrites();
    return this;
  }

  private Behavior<Command> onPostStop() {
    release();
    return this;
  }
}
