package io.twinrouter.sandbox.local;

import io.twinrouter.sandbox.ExecCommands;
import io.twinrouter.sandbox.ExecResult;
import io.twinrouter.sandbox.Limits;
import io.twinrouter.sandbox.OutputBuffer;
import io.twinrouter.sandbox.Sandbox;
import io.twinrouter.sandbox.SandboxException;
import io.twinrouter.sandbox.SandboxSpec;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A bubblewrap sandbox: each exec is a fresh {@code bwrap} with every namespace unshared (so no
 * network: only {@code lo}), the base image's root filesystem read-only as {@code /} (the same
 * tools and view as the Docker backend; no host folder, socket or {@code /etc} is bound), and this
 * sandbox's own directories bound writable at {@code /testbed}, {@code /tmp} and {@code /root}. Its
 * processes live in a cgroup with the sandbox limits. Unlike a container, nothing outlives an exec:
 * when {@code bash} ends, the pid namespace and every background process in it end too.
 */
final class LocalSandbox implements Sandbox {
  private static final String PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final Path dir;
  private final Path rootfs;
  private final SandboxSpec spec;
  private final Limits limits;
  private final Optional<Cgroups> cgroup;
  private final String bwrap;
  private final int outputLimit;
  private final Consumer<LocalSandbox> onClose;
  private long oomKillsSeen;
  private volatile boolean closed;

  LocalSandbox(
      Path dir,
      Path rootfs,
      SandboxSpec spec,
      Limits limits,
      Optional<Cgroups> cgroup,
      String bwrap,
      int outputLimit,
      Consumer<LocalSandbox> onClose) {
    this.dir = dir;
    this.rootfs = rootfs;
    this.spec = spec;
    this.limits = limits;
    this.cgroup = cgroup;
    this.bwrap = bwrap;
    this.outputLimit = outputLimit;
    this.onClose = onClose;
  }

  @Override
  public String id() {
    return dir.getFileName().toString();
  }

  Path directory() {
    return dir;
  }

