package io.twinrouter.sandbox;

import java.time.Duration;

/**
 * What one command in a sandbox produced.
 *
 * @param exitCode the exit status of {@code bash -c|-lc COMMAND}; {@link #TIMED_OUT} (-1) when the
 *     timeout expired and the command was killed (stdout and stderr then hold the partial output)
 * @param truncated whether stdout or stderr was longer than the output limit; the head and the
 *     tail were kept with a marker line between them
 */
public record ExecResult(
    int exitCode, String stdout, String stderr, Duration duration, boolean truncated) {

  public static final int TIMED_OUT = -1;

  /** 128 + SIGKILL: what a process killed by the kernel's out-of-memory killer exits with. */
  public static final int KILLED = 137;

  public boolean timedOut() {
    return exitCode == TIMED_OUT;
  }

  public boolean succeeded() {
    return exitCode == 0;
  }

  /** stdout followed by stderr, as mini-swe-agent shows one step's output to the model. */
  public String combinedOutput() {
    return stdout + stderr;
  }
}
