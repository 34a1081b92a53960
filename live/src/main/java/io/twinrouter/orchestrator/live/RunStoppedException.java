package io.twinrouter.orchestrator.live;

/**
 * A live run stopped because a provider refused its set-up mid-run (a key, credit, a model name,
 * a parameter): the cases still running stopped at their next model call without a result, no
 * further case started, and nothing was scored. A rerun with the same output directory after the
 * fix resumes every unfinished case from its journal, billing no step twice.
 */
public final class RunStoppedException extends RuntimeException {
  public RunStoppedException(String message, Throwable cause) {
    super(message, cause);
  }
}
