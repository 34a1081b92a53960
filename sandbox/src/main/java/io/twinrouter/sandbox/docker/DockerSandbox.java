package io.twinrouter.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import io.twinrouter.sandbox.ExecCommands;
import io.twinrouter.sandbox.ExecResult;
import io.twinrouter.sandbox.Limits;
import io.twinrouter.sandbox.OutputBuffer;
import io.twinrouter.sandbox.Sandbox;
import io.twinrouter.sandbox.SandboxException;
import io.twinrouter.sandbox.SandboxSpec;
import io.twinrouter.sandbox.Tars;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** One running container; every call goes through the shared docker-java client. */
final class DockerSandbox implements Sandbox {

  /** Extra wait beyond the in-container timeout before the client gives up on the stream. */
  private static final Duration GRACE = Duration.ofSeconds(5);

  private final DockerClient client;
  private final String containerId;
  private final SandboxSpec spec;
  private final Limits limits;
  private final int outputLimit;
  private final Consumer<DockerSandbox> onClose;
  private final List<String> env;
  private long oomKillsSeen;
  private volatile boolean closed;

  DockerSandbox(
      DockerClient client,
      String containerId,
      SandboxSpec spec,
      Limits limits,
      int outputLimit,
      Consumer<DockerSandbox> onClose) {
    this.client = client;
    this.containerId = containerId;
    this.spec = spec;
    this.limits = limits;
    this.outputLimit = outputLimit;
    this.onClose = onClose;
    this.env = new ArrayList<>();
    spec.env().forEach((k, v) -> env.add(k + "=" + v));
  }

  @Override
  public String id() {
    return containerId.substring(0, 12);
  }

