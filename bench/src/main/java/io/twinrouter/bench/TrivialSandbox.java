package io.twinrouter.bench;

import io.twinrouter.sandbox.ExecResult;
import io.twinrouter.sandbox.Sandbox;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A sandbox that runs nothing: every command exits 0 at once with no output, files written are
 * dropped. {@code bench live} runs cases on it so that what it times is the orchestration around
 * the sandbox, not the sandbox (which {@code bench sandbox} measures).
 */
final class TrivialSandbox implements Sandbox {
  private final String id;

  TrivialSandbox(String id) {
    this.id = id;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public ExecResult exec(String command, Duration timeout, byte[] stdin) {
    return new ExecResult(0, "", "", Duration.ZERO, false);
  }

  @Override
  public void copyIn(Path hostPath, String sandboxPath) {}

  @Override
  public void writeFile(String sandboxPath, byte[] content) {}

  @Override
  public byte[] readFile(String sandboxPath) {
    return new byte[0];
  }

  @Override
  public void copyOut(String sandboxPath, Path hostTarget) {}

  @Override
  public void close() {}
}
