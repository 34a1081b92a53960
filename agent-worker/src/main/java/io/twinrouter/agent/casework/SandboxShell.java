package io.twinrouter.agent.casework;

import io.twinrouter.agent.loop.Shell;
import io.twinrouter.sandbox.ExecResult;
import io.twinrouter.sandbox.Sandbox;
import java.time.Duration;

/**
 * A case's shell on a real sandbox (Docker or bwrap). Output is stdout and stderr merged in the
 * order they were written, as mini's subprocess call merges them: the command runs after {@code
 * exec 2>&1}.
 */
public final class SandboxShell implements Shell {

  private final Sandbox sandbox;

  public SandboxShell(Sandbox sandbox) {
    this.sandbox = sandbox;
  }

  public Sandbox sandbox() {
    return sandbox;
  }

  @Override
  public ExecResult exec(String command, Duration timeout) {
    return sandbox.exec("exec 2>&1\n" + command, timeout);
  }

  @Override
  public void close() {
    sandbox.close();
  }
}
