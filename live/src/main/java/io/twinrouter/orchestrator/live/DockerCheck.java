package io.twinrouter.orchestrator.live;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Whether a Docker engine is usable here: the demo's choice of sandbox, and the Docker tests'. */
public final class DockerCheck {
  private DockerCheck() {}

  /** True when {@code docker info} succeeds within ten seconds. */
  public static boolean answers() {
    try {
      Process p = new ProcessBuilder("docker", "info")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
