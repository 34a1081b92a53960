package io.twinrouter.agent.casework;

import io.twinrouter.protocol.CaseProgress;
import io.twinrouter.protocol.CaseReport;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Runs one live case: opens its sandbox, then decide-act-observe as the official mini scaffold
 * does (router, model, commands, observations) until a submission, a limit or an error, then
 * grades the patch, writes the case's files and reports a {@link CaseReport}.
 *
 * <p>The actor goes through four phases, each a behavior of its own sharing one {@link
 * RunningCase}: {@link Opening} (the journal's history, the sandbox), {@link Replaying} (the
 * journalled steps of a resumed case, without the model), {@link Stepping} (the live loop, each
 * finished step durable before the next model call: {@link DurableSteps}) and {@link Finishing}
 * (grading, the case's files, the report). It never blocks: routers answer through a {@code
 * CompletionStage}; model calls, commands, grading and file writes run on the {@value
 * #BLOCKING_DISPATCHER} dispatcher and come back through {@code pipeToSelf}. Failures the router
 * or the model cause end the case as values (an exit status). Infrastructure failures (sandbox
 * gone, model endpoint down after retries, a record that cannot be written) are thrown as {@link
 * CaseInfrastructureException} so the parent's supervision applies; the sandbox is released on
 * restart and stop, and a restarted case starts over by itself (from its journal, if it has one).
 */
public final class CaseRunner {

  public sealed interface Command
      permits Start, Opening.Msg, Replaying.Msg, Stepping.Msg, Finishing.Msg {}

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
