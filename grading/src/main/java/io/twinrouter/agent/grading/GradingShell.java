package io.twinrouter.agent.grading;

import java.io.IOException;
import java.time.Duration;

/**
 * The little the grader needs from a sandbox holding the case's repository: run a shell command
 * and place a file. Failures of the sandbox itself are exceptions; a command that fails is a
 * result with its exit code.
 */
public interface GradingShell {

  /** Runs {@code command} with bash; a command still running at {@code timeout} is killed. */
  ExecResult run(String command, Duration timeout) throws IOException, InterruptedException;

  /** Writes {@code content} to the absolute {@code path}, creating parent directories. */
  void putFile(String path, byte[] content) throws IOException, InterruptedException;

  /** One command's outcome; {@code truncated} when the sandbox cut the output short. */
  record ExecResult(
      int exitCode,
      String stdout,
      String stderr,
      Duration duration,
      boolean timedOut,
      boolean truncated) {

    /** Both streams, as a terminal-less Docker exec returns them. */
    public String output() {
      return stdout + stderr;
    }
  }
}
