package io.twinrouter.sandbox.local;

import io.twinrouter.sandbox.Limits;
import io.twinrouter.sandbox.RepoSource;
import io.twinrouter.sandbox.Sandbox;
import io.twinrouter.sandbox.SandboxException;
import io.twinrouter.sandbox.SandboxProvider;
import io.twinrouter.sandbox.SandboxSettings;
import io.twinrouter.sandbox.SandboxSpec;
import io.twinrouter.sandbox.SandboxUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * Local sandboxes for machines without a Docker engine: {@code bwrap} over the host's own tools
 * (read-only), a fresh work directory per sandbox holding the repository at {@code /testbed}.
 * Work directories live under {@code <work-root>/<run id>/}, cgroups under {@code
 * twinrouter/<run id>.<...>}, so {@link #reap} finds a crashed run's leftovers by its run id.
 */
public final class LocalSandboxProvider implements SandboxProvider {
  private final SandboxSettings settings;
  private final Set<LocalSandbox> open = ConcurrentHashMap.newKeySet();

  private LocalSandboxProvider(SandboxSettings settings) {
    this.settings = settings;
  }

  /** Checks that {@code bwrap} runs; a clear error naming the package when it does not. */
  public static LocalSandboxProvider create(SandboxSettings settings) {
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
      if (spec.repoSource() != null) {
        checkout(spec.repoSource(), dir.resolve("testbed"));
      }
    } catch (IOException | RuntimeException e) {
      LocalSandbox.deleteTree(dir);
      if (e instanceof SandboxException se) {
        throw se;
      }
      throw new SandboxException("preparing the local sandbox " + dir + ": " + e.getMessage(), e);
    }
    Optional<Cgroups> cgroup = Cgroups.create(safe(spec.runId()) + "." + name, limits);
    LocalSandbox sandbox =
        new LocalSandbox(dir, spec, limits, cgroup, settings.bwrap(), settings.outputLimitBytes(), open::remove);
    open.add(sandbox);
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

  /** The repository at its base commit in {@code testbed}: cloned from a bundle, or copied. */
  private static void checkout(RepoSource source, Path testbed) throws IOException {
    source.check();
    if (source.isBundle()) {
      git(null, "clone", "-q", source.path().toAbsolutePath().toString(), testbed.toString());
      git(testbed, "checkout", "-q", source.baseCommit());
      git(testbed, "remote", "remove", "origin");
    } else {
      LocalSandbox.copyTree(source.path(), testbed);
      if (source.baseCommit() != null) {
        git(testbed, "checkout", "-q", source.baseCommit());
      }
    }
  }

  private static void git(Path dir, String... args) throws IOException {
    List<String> argv = new ArrayList<>(List.of("git"));
    if (dir != null) {
      argv.addAll(List.of("-C", dir.toString()));
    }
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new SandboxException(String.join(" ", argv) + " failed: " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SandboxException("interrupted: " + String.join(" ", argv), e);
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
