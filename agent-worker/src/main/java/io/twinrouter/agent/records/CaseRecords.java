package io.twinrouter.agent.records;

import io.twinrouter.agent.loop.StepRecord;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The files of one case, written in order on a blocking executor so the case actor never waits on
 * the disk. Every write is chained after the previous one; a failed write fails all later ones
 * and {@link #flushed()}, which the case checks before it reports.
 */
public final class CaseRecords {

  private final CaseFiles files;
  private final TrajectoryWriter trajectory;
  private final Executor io;
  private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
  private TraceWriter trace;

  public CaseRecords(CaseFiles files, TrajectoryWriter trajectory, Executor io) {
    this.files = files;
    this.trajectory = trajectory;
    this.io = io;
  }

  public CaseFiles files() {
    return files;
  }

  public TrajectoryWriter trajectoryWriter() {
    return trajectory;
  }

  /** Starts the trace afresh (the reference truncates it at instance start). */
  public void open() {
    then(() -> trace = new TraceWriter(files.trace()));
  }

  public void step(StepRecord record) {
    then(() -> trace.step(record));
  }

  public void loopSummary(String instanceId, int stepCount, String finishedBy, double costUsd,
      Map<String, Integer> modelDistribution) {
    Map<String, Integer> copy = Map.copyOf(modelDistribution);
    then(() -> trace.loopSummary(instanceId, stepCount, finishedBy, costUsd,
        new java.util.TreeMap<>(copy)));
  }

  /** @param rendered a document from {@link TrajectoryWriter#render}, made on the caller's thread */
  public void trajectory(String rendered) {
    then(() -> trajectory.write(rendered));
  }

  public void result(CaseResult result) {
    then(() -> result.write(files.result()));
  }

  /** Completes when every write so far is on disk, exceptionally if one failed. */
  public CompletionStage<Void> flushed() {
    return tail;
  }

  /** Closes the trace after the pending writes; safe to call more than once. */
  public void close() {
    tail = tail.whenCompleteAsync((v, e) -> {
      if (trace != null) {
        trace.close();
        trace = null;
      }
    }, io);
  }

  private void then(Runnable write) {
    tail = tail.thenRunAsync(write, io);
  }
}
