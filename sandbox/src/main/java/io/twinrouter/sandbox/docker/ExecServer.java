package io.twinrouter.sandbox.docker;

import io.twinrouter.sandbox.OutputBuffer;
import io.twinrouter.sandbox.ExecShell;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The client side of the exec server ({@code exec-server.sh}) that runs in a Docker sandbox as one
 * long-lived exec: it frames requests onto the exec's stdin and sorts the framed answers of its
 * stdout and stderr channels into the {@link OutputBuffer}s of the running request. It knows
 * nothing of docker-java: {@link DockerSandbox} feeds it the stream's bytes and hands {@link
 * #input()} to the engine as the exec's stdin.
 *
 * <p>One request at a time: {@link #tryAcquire()} tells a caller whether the server is free; a
 * caller that finds it busy (another thread's exec on the same sandbox) takes the per-exec path
 * instead of waiting, so concurrent execs on one sandbox still run side by side.
 *
 * <p>Once broken (the stream ended, the server answered out of protocol, a request went
 * unanswered) it stays broken: the sandbox then uses the per-exec path for good.
 */
final class ExecServer {

  /** The script the exec runs ({@code bash -c 'read the script from stdin, eval it'}). */
  static final byte[] SCRIPT = loadScript();

  /** What a request ended with. */
  sealed interface Outcome {}

  /** The server answered: the command's exit status (timeout: 137, as the in-container timeout kills). */
  record Exited(int exitCode) implements Outcome {}

  /** The server broke while the request ran (the stream ended, or it spoke out of protocol). */
  record Broken(String reason) implements Outcome {}

  private final ReentrantLock busy = new ReentrantLock();
  private final RequestPipe input = new RequestPipe();
  private final LineSplitter stdoutLines = new LineSplitter(this::onStdoutBlock);
  private final LineSplitter stderrLines = new LineSplitter(this::onStderrBlock);
  private final CountDownLatch ready = new CountDownLatch(1);
  private final Base64.Decoder base64 = Base64.getMimeDecoder();

  private volatile String brokenReason;
  private volatile boolean announced;
  private volatile long serverPid = -1;
  private Request current; // guarded by this

  ExecServer() {
    input.send(SCRIPT);
  }

  /** The command line of the server exec; its first bytes of stdin are {@link #SCRIPT}. */
  static String[] command(String workdir, ExecShell shell) {
    return new String[] {
      "bash", "-c", "s=$(head -c " + SCRIPT.length + ") && eval \"$s\"", "twinrouter-exec-server", workdir,
      shell.flag()
    };
  }

  /** What the engine reads as the server's stdin. */
  InputStream input() {
    return input;
  }

  /** Waits until the server announced itself; false when it did not in time or broke. */
  boolean awaitReady(Duration timeout) throws InterruptedException {
    return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && brokenReason == null;
  }

  /**
   * Whether requests may be sent. They may be before the server announced itself: they wait in
   * its input, so a sandbox's first command overlaps the server's start.
   */
  boolean usable() {
    return brokenReason == null;
  }

  /** Whether the server started (said #READY); before that, no request has run. */
  boolean announced() {
    return announced;
  }

  String brokenReason() {
    return brokenReason;
  }

  long serverPid() {
    return serverPid;
  }

  boolean tryAcquire() {
    return busy.tryLock();
  }

  void release() {
    busy.unlock();
  }

  /**
   * Sends one request; the caller holds the server ({@link #tryAcquire()}). The answer fills
   * {@code out} and {@code err}; {@link #await} waits for it. Null when the server is broken (the
   * request was not sent: the command did not run).
   */
  Request send(String id, Duration timeout, byte[] command, byte[] stdin, OutputBuffer out, OutputBuffer err) {
    if (!id.matches("[0-9a-f-]+")) {
      throw new IllegalArgumentException("bad request id " + id);
    }
    Request r = new Request(id, out, err);
    synchronized (this) {
      if (brokenReason != null) {
        return null;
      }
      current = r;
    }
    byte[] in = stdin == null ? new byte[0] : stdin;
    String header = id + " " + Math.max(1, timeout.toMillis()) + " " + command.length + " " + in.length + "\n";
    byte[] head = header.getBytes(StandardCharsets.US_ASCII);
    byte[] frame = new byte[head.length + command.length + in.length];
    System.arraycopy(head, 0, frame, 0, head.length);
    System.arraycopy(command, 0, frame, head.length, command.length);
    System.arraycopy(in, 0, frame, head.length + command.length, in.length);
    if (!input.send(frame)) {
      synchronized (this) {
        current = null;
      }
      breakDown("the server's input is closed");
      return null;
    }
    return r;
  }

  /** The outcome of a request, or null when none came within {@code wait}. */
  Outcome await(Request r, Duration wait) throws InterruptedException {
    if (!r.done.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
      return null;
    }
    return r.outcome;
  }

  /** Marks the server broken (a request went unanswered); the sandbox stops using it. */
  void abandon(String reason) {
    breakDown(reason);
  }

  /** Bytes of the server exec's stdout channel. */
  void onStdout(byte[] bytes) {
    stdoutLines.accept(bytes);
  }

  /** Bytes of the server exec's stderr channel. */
  void onStderr(byte[] bytes) {
    stderrLines.accept(bytes);
  }

  /** The stream ended (the server exited, the container went away, the connection broke). */
  void onClosed(Throwable error) {
    breakDown(error == null ? "the server's stream ended" : "the server's stream failed: " + error);
  }

  /** Ends the server: closing its input makes it leave its read loop. */
  void close() {
    breakDown("closed");
  }

  private void breakDown(String reason) {
    Request r;
    synchronized (this) {
      if (brokenReason == null) {
        brokenReason = reason;
      }
      r = current;
      current = null;
    }
    input.close();
    ready.countDown();
    if (r != null) {
      r.finish(new Broken(reason));
    }
  }

  private void onStdoutBlock(byte[] buf, int off, int len) {
    if (len > 0 && buf[off] == '#') {
      String[] f = new String(buf, off, len, StandardCharsets.US_ASCII).split(" ");
      switch (f[0]) {
        case "#READY" -> {
          serverPid = parsePid(f);
          announced = true;
          ready.countDown();
        }
        case "#END" -> {
          Request r = matching(f);
          if (r != null && f.length == 3) {
            r.exitCode = Integer.parseInt(f[2]);
            r.stdoutDone = true;
            completeIfDone(r);
          } else {
            breakDown("an answer out of protocol: " + String.join(" ", f));
          }
        }
        default -> breakDown("the server failed: " + String.join(" ", f));
      }
      return;
    }
    Request r = currentRequest();
    if (r != null) {
      decodeInto(buf, off, len, r.out);
    }
  }

  private void onStderrBlock(byte[] buf, int off, int len) {
    if (len > 0 && buf[off] == '#') {
      String[] f = new String(buf, off, len, StandardCharsets.US_ASCII).split(" ");
      Request r = f[0].equals("#END") ? matching(f) : null;
      if (r == null) {
        breakDown("an answer out of protocol on stderr: " + String.join(" ", f));
        return;
      }
      r.stderrDone = true;
      completeIfDone(r);
      return;
    }
    Request r = currentRequest();
    if (r != null) {
      decodeInto(buf, off, len, r.err);
    }
  }

  /** Decodes whole base64 lines (the MIME decoder skips the newlines between them) into a buffer. */
  private void decodeInto(byte[] buf, int off, int len, OutputBuffer target) {
    try {
      java.nio.ByteBuffer bytes = base64.decode(java.nio.ByteBuffer.wrap(buf, off, len));
      target.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
    } catch (IllegalArgumentException e) {
      breakDown("output that is not base64");
    }
  }

  private synchronized Request currentRequest() {
    return current;
  }

  private synchronized Request matching(String[] fields) {
    return current != null && fields.length >= 2 && current.id.equals(fields[1]) ? current : null;
  }

  private void completeIfDone(Request r) {
    synchronized (this) {
      if (!r.stdoutDone || !r.stderrDone || current != r) {
        return;
      }
      current = null;
    }
    r.finish(new Exited(r.exitCode));
  }

  private static long parsePid(String[] f) {
    try {
      return f.length > 1 ? Long.parseLong(f[1]) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static byte[] loadScript() {
    try (InputStream in = ExecServer.class.getResourceAsStream("exec-server.sh")) {
      if (in == null) {
        throw new IllegalStateException("exec-server.sh is missing from the sandbox module");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One request in flight; its answer fills the buffers, then {@link #done} opens. */
  static final class Request {
    final String id;
    final OutputBuffer out;
    final OutputBuffer err;
    final CountDownLatch done = new CountDownLatch(1);
    volatile boolean stdoutDone;
    volatile boolean stderrDone;
    volatile int exitCode;
    volatile Outcome outcome;

    Request(String id, OutputBuffer out, OutputBuffer err) {
      this.id = id;
      this.out = out;
      this.err = err;
    }

    void finish(Outcome o) {
      if (outcome == null) {
        outcome = o;
      }
      done.countDown();
    }
  }
}
