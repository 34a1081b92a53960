package io.twinrouter.agent.loop;

/**
 * The end of a case's loop.
 *
 * @param finishedBy the reference's {@code finished_by}/{@code exit_status} string
 * @param submission the submitted patch; empty unless {@link ExitStatus#SUBMITTED}
 * @param agentError {@code "<Class>: <message>"} when an error ended the loop, else null
 */
public record LoopExit(ExitStatus status, String finishedBy, String submission, String agentError) {

  public static LoopExit submitted(String submission) {
    return new LoopExit(ExitStatus.SUBMITTED, "Submitted", submission, null);
  }

  public static LoopExit limitsExceeded() {
    return new LoopExit(ExitStatus.LIMITS_EXCEEDED, "LimitsExceeded", "", null);
  }

  public static LoopExit error(ExitStatus status, String errorClass, String message) {
    return new LoopExit(status, errorClass, "", errorClass + ": " + message);
  }
}
