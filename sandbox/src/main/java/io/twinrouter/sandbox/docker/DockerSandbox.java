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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running container; every call goes through the shared docker-java client. Commands run on
 * the container's {@link ExecServer} (one long-lived exec, a request per command on its open
 * stream) when it is up, else, and when another thread's command holds the server, as an engine
 * exec of their own; both paths run the same {@code timeout --signal=KILL bash -c|-lc COMMAND}.
 */
final class DockerSandbox implements Sandbox {
  private static final Logger log = LoggerFactory.getLogger(DockerSandbox.class);

  /** Extra wait beyond the in-container timeout before the client gives up on the stream. */
  private static final Duration GRACE = Duration.ofSeconds(5);

  /** Longest wait for the exec server to start before a command takes the per-exec path. */
  private static final Duration SERVER_START = Duration.ofSeconds(30);

  private final DockerClient client;
  /** A client of its own for the server's stream, which holds a connection for the sandbox's life. */
  private final DockerClient streamClient;
  private final String containerId;
  private final SandboxSpec spec;
  private final Limits limits;
  private final int outputLimit;
  private final Consumer<DockerSandbox> onClose;
  private final List<String> env;
  private long oomKillsSeen;
  private volatile boolean closed;
  private volatile ExecServer server; // null: every exec is an engine exec of its own
  private volatile ResultCallback.Adapter<Frame> serverStream;
  private final AtomicBoolean fallbackLogged = new AtomicBoolean();
  private final ContainerFiles files;
  private final EngineExecs engine;

  DockerSandbox(
      DockerClient client,
      DockerClient streamClient,
      String containerId,
      SandboxSpec spec,
      Limits limits,
      int outputLimit,
      Consumer<DockerSandbox> onClose) {
    this.client = client;
    this.streamClient = streamClient;
    this.containerId = containerId;
    this.spec = spec;
    this.limits = limits;
    this.outputLimit = outputLimit;
    this.onClose = onClose;
    this.env = new ArrayList<>();
    spec.env().forEach((k, v) -> env.add(k + "=" + v));
    this.files = new ContainerFiles(client, containerId);
    this.engine = new EngineExecs(client, containerId);
  }

  @Override
  public String id() {
    return containerId.substring(0, 12);
  }

  /**
   * Starts the exec server without waiting for it: the first command's request waits in its input
   * meanwhile. When it cannot start, the sandbox keeps to the per-exec path (logged).
   */
  void startServer() {
    ExecServer s = new ExecServer();
    try {
      String execId =
          client
              .execCreateCmd(containerId)
              .withAttachStdin(true)
              .withAttachStdout(true)
              .withAttachStderr(true)
              .withWorkingDir(spec.workdir())
              .withEnv(env)
              .withCmd(ExecServer.command(spec.workdir(), spec.shell()))
              .exec()
              .getId();
      serverStream = streamClient.execStartCmd(execId).withStdIn(s.input()).exec(new ServerStream(s));
      server = s;
    } catch (RuntimeException e) {
      s.abandon("it could not start: " + DockerSandboxProvider.rootMessage(e));
      noteFallback(s);
    }
  }

  /** Whether commands currently go to the exec server (for tests and the benchmark). */
  boolean serverActive() {
    ExecServer s = server;
    return s != null && s.usable();
  }

  /** The exec server's process id inside the container, or -1 (for tests). */
  long serverPid() throws InterruptedException {
    ExecServer s = server;
    return s == null || !s.awaitReady(SERVER_START) ? -1 : s.serverPid();
  }

  @Override
  public ExecResult exec(String command, Duration timeout, byte[] stdin) {
    checkOpen();
    ExecCommands.seconds(timeout); // rejects a timeout that is not positive, on both paths
    ExecServer s = server;
    // argv cannot carry a NUL byte, so such a command keeps the engine's own answer to it
    if (s != null && command.indexOf('\0') < 0 && s.tryAcquire()) {
      try {
        ExecResult r = s.usable() ? execOnServer(s, command, timeout, stdin) : null;
        if (r != null) {
          return r;
        }
      } finally {
        s.release();
      }
    }
    if (s != null && !s.usable()) {
      noteFallback(s);
    }
    return execPerCall(command, timeout, stdin);
  }

