package io.twinrouter.orchestrator.live;

import io.twinrouter.agent.loop.CaseTask;
import io.twinrouter.agent.loop.Shell;
import io.twinrouter.agent.loop.ShellOpener;
import io.twinrouter.agent.loop.ShellResult;
import io.twinrouter.sandbox.ExecResult;
import io.twinrouter.sandbox.Sandbox;
import io.twinrouter.sandbox.SandboxProvider;
import java.time.Duration;

/**
 * The agent loop's {@link ShellOpener} over a {@link SandboxProvider}: one fresh sandbox per case
 * attempt, from the task's repository source or image ({@link TaskCatalog#sandboxSpec}).
 */
final class SandboxShells implements ShellOpener {
  private final SandboxProvider provider;
  private final TaskCatalog catalog;

  SandboxShells(SandboxProvider provider, TaskCatalog catalog) {
    this.provider = provider;
    this.catalog = catalog;
  }

  @Override
  public Shell open(CaseTask task) {
    return new SandboxShell(provider.open(catalog.sandboxSpec(task.instanceId())));
  }

  /** One case's sandbox as the loop sees it: merged output, timeouts as values. */
  static final class SandboxShell implements Shell {
    private final Sandbox sandbox;

    SandboxShell(Sandbox sandbox) {
      this.sandbox = sandbox;
    }

    @Override
    public ShellResult exec(String command, Duration timeout) {
      ExecResult r = sandbox.exec(command, timeout);
      long ms = r.duration().toMillis();
      if (r.timedOut()) {
        return ShellResult.timedOut(r.combinedOutput(), timeout.toSeconds(), ms);
      }
      return new ShellResult(r.combinedOutput(), r.exitCode(), "", ms);
    }

    @Override
    public void close() {
      sandbox.close();
    }
  }
}
