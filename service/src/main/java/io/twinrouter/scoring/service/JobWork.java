package io.twinrouter.scoring.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletionStage;

/**
 * The work of one job, started by the {@link ScoringActor} and run off its thread. It reports
 * progress through the sink (from any thread) and completes with the summary.
 */
public interface JobWork {

  /** What the job is, for its status: e.g. {@code evaluation}. */
  String kind();

  String bank();

  /** The router's label (the name it was given, a built-in's name, or {@code http-PORT}). */
  String router();

  /** Rows to do, known before the job starts. */
  int total();

  CompletionStage<Result> run(ProgressSink progress);

  /**
   * What a finished job leaves: its summary, and its per-row predictions as a prediction file
   * ({@link io.twinrouter.scoring.statictrack.PredictionLines}), so its result can feed {@code
   * gap} or {@code static score} without asking the router again.
   */
  record Result(ObjectNode summary, byte[] predictionsJsonl) {}

  /** Thread-safe: called by the job as rows finish. */
  @FunctionalInterface
  interface ProgressSink {
    void progressed(int done, int errors);
  }
}
