package io.twinrouter.sandbox.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The host's top-level folders, bound read-only one by one onto bwrap's empty root: unlike a
 * single {@code --ro-bind / /} this leaves room for {@code /testbed} (which the host lacks) and
 * keeps the host's {@code /tmp}, {@code /root} and {@code /sys} out of sight.
 */
final class HostRoot {
  /** Replaced by the sandbox's own mounts. */
  private static final Set<String> SKIPPED = Set.of("proc", "dev", "sys", "tmp", "root", "testbed", "lost+found");

  private static volatile List<String> binds;

  private HostRoot() {}

  static List<String> readOnlyBinds() {
    List<String> b = binds;
    if (b == null) {
      b = scan();
      binds = b;
    }
    return b;
  }

  private static List<String> scan() {
    List<String> args = new ArrayList<>();
    try (Stream<Path> top = Files.list(Path.of("/"))) {
      for (Path p : top.sorted().toList()) {
        String name = p.getFileName().toString();
        if (SKIPPED.contains(name)) {
          continue;
        }
        if (Files.isSymbolicLink(p)) { // merged /usr: /bin -> usr/bin
          args.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), p.toString()));
        } else if (Files.isDirectory(p)) {
          args.addAll(List.of("--ro-bind", p.toString(), p.toString()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("listing the host's root folder", e);
    }
    return List.copyOf(args);
  }
}
