package io.twinrouter.agent.casework;

import io.twinrouter.protocol.CaseProgress;
import io.twinrouter.protocol.CaseReport;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Runs one live case, decide-act-observe as the official mini scaffold does, and reports a {@link
 * CaseReport}. Its phases are behaviors over one {@link RunningCase}: {@link Opening}, {@link
 * Stepping}, {@link Finishing}. It never blocks: routers answer through a {@code CompletionStage},
 * and model calls, commands, grading and file writes run on the {@value #BLOCKING_DISPATCHER}
 * dispatcher. Model faults end the case as values; infrastructure faults are thrown ({@link
 * CaseInfrastructureException}) for the parent's supervision, and a restarted case starts over
 * from its journal.
 */
public final class CaseRunner {

  public sealed interface Command permits Start, Opening.Msg, Stepping.Msg, Finishing.Msg {}

  /**
   * Run the case and send its report to {@code replyTo}; {@code progressTo} (may be null) hears
   * after every step. A second Start (a parent re-sending after a restart) is ignored.
   */
  public record Start(ActorRef<CaseReport> replyTo, ActorRef<CaseProgress> progressTo)
      implements Command {
    public Start(ActorRef<CaseReport> replyTo) {
      this(replyTo, null);
    }
  }

  public static final String BLOCKING_DISPATCHER = "twinrouter.blocking-io";
  /** The journal plugin's one thread, shared by every case's journal actor (reference.conf). */
  public static final String JOURNAL_DISPATCHER = "twinrouter.journal-dispatcher";

  private CaseRunner() {}

  /** Waits for its Start; a restart begins here again, with a fresh {@link RunningCase}. */
  public static Behavior<Command> create(CaseSpec spec, CaseDeps deps) {
    return Behaviors.setup(ctx -> Behaviors.receive(Command.class)
        .onMessage(Start.class, start -> Opening.begin(new RunningCase(ctx, spec, deps, start)))
        .build());
  }
}
