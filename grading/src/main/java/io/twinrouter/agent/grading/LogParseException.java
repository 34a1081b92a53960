package io.twinrouter.agent.grading;

/**
 * A log on which SWE-bench's own parser raises (an {@code IndexError} on a line such as a bare
 * {@code FAIL:}); SWE-bench then writes no report, so the case is an evaluation error.
 */
public final class LogParseException extends RuntimeException {
  public LogParseException(String message) {
    super(message);
  }
}