  @Override
  public ExecResult exec(String command, Duration timeout, byte[] stdin) {
    checkOpen();
    String marker = UUID.randomUUID().toString();
    String stdinFile = null;
    if (stdin != null) {
      stdinFile = ExecCommands.stdinPath(marker);
      writeFile(stdinFile, stdin);
    }
    List<String> execEnv = new ArrayList<>(env);
    execEnv.add(ExecCommands.MARKER_VAR + "=" + marker);
    OutputBuffer out = new OutputBuffer(outputLimit);
    OutputBuffer err = new OutputBuffer(outputLimit);
    long start = System.nanoTime();
    String execId;
    try {
      execId =
          client
              .execCreateCmd(containerId)
              .withAttachStdout(true)
              .withAttachStderr(true)
              .withWorkingDir(spec.workdir())
              .withEnv(execEnv)
              .withCmd(ExecCommands.wrap(command, timeout, stdinFile).toArray(String[]::new))
              .exec()
              .getId();
    } catch (DockerException e) { // the container is gone or stopped (removed by a reaper, killed)
      throw new SandboxException(
          "cannot run a command in sandbox " + id() + ": " + DockerSandboxProvider.rootMessage(e), e);
    }
    boolean finished;
    try (ResultCallback.Adapter<Frame> stream =
        client.execStartCmd(execId).exec(new FrameCollector(out, err))) {
      finished = stream.awaitCompletion(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      killMarked(marker);
      throw new SandboxException("interrupted while running a command in " + id(), e);
    } catch (IOException e) {
      throw new SandboxException("exec stream of " + id() + ": " + e.getMessage(), e);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    Long code = finished ? client.inspectExecCmd(execId).exec().getExitCodeLong() : null;
    int exit = code == null ? ExecResult.TIMED_OUT : code.intValue();
    if (ExecCommands.timedOut(finished, exit, elapsed, timeout)) {
      killMarked(marker); // also what left the process group (setsid, nohup ... &)
      return new ExecResult(
          ExecResult.TIMED_OUT, out.text(), err.text(), elapsed, out.truncated() || err.truncated());
    }
    String stderr = err.text();
    if (exit == ExecResult.KILLED) {
      stderr += oomNote();
    }
    return new ExecResult(exit, out.text(), stderr, elapsed, out.truncated() || err.truncated());
  }

  /** SIGKILLs every process that carries this exec's marker in its environment. */
  private void killMarked(String marker) {
    try {
      runQuietly(ExecCommands.killMarkedScript(marker));
    } catch (RuntimeException e) {
      // the container may be gone already; close() removes whatever is left
    }
  }

  /** A note for stderr when the cgroup's OOM-kill counter went up during the last exec. */
  private String oomNote() {
    String counters = runQuietly(ExecCommands.OOM_COUNTER_SCRIPT);
    long kills = ExecCommands.parseOomKills(counters);
    if (kills > oomKillsSeen) {
      oomKillsSeen = kills;
      return ExecCommands.oomMessage(limits.memoryBytes());
    }
    return ExecCommands.sigkillMessage(limits.memoryBytes());
  }

  /** Runs a short helper script and returns its stdout (no timeout wrapper, no output limit). */
  private String runQuietly(String script) {
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
      throw new SandboxException("helper exec in " + id() + ": " + e.getMessage(), e);
    }
    return out.text();
  }

  @Override
  public void copyIn(Path hostPath, String sandboxPath) {
    checkOpen();
    ExecCommands.requireAbsolute(sandboxPath);
    Path archive = null;
    try {
      // through a temporary file: a repository bundle can be large, the heap need not hold it
      archive = java.nio.file.Files.createTempFile("twinrouter-copy-", ".tar");
      try (OutputStream out = java.nio.file.Files.newOutputStream(archive);
          TarArchiveOutputStream tar = Tars.writer(out)) {
        Tars.addPath(tar, hostPath, sandboxPath.substring(1));
      }
      try (InputStream in = java.nio.file.Files.newInputStream(archive)) {
        upload(in, sandboxPath);
      }
    } catch (IOException e) {
      throw new SandboxException("copying " + hostPath + " into " + id() + ": " + e.getMessage(), e);
    } finally {
      if (archive != null) {
        try {
          java.nio.file.Files.deleteIfExists(archive);
        } catch (IOException ignored) {
          // a temp file
        }
      }
    }
  }

  @Override
  public void writeFile(String sandboxPath, byte[] content) {
    checkOpen();
    ExecCommands.requireAbsolute(sandboxPath);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(content.length + 2048);
    try (TarArchiveOutputStream tar = Tars.writer(bytes)) {
      Tars.addBytes(tar, sandboxPath.substring(1), content);
    } catch (IOException e) {
      throw new SandboxException("packing " + sandboxPath + ": " + e.getMessage(), e);
    }
    upload(new ByteArrayInputStream(bytes.toByteArray()), sandboxPath);
  }

  private void upload(InputStream tar, String sandboxPath) {
    try {
      client
          .copyArchiveToContainerCmd(containerId)
          .withTarInputStream(tar)
          .withRemotePath("/")
          .exec();
    } catch (DockerException e) {
      throw new SandboxException(
          "copying to " + sandboxPath + " in " + id() + ": " + DockerSandboxProvider.rootMessage(e), e);
    }
  }

  @Override
  public byte[] readFile(String sandboxPath) {
    checkOpen();
    try (InputStream in = client.copyArchiveFromContainerCmd(containerId, sandboxPath).exec()) {
      return Tars.firstFile(in, sandboxPath + " in " + id());
    } catch (NotFoundException e) {
      throw new SandboxException("no file " + sandboxPath + " in sandbox " + id(), e);
    } catch (IOException e) {
      throw new SandboxException("reading " + sandboxPath + " from " + id() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void copyOut(String sandboxPath, Path hostTarget) {
    checkOpen();
    String top = Path.of(sandboxPath).getFileName().toString();
    try (InputStream in = client.copyArchiveFromContainerCmd(containerId, sandboxPath).exec()) {
      Tars.unpackAs(in, top, hostTarget);
    } catch (NotFoundException e) {
      throw new SandboxException("no file or folder " + sandboxPath + " in sandbox " + id(), e);
    } catch (IOException e) {
      throw new SandboxException(
          "copying " + sandboxPath + " out of " + id() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      client.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException e) {
      // already gone (reaped)
    } finally {
      onClose.accept(this);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new SandboxException("sandbox " + id() + " is closed");
    }
  }

  /** Sorts the multiplexed exec stream into stdout and stderr. */
  private static final class FrameCollector extends ResultCallback.Adapter<Frame> {
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