  /** One command as a request to the exec server; null when it could not be sent (not run). */
  private ExecResult execOnServer(ExecServer s, String command, Duration timeout, byte[] stdin) {
    String marker = UUID.randomUUID().toString();
    OutputBuffer out = new OutputBuffer(outputLimit);
    OutputBuffer err = new OutputBuffer(outputLimit);
    long start = System.nanoTime();
    ExecServer.Request request =
        s.send(marker, timeout, command.getBytes(StandardCharsets.UTF_8), stdin, out, err);
    if (request == null) {
      return null;
    }
    ExecServer.Outcome outcome;
    try {
      outcome = s.await(request, timeout.plus(GRACE).plus(s.announced() ? Duration.ZERO : SERVER_START));
      if (outcome == null && !s.announced()) {
        s.abandon("it did not start within " + SERVER_START); // the request never ran
        return null;
      }
      if (outcome == null) {
        // the time is up and something still holds the output open (a process that left the
        // group before the in-container timeout fired): kill what carries the marker, as the
        // per-exec path does, and the server answers
        engine.killMarked(marker);
        outcome = s.await(request, GRACE);
        if (outcome == null) {
          s.abandon("no answer to a command within its timeout");
          noteFallback(s);
        }
        return new ExecResult(ExecResult.TIMED_OUT, out.text(), err.text(), elapsedSince(start),
            out.truncated() || err.truncated());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      engine.killMarked(marker);
      s.abandon("interrupted while a command ran"); // its answer would be read as the next one's
      throw new SandboxException("interrupted while running a command in " + id(), e);
    }
    Duration elapsed = elapsedSince(start);
    if (outcome instanceof ExecServer.Broken && !s.announced()) {
      return null; // the server never started, so the command did not run: the per-exec path runs it
    }
    if (outcome instanceof ExecServer.Broken broken) {
      // the server died with the command (e.g. the command killed it): stop what is left of the
      // command, report it killed, and run later commands as engine execs
      engine.killMarked(marker);
      noteFallback(s);
      return new ExecResult(ExecResult.KILLED, out.text(),
          err.text() + "\n[twinrouter: the sandbox's exec server ended while this command ran ("
              + broken.reason() + "); the command was stopped]\n",
          elapsed, out.truncated() || err.truncated());
    }
    int exit = ((ExecServer.Exited) outcome).exitCode();
    // the server has already killed what the command left behind when its time was up
    return finish(exit, true, elapsed, timeout, out, err);
  }

  /** The result of a finished exec, as both paths report it. */
  private ExecResult finish(int exit, boolean finished, Duration elapsed, Duration timeout,
      OutputBuffer out, OutputBuffer err) {
    boolean truncated = out.truncated() || err.truncated();
    if (ExecCommands.timedOut(finished, exit, elapsed, timeout)) {
      return new ExecResult(ExecResult.TIMED_OUT, out.text(), err.text(), elapsed, truncated);
    }
    String stderr = err.text();
    if (exit == ExecResult.KILLED) {
      stderr += oomNote();
    }
    return new ExecResult(exit, out.text(), stderr, elapsed, truncated);
  }

  private static Duration elapsedSince(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  private void noteFallback(ExecServer s) {
    if (!closed && fallbackLogged.compareAndSet(false, true)) {
      log.warn("sandbox {}: the exec server is unusable ({}); each command now runs as an engine exec of its own",
          id(), s.brokenReason());
    }
  }

  /** One command as an engine exec of its own (create, start, inspect). */
  private ExecResult execPerCall(String command, Duration timeout, byte[] stdin) {
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
              .withCmd(ExecCommands.wrap(spec.shell(), command, timeout, stdinFile)
                  .toArray(String[]::new))
              .exec()
              .getId();
    } catch (DockerException e) { // the container is gone or stopped (removed by a reaper, killed)
      throw new SandboxException(
          "cannot run a command in sandbox " + id() + ": " + DockerSandboxProvider.rootMessage(e), e);
    }
    boolean finished;
    try (ResultCallback.Adapter<Frame> stream =
        client.execStartCmd(execId).exec(new EngineExecs.FrameCollector(out, err))) {
      finished = stream.awaitCompletion(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      engine.killMarked(marker);
      throw new SandboxException("interrupted while running a command in " + id(), e);
    } catch (IOException e) {
      throw new SandboxException("exec stream of " + id() + ": " + e.getMessage(), e);
    }
    Duration elapsed = elapsedSince(start);
    Long code = finished ? client.inspectExecCmd(execId).exec().getExitCodeLong() : null;
    int exit = code == null ? ExecResult.TIMED_OUT : code.intValue();
    if (ExecCommands.timedOut(finished, exit, elapsed, timeout)) {
      engine.killMarked(marker); // also what left the process group (setsid, nohup ... &)
    }
    return finish(exit, finished, elapsed, timeout, out, err);
  }

  /** A note for stderr when the cgroup's OOM-kill counter went up during the last exec. */
  private String oomNote() {
    String counters = engine.runQuietly(ExecCommands.OOM_COUNTER_SCRIPT);
    long kills = ExecCommands.parseOomKills(counters);
    if (kills > oomKillsSeen) {
      oomKillsSeen = kills;
      return ExecCommands.oomMessage(limits.memoryBytes());
    }
    return ExecCommands.sigkillMessage(limits.memoryBytes());
  }

  @Override
  public void copyIn(Path hostPath, String sandboxPath) {
    checkOpen();
    files.copyIn(hostPath, sandboxPath);
  }

  @Override
  public void writeFile(String sandboxPath, byte[] content) {
    checkOpen();
    files.writeFile(sandboxPath, content);
  }

  @Override
  public byte[] readFile(String sandboxPath) {
    checkOpen();
    return files.readFile(sandboxPath);
  }

  @Override
  public void copyOut(String sandboxPath, Path hostTarget) {
    checkOpen();
    files.copyOut(sandboxPath, hostTarget);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    ExecServer s = server;
    if (s != null) {
      s.close();
    }
    try {
      client.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException e) {
      // already gone (reaped)
    } finally {
      closeQuietly(serverStream);
      onClose.accept(this);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new SandboxException("sandbox " + id() + " is closed");
    }
  }

  private static void closeQuietly(ResultCallback.Adapter<Frame> stream) {
    if (stream == null) {
      return;
    }
    try {
      stream.close();
    } catch (IOException | RuntimeException e) {
      // the container is gone; so is the stream
    }
  }

  /** Hands the server exec's stream to its {@link ExecServer}. */
  private static final class ServerStream extends ResultCallback.Adapter<Frame> {
    private final ExecServer server;

    ServerStream(ExecServer server) {
      this.server = server;
    }

    @Override
    public void onNext(Frame frame) {
      switch (frame.getStreamType()) {
        case STDOUT, RAW -> server.onStdout(frame.getPayload());
        case STDERR -> server.onStderr(frame.getPayload());
        default -> {}
      }
    }

    @Override
    public void onError(Throwable error) {
      server.onClosed(error);
      super.onError(error);
    }

    @Override
    public void onComplete() {
      server.onClosed(null);
      super.onComplete();
    }
  }
}
