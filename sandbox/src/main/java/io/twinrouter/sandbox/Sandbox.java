package io.twinrouter.sandbox;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One isolated work environment for one case: {@code /testbed} as the working directory, no
 * network, bounded resources. All calls block; actors call them on the sandbox dispatcher ({@link
 * SandboxSettings#DISPATCHER}).
 *
 * <p>Each {@link #exec} is a fresh {@code bash -c COMMAND} or {@code bash -lc COMMAND} (the spec's
 * {@link ExecShell}) in the working directory, as in mini-swe-agent: shell state (cd, variables)
 * does not carry over, files do.
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
   * Runs a command with {@code stdin} as its standard input (null for none: the command reads an
   * empty input). Docker copies the bytes into the container as a file that the command's shell
   * reads through a redirection and deletes at once, so nothing depends on half-closing an attached
   * stream; the local sandbox pipes them. Grading pipes a patch into {@code git apply -} this way.
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
