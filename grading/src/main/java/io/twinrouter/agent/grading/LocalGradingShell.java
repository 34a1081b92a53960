package io.twinrouter.agent.grading;

import io.twinrouter.sandbox.ExecResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands on this machine with bash in a working directory: for tests and for grading a
 * repository checked out locally. No isolation; the live track grades in a sandbox.
 */
public final class LocalGradingShell implements GradingShell {

  private final Path workDir;
  private final Map<String, String> environment;
  private final boolean loginShell;

  /**
   * @param environment variables set for every command (e.g. a private HOME so that the eval
   *     script's {@code git config --global} does not touch the user's own configuration)
   * @param loginShell {@code bash -lc} (reads the profile, as an interactive user's shell) rather
   *     than {@code bash -c} (as SWE-bench's {@code /bin/bash /eval.sh}); a profile can cost
   *     seconds per command
   */
  public LocalGradingShell(Path workDir, Map<String, String> environment, boolean loginShell) {
    this.workDir = workDir;
    this.environment = Map.copyOf(environment);
    this.loginShell = loginShell;
  }

  @Override
  public ExecResult run(String command, Duration timeout)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("bash", loginShell ? "-lc" : "-c", command)
        .directory(workDir.toFile());
    pb.environment().putAll(environment);
    long start = System.nanoTime();
    Process p = pb.start();
    p.getOutputStream().close();
    CompletableFuture<byte[]> out = drain(p.getInputStream());
    CompletableFuture<byte[]> err = drain(p.getErrorStream());
    boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!finished) {
      // the whole tree: the test runner is a grandchild of bash
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    return new ExecResult(
        finished ? p.exitValue() : ExecResult.TIMED_OUT,
        new String(out.join(), StandardCharsets.UTF_8),
        new String(err.join(), StandardCharsets.UTF_8),
        took,
        false);
  }

  private static CompletableFuture<byte[]> drain(InputStream in) {
    // a thread of its own per stream: the reads block until the process closes them
    return CompletableFuture.supplyAsync(() -> {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      byte[] chunk = new byte[8192];
      try (in) {
        for (int n; (n = in.read(chunk)) >= 0; ) {
          buf.write(chunk, 0, n);
        }
      } catch (IOException e) {
        // the stream is closed under us when a timed-out process is killed: keep what came
      }
      return buf.toByteArray();
    }, task -> {
      Thread t = new Thread(task, "grading-shell-drain");
      t.setDaemon(true);
      t.start();
    });
  }

  @Override
  public void putFile(String path, byte[] content) throws IOException {
    Path target = Path.of(path);
    if (!target.isAbsolute()) {
      throw new IllegalArgumentException("not an absolute path: " + path);
    }
    Files.createDirectories(target.getParent());
    Files.write(target, content);
  }
}
