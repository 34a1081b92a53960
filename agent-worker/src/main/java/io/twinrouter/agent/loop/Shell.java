package io.twinrouter.agent.loop;

import io.twinrouter.sandbox.ExecResult;
import java.time.Duration;

/**
 * Where a case's commands run: a sandbox holding the repository at {@code /testbed}. Calls block;
 * the case actor makes them on the blocking dispatcher.
 */
public interface Shell extends AutoCloseable {

  /**
   * Runs one command in a fresh {@code bash -c} subshell under {@code /testbed}, its stderr merged
   * into stdout in the order written, as mini merges them. A command that outlives the timeout is
   * a value ({@link ExecResult#timedOut}); an exception means the sandbox itself is gone, an
   * infrastructure failure.
   */
  ExecResult exec(String command, Duration timeout) throws Exception;

  /** Releases the sandbox; idempotent. */
  @Override
  void close();
}
