package io.twinrouter.agent.grading;

import io.twinrouter.sandbox.ExecResult;
import java.io.IOException;
import java.time.Duration;

/**
 * The little the grader needs from a sandbox holding the case's repository: run a shell command
 * and place a file. Failures of the sandbox itself are exceptions; a command that fails is a
 * result with its exit code.
 */
public interface GradingShell {

  /**
   * Runs {@code command} with bash; a command still running at {@code timeout} is killed and
   * exits {@link ExecResult#TIMED_OUT}.
   */
  ExecResult run(String command, Duration timeout) throws IOException, InterruptedException;

  /** Writes {@code content} to the absolute {@code path}, creating parent directories. */
  void putFile(String path, byte[] content) throws IOException, InterruptedException;
}
