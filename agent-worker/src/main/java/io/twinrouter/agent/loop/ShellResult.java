package io.twinrouter.agent.loop;

/**
 * The outcome of one command.
 *
 * @param output stdout and stderr merged, as the model sees them
 * @param returncode the exit code; -1 when the command could not finish (timeout)
 * @param exceptionInfo why the command could not finish, empty otherwise
 * @param durationMs wall time of the command
 */
public record ShellResult(String output, int returncode, String exceptionInfo, long durationMs) {

  public ShellResult {
    output = output == null ? "" : output;
    exceptionInfo = exceptionInfo == null ? "" : exceptionInfo;
  }

  public static ShellResult timedOut(String partialOutput, long timeoutSeconds, long durationMs) {
    return new ShellResult(
        partialOutput,
        -1,
        "An error occurred while executing the command: the command did not finish within "
            + timeoutSeconds + " seconds and was killed",
        durationMs);
  }
}
