package io.twinrouter.agent.loop;

import io.twinrouter.sandbox.ExecResult;
import java.time.Duration;

/**
 * Renders a command's result for the model with the case's {@link Prompts} (live-track spec
 * 2.1.2), after saying why a command could not finish.
 */
public final class ObservationRenderer {

  private final Prompts prompts;
  private final int limitChars;
  private final Duration commandTimeout;

  /** @param commandTimeout the limit commands run under, named when one outlives it */
  public ObservationRenderer(Prompts prompts, int limitChars, Duration commandTimeout) {
    this.prompts = prompts;
    this.limitChars = limitChars;
    this.commandTimeout = commandTimeout;
  }

  /** mini's {@code exception_info}: why the command could not finish; empty when it did. */
  public String exceptionInfo(ExecResult result) {
    return result.timedOut()
        ? "An error occurred while executing the command: the command did not finish within "
            + commandTimeout.toSeconds() + " seconds and was killed"
        : "";
  }

  /** The observation of one command, {@code calls} and {@code costUsd} the loop's so far. */
  public String render(ExecResult result, int calls, double costUsd) {
    return prompts.observationMessage(result, exceptionInfo(result), limitChars, calls, costUsd);
  }

  /** The observation of one command at the start of a case. */
  public String render(ExecResult result) {
    return render(result, 0, 0.0);
  }
}
