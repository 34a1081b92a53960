package io.twinrouter.agent.casework;

import io.twinrouter.agent.casework.CaseRunner.Command;
import io.twinrouter.agent.journal.CaseJournal;
import io.twinrouter.agent.loop.LoopExit;
import io.twinrouter.agent.records.CaseReports;
import io.twinrouter.agent.records.CaseResult;
import io.twinrouter.protocol.CaseReport;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The loop is over: its summary row and final trajectory, the sandbox released, the patch graded,
 * the case's files flushed, then the result journalled (with a journal), and the report sent. A
 * grading that fails is the case's infrastructure failure, never a verdict.
 */
final class Finishing extends CasePhase {

  sealed interface Msg extends Command {}

  private record Graded(GradeOutcome outcome, Throwable error) implements Msg {}

  private record Recorded(CaseReport report, Throwable error) implements Msg {}

  private Finishing(RunningCase c) {
    super(c);
  }

  static Behavior<Command> start(RunningCase c) {
    LoopExit exit = c.loop.exit().orElseThrow();
    c.summarise();
    c.releaseShell();
    c.ctx.getLog().info("case {} finished by {} after {} calls, ${}", c.id(), exit.finishedBy(),
        c.loop.calls(), c.loop.costUsd());
    Finishing finishing = new Finishing(c);
    String patch = exit.submission();
    if (patch == null || patch.isBlank()) {
      return finishing.onGraded(new Graded(GradeOutcome.noPatch(), null));
    }
    c.ctx.pipeToSelf(c.blocking(() -> c.deps.grader().grade(c.spec.task(), patch)), Graded::new);
    return finishing;
  }

  @Override
  public Receive<Command> createReceive() {
    return phase()
        .onMessage(Graded.class, this::onGraded)
        .onMessage(Recorded.class, this::onRecorded)
        .build();
  }

  private Behavior<Command> onGraded(Graded msg) {
    // A grading that failed (its sandbox, or a suite that never ran) judged nothing: no result
    // is written, the supervisor retries the case, and a rerun grades it again.
    c.check(msg.error(), "the patch could not be graded");
    CaseResult result = CaseReports.result(c.records.files(), c.loop, c.deps.pool(),
        c.deps.agent(), c.spec.task(), msg.outcome());
    CaseReport report = CaseReports.report(c.spec.runId(), c.spec.routerLabel(), result, c.loop,
        c.startedAtMs, c.records.files());
    c.records.result(result);
    c.records.close();
    CompletionStage<?> recorded = c.records.flushed();
    if (c.journal != null) {
      String json = CaseReports.toJson(report);
      recorded = recorded.thenCompose(flushed -> AskPattern.<CaseJournal.Command,
          CaseJournal.Ack>ask(c.journal, ack -> new CaseJournal.Finish(json, ack),
          c.journalTimeout(), getContext().getSystem().scheduler()));
    }
    getContext().pipeToSelf(recorded, (done, err) -> new Recorded(report, err));
    return this;
  }

  private Behavior<Command> onRecorded(Recorded msg) {
    c.check(msg.error(), "the case's files or its journalled result could not be written");
    c.start.replyTo().tell(msg.report());
    return Behaviors.stopped();
  }
}
