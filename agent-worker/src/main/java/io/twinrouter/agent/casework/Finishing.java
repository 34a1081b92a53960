package io.twinrouter.agent.casework;

import io.twinrouter.agent.casework.CaseRunner.Command;
import io.twinrouter.agent.journal.CaseJournal;
import io.twinrouter.agent.loop.LoopExit;
import io.twinrouter.agent.records.CaseReports;
import io.twinrouter.agent.records.CaseResult;
import io.twinrouter.protocol.CaseReport;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The loop is over: its summary row and final trajectory, the sandbox released, the patch graded,
 * the case's files flushed, the result journalled (with a journal), and the report sent. A
 * grading that fails is the case's infrastructure failure, never a verdict.
 */
final class Finishing extends CasePhase {

  sealed interface Msg extends Command {}

  private record Graded(GradeOutcome outcome, Throwable error) implements Msg {}

  private record RecordsFlushed(CaseResult result, Throwable error) implements Msg {}

  private record FinishJournalled(CaseReport report, Throwable error) implements Msg {}

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
        .onMessage(RecordsFlushed.class, this::onRecordsFlushed)
        .onMessage(FinishJournalled.class, this::onFinishJournalled)
        .build();
  }

  private Behavior<Command> onGraded(Graded msg) {
    // A grading that failed (its sandbox, or a suite that never ran) judged nothing: no result
    // is written, the supervisor retries the case, and a rerun grades it again.
    c.check(msg.error(), "the patch could not be graded");
    GradeOutcome outcome = msg.outcome();
    CaseResult result = CaseReports.result(c.records.files(), c.loop, c.deps.pool(), c.deps.agent(),
        c.spec.task(), outcome);
    c.records.result(result);
    c.records.close();
    getContext().pipeToSelf(c.records.flushed(), (v, err) -> new RecordsFlushed(result, err));
    return this;
  }

  private Behavior<Command> onRecordsFlushed(RecordsFlushed msg) {
    c.check(msg.error(), "the case's files could not be written");
    CaseReport report = CaseReports.report(c.spec.runId(), c.spec.routerLabel(), msg.result(),
        c.loop, c.startedAtMs, c.records.files());
    if (c.journal == null) {
      c.replyTo.tell(report);
      return Behaviors.stopped();
    }
    String json = CaseReports.toJson(report);
    getContext().ask(CaseJournal.Ack.class, c.journal, c.journalTimeout(),
        ack -> new CaseJournal.Finish(json, ack), (ack, err) -> new FinishJournalled(report, err));
    return this;
  }

  private Behavior<Command> onFinishJournalled(FinishJournalled msg) {
    c.check(msg.error(), "the case's result could not be journalled");
    c.replyTo.tell(msg.report());
    return Behaviors.stopped();
  }
}