  @Override
  public ExecResult exec(String command, Duration timeout, byte[] stdin) {
    checkOpen();
    ExecCommands.seconds(timeout); // validates
    String marker = UUID.randomUUID().toString();
    List<String> argv = command(command, marker);
    ProcessBuilder pb = new ProcessBuilder(argv);
    if (stdin == null) {
      pb.redirectInput(new File("/dev/null"));
    }
    OutputBuffer out = new OutputBuffer(outputLimit);
    OutputBuffer err = new OutputBuffer(outputLimit);
    long start = System.nanoTime();
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new SandboxException("starting " + bwrap + ": " + e.getMessage(), e);
    }
    Thread outReader = pump(p.getInputStream(), out, "out");
    Thread errReader = pump(p.getErrorStream(), err, "err");
    if (stdin != null) {
      feed(p.getOutputStream(), stdin);
    }
    boolean finished;
    try {
      finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        kill(p);
      }
      p.waitFor(10, TimeUnit.SECONDS);
      outReader.join(10_000);
      errReader.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill(p);
      throw new SandboxException("interrupted while running a command in " + id(), e);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    boolean truncated = out.truncated() || err.truncated();
    if (!finished) {
      return new ExecResult(ExecResult.TIMED_OUT, out.text(), err.text(), elapsed, truncated);
    }
    int exit = p.exitValue();
    String stderr = err.text();
    if (exit == ExecResult.KILLED) {
      stderr += oomNote();
    }
    return new ExecResult(exit, out.text(), stderr, elapsed, truncated);
  }

  private List<String> command(String command, String marker) {
    List<String> argv = new ArrayList<>();
    cgroup.ifPresent(
        cg -> {
          // join the cgroup, then become bwrap: every process of the sandbox starts inside it
          StringBuilder join = new StringBuilder();
          for (Path procs : cg.procsFiles()) {
            join.append("echo $$ > '").append(procs).append("' || exit 125; ");
          }
          argv.addAll(List.of("sh", "-c", join + "exec \"$@\"", "twinrouter-join"));
        });
    if (cgroup.isEmpty() && limits.memoryBytes() > 0) {
      argv.addAll(List.of("prlimit", "--as=" + limits.memoryBytes(), "--"));
    }
    argv.addAll(
        List.of(
            bwrap,
            "--ro-bind", rootfs.toString(), "/",
            "--proc", "/proc",
            "--dev", "/dev",
            "--bind", dir.resolve("tmp").toString(), "/tmp",
            "--bind", dir.resolve("home").toString(), "/root",
            "--bind", dir.resolve("testbed").toString(), SandboxSpec.TESTBED,
            "--unshare-all",
            "--die-with-parent",
            "--new-session",
            "--cap-drop", "ALL",
            "--clearenv",
            "--setenv", "PATH", PATH,
            "--setenv", "HOME", "/root",
            "--setenv", "LANG", "C.UTF-8",
            "--setenv", "PYTHONDONTWRITEBYTECODE", "1",
            "--setenv", ExecCommands.MARKER_VAR, marker));
    spec.env().forEach((k, v) -> argv.addAll(List.of("--setenv", k, v)));
    argv.addAll(List.of("--chdir", spec.workdir(), "bash", spec.shell().flag(), command));
    return argv;
  }

  /** Kills bwrap (its pid namespace dies with it) and whatever is left in the cgroup. */
  private void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    cgroup.ifPresent(Cgroups::killAll);
  }

  private String oomNote() {
    if (cgroup.isPresent()) {
      long kills = cgroup.get().oomKills();
      if (kills > oomKillsSeen) {
        oomKillsSeen = kills;
        return ExecCommands.oomMessage(limits.memoryBytes());
      }
    }
    return ExecCommands.sigkillMessage(limits.memoryBytes());
  }

  private static Thread pump(InputStream in, OutputBuffer buffer, String name) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[64 * 1024];
              try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                  buffer.write(buf, 0, n);
                }
              } catch (IOException e) {
                // the process was killed; what was read is kept
              }
            },
            "local-sandbox-" + name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void feed(OutputStream stdin, byte[] bytes) {
    Thread t =
        new Thread(
            () -> {
              try (stdin) {
                stdin.write(bytes);
              } catch (IOException e) {
                // the command stopped reading; as a shell pipe would, drop the rest
              }
            },
            "local-sandbox-stdin");
    t.setDaemon(true);
    t.start();
  }

  /**
   * The host path behind a sandbox path: the sandbox's own directories, else the read-only root
   * filesystem (never a host path outside it, even through an absolute symlink).
   */
  Path hostPath(String sandboxPath, boolean forWriting) {
    ExecCommands.requireAbsolute(sandboxPath);
    for (String[] mount : new String[][] {{SandboxSpec.TESTBED, "testbed"}, {"/tmp", "tmp"}, {"/root", "home"}}) {
      String m = mount[0];
      if (sandboxPath.equals(m) || sandboxPath.startsWith(m + "/")) {
        return dir.resolve(mount[1]).resolve(sandboxPath.substring(m.length()).replaceFirst("^/", ""));
      }
    }
    if (forWriting) {
      throw new SandboxException(
          "the local sandbox can write only below /testbed, /tmp and /root, not " + sandboxPath);
    }
    Path inRoot = rootfs.resolve(sandboxPath.substring(1));
    try {
      if (Files.exists(inRoot) && !inRoot.toRealPath().startsWith(rootfs.toRealPath())) {
        throw new SandboxException(sandboxPath + " leads outside the sandbox's root filesystem");
      }
    } catch (IOException e) {
      throw new SandboxException("resolving " + sandboxPath + ": " + e.getMessage(), e);
    }
    return inRoot;
  }

  @Override
  public void copyIn(Path hostSource, String sandboxPath) {
    checkOpen();
    Path target = hostPath(sandboxPath, true);
    try {
      Files.createDirectories(target.getParent());
      if (Files.isDirectory(hostSource)) {
        copyTree(hostSource, target);
      } else {
        Files.copy(hostSource, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
      }
    } catch (IOException | UncheckedIOException e) {
      throw new SandboxException("copying " + hostSource + " to " + sandboxPath + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void writeFile(String sandboxPath, byte[] content) {
    checkOpen();
    Path target = hostPath(sandboxPath, true);
    try {
      Files.createDirectories(target.getParent());
      Files.write(target, content);
    } catch (IOException e) {
      throw new SandboxException("writing " + sandboxPath + ": " + e.getMessage(), e);
    }
  }

  @Override
  public byte[] readFile(String sandboxPath) {
    checkOpen();
    Path source = hostPath(sandboxPath, false);
    if (!Files.isRegularFile(source)) {
      throw new SandboxException("no file " + sandboxPath + " in sandbox " + id());
    }
    try {
      return Files.readAllBytes(source);
    } catch (IOException e) {
      throw new SandboxException("reading " + sandboxPath + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void copyOut(String sandboxPath, Path hostTarget) {
    checkOpen();
    Path source = hostPath(sandboxPath, false);
    if (!Files.exists(source)) {
      throw new SandboxException("no file or folder " + sandboxPath + " in sandbox " + id());
    }
    try {
      if (Files.isDirectory(source)) {
        copyTree(source, hostTarget);
      } else {
        if (hostTarget.toAbsolutePath().getParent() != null) {
          Files.createDirectories(hostTarget.toAbsolutePath().getParent());
        }
        Files.copy(source, hostTarget, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | UncheckedIOException e) {
      throw new SandboxException("copying " + sandboxPath + " out to " + hostTarget + ": " + e.getMessage(), e);
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES,
              java.nio.file.LinkOption.NOFOLLOW_LINKS);
        }
      }
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      cgroup.ifPresent(Cgroups::remove);
      deleteTree(dir);
      deleteIfEmpty(dir.getParent()); // the run's folder, once its last sandbox is gone
    } finally {
      onClose.accept(this);
    }
  }

  private static void deleteIfEmpty(Path folder) {
    try {
      Files.deleteIfExists(folder);
    } catch (IOException notEmptyOrRacing) {
      // another sandbox of the run still lives there
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new SandboxException("removing the sandbox directory " + root + ": " + e.getMessage(), e);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new SandboxException("sandbox " + id() + " is closed");
    }
  }
}
