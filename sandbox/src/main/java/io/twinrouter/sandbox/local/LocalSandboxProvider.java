package io.twinrouter.sandbox.local;

import io.twinrouter.sandbox.ExecResult;
import io.twinrouter.sandbox.Limits;
import io.twinrouter.sandbox.RepoSource;
import io.twinrouter.sandbox.Sandbox;
import io.twinrouter.sandbox.SandboxException;
import io.twinrouter.sandbox.SandboxProvider;
import io.twinrouter.sandbox.SandboxSettings;
import io.twinrouter.sandbox.SandboxSpec;
import io.twinrouter.sandbox.SandboxUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Local sandboxes for machines without a Docker engine: {@code bwrap} over the base image's root
 * filesystem (read-only; the host needs only bwrap and that unpacked rootfs), a fresh work
 * directory per sandbox holding the repository at {@code /testbed}.
 * Work directories live under {@code <work-root>/<run id>/}, cgroups under {@code
 * twinrouter/<run id>.<...>}, so {@link #reap} finds a crashed run's leftovers by its run id.
 */
public final class LocalSandboxProvider implements SandboxProvider {
  private final SandboxSettings settings;
  private final Set<LocalSandbox> open = ConcurrentHashMap.newKeySet();

  private LocalSandboxProvider(SandboxSettings settings) {
    this.settings = settings;
  }

  /**
   * Checks that {@code bwrap} runs and the root filesystem is there; a clear error naming the
   * package or the script that makes it when not.
   */
  public static LocalSandboxProvider create(SandboxSettings settings) {
    Path rootfs = settings.localRootfs();
    if (!Files.isRegularFile(rootfs.resolve("usr/bin/bash")) || !Files.isRegularFile(rootfs.resolve("usr/bin/git"))) {
      throw new SandboxUnavailableException(
          "the local sandbox's root filesystem " + rootfs + " is missing or incomplete (no usr/bin/bash or"
              + " usr/bin/git): make it with ./twinrouter images build-base --rootfs (or scripts/build-base-image"
              + " --rootfs), or point"
              + " twinrouter.sandbox.local.rootfs (TWINROUTER_ROOTFS) at one");
    }
    try {
      Process p = new ProcessBuilder(settings.bwrap(), "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new SandboxUnavailableException("'" + settings.bwrap() + " --version' failed");
      }
    } catch (IOException e) {
      throw new SandboxUnavailableException(
          "bubblewrap is missing: '" + settings.bwrap() + "' cannot be run (" + e.getMessage()
              + "); install it (Debian: apt-get install bubblewrap) or use the docker sandbox", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SandboxException("interrupted while checking bwrap", e);
    }
    return new LocalSandboxProvider(settings);
  }

  @Override
  public String backend() {
    return "local";
  }

  @Override
  public Sandbox open(SandboxSpec spec) {
    if (!spec.networkDisabled()) {
      throw new SandboxException("the local sandbox has no network; network '" + spec.network() + "' is not possible");
    }
    if (!spec.workdir().equals(SandboxSpec.TESTBED) && !spec.workdir().startsWith(SandboxSpec.TESTBED + "/")) {
      throw new SandboxException("the local sandbox works in /testbed, not " + spec.workdir());
    }
    Limits limits = spec.limits() == null ? settings.limits() : spec.limits();
    String name = safe(spec.caseId()) + "." + UUID.randomUUID().toString().substring(0, 8);
    Path dir = settings.localWorkRoot().resolve(safe(spec.runId())).resolve(name);
    try {
      makeDirectories(dir);
    } catch (IOException e) {
      throw new SandboxException("preparing the local sandbox " + dir + ": " + e.getMessage(), e);
    }
    Optional<Cgroups> cgroup = Cgroups.create(safe(spec.runId()) + "." + name, limits);
    LocalSandbox sandbox = new LocalSandbox(dir, settings.localRootfs(), spec, limits, cgroup, settings.bwrap(),
        spec.outputLimitBytes() > 0 ? spec.outputLimitBytes() : settings.outputLimitBytes(),
        open::remove);
    open.add(sandbox);
    if (spec.repoSource() != null) {
      try {
        checkout(sandbox, spec.repoSource(), dir);
      } catch (IOException | RuntimeException e) {
        sandbox.close();
        if (e instanceof SandboxException se) {
          throw se;
        }
        throw new SandboxException("preparing the local sandbox " + dir + ": " + e.getMessage(), e);
      }
    }
    return sandbox;
  }

  /** The sandbox's folders; once more if a closing sibling removed the run folder meanwhile. */
  private static void makeDirectories(Path dir) throws IOException {
    for (int attempt = 0; ; attempt++) {
      try {
        for (String sub : List.of("testbed", "tmp", "home")) {
          Files.createDirectories(dir.resolve(sub));
        }
        return;
      } catch (java.nio.file.NoSuchFileException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  /**
   * The repository at its base commit in {@code /testbed}, made inside the sandbox by the root
   * filesystem's git (the host needs none): a bundle is copied to the sandbox's {@code /tmp} and
   * cloned, a folder copied; then only the base commit stays reachable.
   */
  private void checkout(LocalSandbox sandbox, RepoSource source, Path dir) throws IOException {
    source.check();
    String bundle = "/tmp/twinrouter-repo.bundle";
    if (source.isBundle()) {
      Files.copy(source.path(), dir.resolve("tmp").resolve(bundle.substring("/tmp/".length())));
    } else {
      LocalSandbox.copyTree(source.path(), dir.resolve("testbed"));
    }
    ExecResult r = sandbox.exec(source.checkoutScript(bundle) + "rm -f " + bundle + "\n", settings.startTimeout());
    if (r.exitCode() != 0) {
      throw new SandboxException("checking out " + source.path() + " at " + source.baseCommit()
          + " (exit " + r.exitCode() + "): " + r.stderr().strip());
    }
  }

  @Override
  public int reap(String runId) {
    int removed = 0;
    Path root = settings.localWorkRoot();
    List<Path> runDirs = new ArrayList<>();
    if (runId != null) {
      runDirs.add(root.resolve(safe(runId)));
    } else if (Files.isDirectory(root)) {
      try (Stream<Path> list = Files.list(root)) {
        list.filter(Files::isDirectory).forEach(runDirs::add);
      } catch (IOException e) {
        throw new SandboxException("listing " + root + ": " + e.getMessage(), e);
      }
    }
    for (Path runDir : runDirs) {
      if (!Files.isDirectory(runDir)) {
        continue;
      }
      try (Stream<Path> list = Files.list(runDir)) {
        removed += (int) list.filter(Files::isDirectory).count();
      } catch (IOException e) {
        throw new SandboxException("listing " + runDir + ": " + e.getMessage(), e);
      }
      open.removeIf(s -> s.directory().startsWith(runDir));
      LocalSandbox.deleteTree(runDir);
    }
    Cgroups.reap(runId == null ? "" : safe(runId) + ".");
    return removed;
  }

  @Override
  public void close() {
    for (LocalSandbox s : List.copyOf(open)) {
      s.close();
    }
  }

  static String safe(String s) {
    String clean = s.replaceAll("[^A-Za-z0-9_.-]", "_");
    return clean.length() > 100 ? clean.substring(0, 100) : clean;
  }
}
