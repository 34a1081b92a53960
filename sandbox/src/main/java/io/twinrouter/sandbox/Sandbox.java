package io.twinrouter.sandbox;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One isolated work environment for one case: {@code /testbed} as the working directory, no
 * network, bounded resources. All calls block; actors call them on the sandbox dispatcher ({@link
 * SandboxSettings#DISPATCHER}).
 *
 * <p>Each {@link #exec} is a fresh {@code bash -lc COMMAND} in the working directory, as in
 * mini-swe-agent: shell state (cd, variables) does not carry over, files do.
 */
public interface Sandbox extends AutoCloseable {

  /** A short id naming the sandbox (container id, or the local work directory's name). */
  String id();

  /**
   * Runs a command. When the timeout expires the command and everything it started are killed
   * inside the sandbox and the result has exit code {@link ExecResult#TIMED_OUT} with the partial
   * output.
   */
  default ExecResult exec(String command, Duration timeout) {
    return exec(command, timeout, null);
  }

  /**
   * Runs a command with {@code stdin} as its standard input (null for none). The bytes are first
   * copied into the sandbox as a file and the command reads it through a redirection, so nothing
   * depends on half-closing a stream (grading pipes a patch into {@code git apply -} this way).
   */
  ExecResult exec(String command, Duration timeout, byte[] stdin);

  /** Copies a host file or folder to {@code sandboxPath} (an absolute path, parents created). */
  void copyIn(Path hostPath, String sandboxPath);

  /** Writes {@code content} to the file {@code sandboxPath} (an absolute path, parents created). */
  void writeFile(String sandboxPath, byte[] content);

  /** The content of the regular file {@code sandboxPath}. */
  byte[] readFile(String sandboxPath);

  /** Copies the file or folder {@code sandboxPath} to {@code hostTarget} (created or replaced). */
  void copyOut(String sandboxPath, Path hostTarget);

  /** Removes everything the sandbox made (container, work directory, cgroups). Idempotent. */
  @Override
  void close();
}
