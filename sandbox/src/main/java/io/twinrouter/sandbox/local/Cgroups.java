package io.twinrouter.sandbox.local;

import io.twinrouter.sandbox.ExecCommands;
import io.twinrouter.sandbox.Limits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Memory, pids and CPU limits for a local sandbox through a hand-made cgroup (v1 or v2), created
 * under the JVM's own cgroup so that whatever caps the JVM also caps its sandboxes. Each sandbox
 * gets {@code twinrouter/<name>}; its processes join it before {@code bwrap} starts.
 */
final class Cgroups {
  private static final Logger log = LoggerFactory.getLogger(Cgroups.class);
  private static final Path ROOT = Path.of("/sys/fs/cgroup");
  static final String GROUP = "twinrouter";

  /** One cgroup directory per controller (v1) or a single one (v2). */
  private final Map<String, Path> dirs;
  private final boolean v2;

  private Cgroups(Map<String, Path> dirs, boolean v2) {
    this.dirs = dirs;
    this.v2 = v2;
  }

  /** A cgroup with the limits, or empty when the host does not let us make one. */
  static Optional<Cgroups> create(String name, Limits limits) {
    try {
      return Optional.of(Files.exists(ROOT.resolve("cgroup.controllers")) ? createV2(name, limits) : createV1(name, limits));
    } catch (IOException | RuntimeException e) {
      log.warn("no cgroup for sandbox limits ({}); the local sandbox falls back to prlimit", e.toString());
      return Optional.empty();
    }
  }

  private static Cgroups createV1(String name, Limits limits) throws IOException {
    Map<String, Path> dirs = new LinkedHashMap<>();
    for (String ctl : List.of("memory", "pids", "cpu")) {
      Path parent = ownCgroup(ctl).resolve(GROUP);
      Path dir = parent.resolve(name);
      Files.createDirectories(dir);
      dirs.put(ctl, dir);
    }
    Cgroups cg = new Cgroups(dirs, false);
    if (limits.memoryBytes() > 0) {
      write(dirs.get("memory").resolve("memory.limit_in_bytes"), limits.memoryBytes());
      Path memsw = dirs.get("memory").resolve("memory.memsw.limit_in_bytes");
      if (Files.exists(memsw)) {
        write(memsw, limits.memoryBytes());
      }
    }
    if (limits.pids() > 0) {
      write(dirs.get("pids").resolve("pids.max"), limits.pids());
    }
    if (limits.nanoCpus() > 0) {
      write(dirs.get("cpu").resolve("cpu.cfs_period_us"), 100_000);
      write(dirs.get("cpu").resolve("cpu.cfs_quota_us"), Math.max(1000, limits.nanoCpus() / 10_000));
    }
    return cg;
  }

  private static Cgroups createV2(String name, Limits limits) throws IOException {
    Path own = ownCgroup("");
    Path parent = own.resolve(GROUP);
    Files.createDirectories(parent);
    // controllers must be enabled on the way down; a leaf with processes cannot delegate (v2 rule)
    for (Path p : List.of(own, parent)) {
      try {
        Files.writeString(p.resolve("cgroup.subtree_control"), "+memory +pids +cpu");
      } catch (IOException e) {
        log.debug("enabling controllers in {}: {}", p, e.toString());
      }
    }
    Path dir = parent.resolve(name);
    Files.createDirectories(dir);
    if (limits.memoryBytes() > 0) {
      write(dir.resolve("memory.max"), limits.memoryBytes());
      if (Files.exists(dir.resolve("memory.swap.max"))) {
        write(dir.resolve("memory.swap.max"), 0);
      }
    }
    if (limits.pids() > 0) {
      write(dir.resolve("pids.max"), limits.pids());
    }
    if (limits.nanoCpus() > 0) {
      Files.writeString(dir.resolve("cpu.max"), Math.max(1000, limits.nanoCpus() / 10_000) + " 100000");
    }
    return new Cgroups(Map.of("", dir), true);
  }

  /** The JVM's cgroup of a v1 controller ({@code ""}: the v2 unified hierarchy). */
  private static Path ownCgroup(String controller) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
      String[] parts = line.split(":", 3);
      boolean match =
          controller.isEmpty() ? parts[0].equals("0") && parts[1].isEmpty()
              : List.of(parts[1].split(",")).contains(controller);
      if (match) {
        Path base = controller.isEmpty() ? ROOT : ROOT.resolve(controller);
        Path p = base.resolve(parts[2].substring(1));
        // inside a container the path may not be visible under our mount: use the mount's root
        return Files.isDirectory(p) ? p : base;
      }
    }
    throw new IOException("no " + (controller.isEmpty() ? "unified" : controller) + " cgroup in /proc/self/cgroup");
  }

  private static void write(Path file, long value) throws IOException {
    Files.writeString(file, Long.toString(value));
  }

  /** The files a process writes its pid to in order to join this cgroup. */
  List<Path> procsFiles() {
    List<Path> files = new ArrayList<>();
    dirs.values().forEach(d -> files.add(d.resolve("cgroup.procs")));
    return files;
  }

  /** How often the kernel's OOM killer struck in this cgroup. */
  long oomKills() {
    Path memory = v2 ? dirs.get("").resolve("memory.events") : dirs.get("memory").resolve("memory.oom_control");
    try {
      return ExecCommands.parseOomKills(Files.readString(memory));
    } catch (IOException e) {
      return 0;
    }
  }

  /** SIGKILLs every process in the cgroup. */
  void killAll() {
    for (Path dir : dirs.values()) {
      killAll(dir);
    }
  }

  private static void killAll(Path dir) {
    try {
      for (String pid : Files.readAllLines(dir.resolve("cgroup.procs"))) {
        if (!pid.isBlank()) {
          ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    } catch (IOException | NumberFormatException e) {
      log.debug("killing the processes of {}: {}", dir, e.toString());
    }
  }

  /** Kills what is left and removes the cgroup directories (retrying while processes exit). */
  void remove() {
    for (Path dir : dirs.values()) {
      removeDir(dir);
    }
  }

  static void removeDir(Path dir) {
    for (int attempt = 0; attempt < 50 && Files.exists(dir); attempt++) {
      killAll(dir);
      try {
        Files.delete(dir); // rmdir of a cgroup; its control files vanish with it
      } catch (IOException e) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    if (Files.exists(dir)) {
      log.warn("could not remove cgroup {}", dir);
    }
  }

  /** Removes the sandbox cgroups named with {@code prefix} (all twinrouter ones when empty). */
  static int reap(String prefix) {
    int removed = 0;
    List<Path> parents = new ArrayList<>();
    try {
      if (Files.exists(ROOT.resolve("cgroup.controllers"))) {
        parents.add(ownCgroup("").resolve(GROUP));
      } else {
        for (String ctl : List.of("memory", "pids", "cpu")) {
          parents.add(ownCgroup(ctl).resolve(GROUP));
        }
      }
    } catch (IOException e) {
      return 0;
    }
    for (Path parent : parents) {
      if (!Files.isDirectory(parent)) {
        continue;
      }
      try (Stream<Path> children = Files.list(parent)) {
        for (Path child : children.filter(Files::isDirectory).toList()) {
          if (child.getFileName().toString().startsWith(prefix)) {
            removeDir(child);
            removed++;
          }
        }
      } catch (IOException e) {
        log.debug("listing {}: {}", parent, e.toString());
      }
    }
    return removed;
  }
}
