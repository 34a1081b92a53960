package io.twinrouter.agent.loop;

import java.time.Duration;

/**
 * Where a case's commands run: a sandbox holding the repository at {@code /testbed}. Calls block;
 * the case actor makes them on the blocking dispatcher.
 */
public interface Shell extends AutoCloseable {

  /**
   * Runs one command in a fresh {@code bash -c} subshell under {@code /testbed}. A command that
   * outlives the timeout is a value ({@link ShellResult#timedOut}); an exception means the
   * sandbox itself is gone, an infrastructure failure.
   */
  ShellResult exec(String command, Duration timeout) throws Exception;

  /** Releases the sandbox; idempotent. */
  @Override
  void close();
}
