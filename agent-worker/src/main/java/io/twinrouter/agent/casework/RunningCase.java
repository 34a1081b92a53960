package io.twinrouter.agent.casework;

import io.twinrouter.agent.casework.CaseRunner.Command;
import io.twinrouter.agent.journal.CaseJournal;
import io.twinrouter.agent.loop.CaseLoop;
import io.twinrouter.agent.loop.ExitStatus;
import io.twinrouter.agent.loop.LoopExit;
import io.twinrouter.agent.loop.Shell;
import io.twinrouter.agent.records.CaseFiles;
import io.twinrouter.agent.records.CaseRecords;
import io.twinrouter.agent.records.CaseReports;
import io.twinrouter.common.Failures;
import io.twinrouter.protocol.CaseProgress;
import io.twinrouter.sandbox.ExecResult;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * What one attempt at a case holds across its phases: the loop, the sandbox, the files being
 * written, the journal child. Only the case actor's thread touches it.
 */
final class RunningCase {

  private static final long TRAJECTORY_SAVE_INTERVAL_NANOS = 1_000_000_000L;

  final ActorContext<Command> ctx;
  final CaseSpec spec;
  final CaseDeps deps;
  final Executor io;
  final CaseRecords records;
  /** Whom the case reports to; sent to itself again after a restart. */
  final CaseRunner.Start start;
  final long startedAtMs = System.currentTimeMillis();
  /** Null without journaling. */
  final ActorRef<CaseJournal.Command> journal;
  CaseLoop loop;
  Shell shell;
  /** The sandbox being opened, until it is handed over (a stop meanwhile must close it). */
  CompletableFuture<Shell> opening;
  private long lastTrajectorySave;

  RunningCase(ActorContext<Command> ctx, CaseSpec spec, CaseDeps deps, CaseRunner.Start start) {
    this.ctx = ctx;
    ctx.setLoggerName(CaseRunner.class); // every phase logs under the case actor's name
    this.spec = spec;
    this.deps = deps;
    this.start = start;
    this.io = ctx.getSystem().dispatchers()
        .lookup(DispatcherSelector.fromConfig(CaseRunner.BLOCKING_DISPATCHER));
    this.loop = newLoop();
    CaseFiles files = new CaseFiles(spec.outputDir(), id());
    this.records = new CaseRecords(files, CaseReports.trajectoryWriter(files, deps.prompts(),
        deps.limits(), deps.agent(), deps.pool()), io);
    this.journal = deps.journaling().isEmpty() ? null : ctx.spawn(
        CaseJournal.create(spec.runId(), id()), "journal",
        DispatcherSelector.fromConfig(CaseRunner.JOURNAL_DISPATCHER));
  }

  String id() {
    return spec.task().instanceId();
  }

  CaseLoop newLoop() {
    return new CaseLoop(spec.task(), deps.pool(), deps.limits(), deps.agent(), deps.prompts());
  }

  Duration journalTimeout() {
    return deps.journaling().orElseThrow().writeTimeout();
  }

  /** Runs a blocking call on the blocking dispatcher; its checked failure completes the stage. */
  <T> CompletableFuture<T> blocking(Callable<T> call) {
    return CompletableFuture.supplyAsync(() -> unchecked(call), io);
  }

  CompletableFuture<ExecResult> exec(String command) {
    Shell s = shell;
    Duration timeout = deps.limits().commandTimeout();
    return blocking(() -> s.exec(command, timeout));
  }

  static <T> T unchecked(Callable<T> call) {
    try {
      return call.call();
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }

  /** Fails the case when an outside system failed: the parent's supervision decides. */
  void check(Throwable error, String what) {
    if (error != null) {
      throw new CaseInfrastructureException(id(), what, Failures.cause(error));
    }
  }

  /** An infrastructure failure mid-loop: record how far the case got, then let the parent decide. */
  CaseInfrastructureException abort(String what, Throwable error) {
    if (loop.exit().isEmpty()) {
      loop.fail(ExitStatus.INFRASTRUCTURE_ERROR, error.getClass().getSimpleName(),
          String.valueOf(error.getMessage()));
    }
    summarise();
    return new CaseInfrastructureException(id(), what, error);
  }

  /** The loop is over: its summary row and the final trajectory. */
  void summarise() {
    records.loopSummary(id(), loop.pricedCalls(), loop.exit().orElseThrow().finishedBy(),
        loop.costUsd(), loop.modelDistribution(), loop.unusedPaid());
    saveTrajectory();
  }

  void progress() {
    if (start.progressTo() != null && loop.calls() > 0) {
      start.progressTo().tell(new CaseProgress(spec.runId(), id(), loop.calls(), loop.costUsd()));
    }
  }

  /**
   * Between steps the trajectory is saved at most once a second: rendering the whole conversation
   * costs time quadratic in its length, and the journal, not this file, is what a resume reads.
   * The end of a case, however it ends, always saves it.
   */
  void saveTrajectoryNowAndThen() {
    if (System.nanoTime() - lastTrajectorySave >= TRAJECTORY_SAVE_INTERVAL_NANOS
        || lastTrajectorySave == 0) {
      saveTrajectory();
    }
  }

  private void saveTrajectory() {
    lastTrajectorySave = System.nanoTime();
    LoopExit exit = loop.exit().orElse(null);
    records.trajectory(records.trajectoryWriter().render(loop.messages(), loop.costUsd(),
        loop.calls(), exit == null ? "" : exit.finishedBy(), exit == null ? "" : exit.submission()));
  }

  void release() {
    releaseShell();
    records.close();
  }

  void releaseShell() {
    if (shell != null) {
      CompletableFuture.runAsync(shell::close, io);
    } else if (opening != null) {
      opening.thenAcceptAsync(Shell::close, io);
    }
    shell = null;
    opening = null;
  }

  /**
   * After a restart: the mailbox survives it, so the fresh instance gets this Start and runs the
   * case again, once this attempt's writes are done (its new trace must not race the old one).
   */
  void startAgainAfterWrites() {
    ActorRef<Command> self = ctx.getSelf();
    records.flushed().whenComplete((v, e) -> self.tell(start));
  }
}
