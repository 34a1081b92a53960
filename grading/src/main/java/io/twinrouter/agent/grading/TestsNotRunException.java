package io.twinrouter.agent.grading;

import java.io.IOException;

/**
 * The eval script ran but the test suite did not: the markers are missing, the test runner is
 * absent, or nothing was reported even without the model's patch. That says nothing about the
 * patch, so it is an infrastructure failure (an {@link IOException}, like a sandbox that fails)
 * and never an unresolved verdict: the case is retried, and a rerun on a fixed environment
 * grades it.
 */
public final class TestsNotRunException extends IOException {

  private final String log;

  public TestsNotRunException(String instanceId, String why, String log) {
    super(instanceId + ": the tests did not run: " + why);
    this.log = log;
  }

  /** The eval script's output, for the case's files and for {@code tasks validate}. */
  public String log() {
    return log;
  }
}
