package io.twinrouter.agent.casework;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a replayed step no longer matches its record: a command that exited otherwise than it did
 * (both exit codes kept), or a record this version cannot feed back ({@code reason}). A resumed
 * case starts over from step 0 on it; a branch ends void with it as its agent error, from which
 * {@link #of} reads it back.
 *
 * @param exitCode the replayed command's exit code (when {@code command} is set)
 */
public record ReplayDivergence(int step, String command, int exitCode, int recordedExitCode,
    String reason) {

  /** A void branch's {@code exit_status} and the class in its {@code agent_error}. */
  public static final String ERROR_CLASS = "ReplayDiverged";

  private static final Pattern EXITED = Pattern.compile(
      ERROR_CLASS + ": step (\\d+): command '(.*)' exited (-?\\d+), recorded (-?\\d+)",
      Pattern.DOTALL);

  ReplayDivergence(int step, String command, int exitCode, int recordedExitCode) {
    this(step, command, exitCode, recordedExitCode, null);
  }

  ReplayDivergence(int step, String reason) {
    this(step, null, 0, 0, reason);
  }

  public String message() {
    return "step " + step + ": " + (command == null ? reason
        : "command '" + command + "' exited " + exitCode + ", recorded " + recordedExitCode);
  }

  /** The command divergence a void branch's {@code agent_error} names; else empty. */
  public static Optional<ReplayDivergence> of(String agentError) {
    if (agentError == null) {
      return Optional.empty();
    }
    Matcher m = EXITED.matcher(agentError);
    return m.matches() ? Optional.of(new ReplayDivergence(Integer.parseInt(m.group(1)),
        m.group(2), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4))))
        : Optional.empty();
  }
}
