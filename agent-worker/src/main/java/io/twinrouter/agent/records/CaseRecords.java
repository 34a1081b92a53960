package io.twinrouter.agent.records;

import io.twinrouter.agent.loop.StepRecord;
import io.twinrouter.agent.model.UnusableResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;

/**
 * The files of one case, written in order on a blocking executor so the case actor never waits on
 * the disk. Every write is chained after the previous one; a failed write fails all later ones
 * and {@link #flushed()}, which the case checks before it reports.
 */
public final class CaseRecords {

  /** The newest pending write per case, across attempts; entries leave once written. */
  private static final ConcurrentMap<Path, CompletableFuture<Void>> LAST_WRITES =
      new ConcurrentHashMap<>();

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

  /**
   * Starts the trace afresh (the reference truncates it at instance start), after any writes a
   * previous attempt of the same case still has in flight, so a restart never interleaves with
   * the attempt it replaces.
   */
  public void open() {
    CompletableFuture<Void> earlier = LAST_WRITES.get(files.trace());
    if (earlier != null) {
      tail = earlier.handle((v, e) -> null); // the earlier attempt's failure is not ours
    }
    then(() -> {
      if (trace != null) { // a case starting over from step 0 within the same attempt
        trace.close();
      }
      trace = new TraceWriter(files.trace());
    });
  }

  public void step(StepRecord record) {
    then(() -> trace.step(record));
  }

  public void historyDiscarded(String instanceId, String reason) {
    then(() -> trace.historyDiscarded(instanceId, reason));
  }

  public void loopSummary(String instanceId, int stepCount, String finishedBy, double costUsd,
      Map<String, Integer> modelDistribution, List<UnusableResponse> unusable) {
    Map<String, Integer> copy = Map.copyOf(modelDistribution);
    List<UnusableResponse> unused = List.copyOf(unusable);
    then(() -> trace.loopSummary(instanceId, stepCount, finishedBy, costUsd,
        new java.util.TreeMap<>(copy), unused));
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
    CompletableFuture<Void> previous = tail;
    tail = previous.whenCompleteAsync((v, e) -> {
      if (trace != null) {
        trace.close();
        trace = null;
      }
    }, io);
  }

  private void then(Runnable write) {
    tail = tail.thenRunAsync(write, io);
    CompletableFuture<Void> mine = tail;
    Path key = files.trace();
    LAST_WRITES.put(key, mine);
    mine.whenComplete((v, e) -> LAST_WRITES.remove(key, mine));
  }
}
