package io.twinrouter.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import io.twinrouter.sandbox.ExecCommands;
import io.twinrouter.sandbox.OutputBuffer;
import io.twinrouter.sandbox.SandboxException;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Short engine execs of a container's own, outside any command's timeout and output limit: the
 * helper scripts that kill what an exec left behind and read the OOM counter. Also sorts an exec
 * stream into stdout and stderr for both exec paths.
 */
final class EngineExecs {
  private final DockerClient client;
  private final String containerId;

  EngineExecs(DockerClient client, String containerId) {
    this.client = client;
    this.containerId = containerId;
  }

  /** SIGKILLs every process that carries this exec's marker in its environment. */
  void killMarked(String marker) {
    try {
      runQuietly(ExecCommands.killMarkedScript(marker));
    } catch (RuntimeException e) {
      // the container may be gone already; close() removes whatever is left
    }
  }

  /** Runs a short helper script and returns its stdout (no timeout wrapper, no output limit). */
  String runQuietly(String script) {
    String execId =
        client
            .execCreateCmd(containerId)
            .withAttachStdout(true)
            .withAttachStderr(true)
            .withCmd("sh", "-c", script)
            .exec()
            .getId();
    OutputBuffer out = new OutputBuffer(64 * 1024);
    try (ResultCallback.Adapter<Frame> stream =
        client.execStartCmd(execId).exec(new FrameCollector(out, new OutputBuffer(1024)))) {
      stream.awaitCompletion(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new SandboxException("helper exec in " + containerId + ": " + e.getMessage(), e);
    }
    return out.text();
  }

  /** Sorts the multiplexed exec stream into stdout and stderr. */
  static final class FrameCollector extends ResultCallback.Adapter<Frame> {
    private final OutputBuffer out;
    private final OutputBuffer err;

    FrameCollector(OutputBuffer out, OutputBuffer err) {
      this.out = out;
      this.err = err;
    }

    @Override
    public void onNext(Frame frame) {
      byte[] payload = frame.getPayload();
      switch (frame.getStreamType()) {
        case STDERR -> err.write(payload);
        case STDOUT, RAW -> out.write(payload);
        default -> {}
      }
    }
  }
}
