package io.twinrouter.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Tar archives of host files for copying into a sandbox, and unpacking what comes back out. */
public final class Tars {
  private Tars() {}

  /** A tar writer with long names and big numbers allowed (POSIX), as testcontainers does. */
  public static TarArchiveOutputStream writer(OutputStream out) {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    return tar;
  }

  /** Adds {@code bytes} as the regular file {@code name} (relative, mode 0644). */
  public static void addBytes(TarArchiveOutputStream tar, String name, byte[] bytes)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(bytes.length);
    e.setMode(0100644);
    tar.putArchiveEntry(e);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  /** Adds a host file or folder (recursively, modes and symlinks kept) under {@code name}. */
  public static void addPath(TarArchiveOutputStream tar, Path host, String name) throws IOException {
    List<Path> paths = new ArrayList<>();
    if (Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> walk = Files.walk(host)) {
        walk.sorted().forEach(paths::add);
      }
    } else {
      paths.add(host);
    }
    for (Path p : paths) {
      String rel = host.relativize(p).toString();
      String entryName = rel.isEmpty() ? name : name + "/" + rel;
      TarArchiveEntry e;
      if (Files.isSymbolicLink(p)) {
        e = new TarArchiveEntry(entryName, TarArchiveEntry.LF_SYMLINK);
        e.setLinkName(Files.readSymbolicLink(p).toString());
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        continue;
      }
      e = new TarArchiveEntry(p.toFile(), entryName);
      e.setMode(e.getMode() & ~07777 | mode(p));
      e.setUserId(0);
      e.setGroupId(0);
      e.setUserName("root");
      e.setGroupName("root");
      tar.putArchiveEntry(e);
      if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        Files.copy(p, tar);
      }
      tar.closeArchiveEntry();
    }
  }

  private static int mode(Path p) throws IOException {
    int mode = 0;
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
    for (PosixFilePermission perm : perms) {
      mode |= 1 << (8 - perm.ordinal());
    }
    return mode;
  }

  /** The content of the first regular file in a tar stream. */
  public static byte[] firstFile(InputStream in, String what) throws IOException {
    TarArchiveInputStream tar = new TarArchiveInputStream(in);
    TarArchiveEntry e = tar.getNextEntry();
    if (e == null || !e.isFile()) {
      throw new SandboxException(what + " is not a regular file");
    }
    return tar.readAllBytes();
  }

  /**
   * Unpacks a tar whose top entry is {@code topName} (a file or folder) to {@code target}, so that
   * {@code topName} becomes {@code target}; entries that would leave {@code target} are refused.
   */
  public static void unpackAs(InputStream in, String topName, Path target) throws IOException {
    TarArchiveInputStream tar = new TarArchiveInputStream(in);
    Path root = target.toAbsolutePath().normalize();
    TarArchiveEntry e;
    while ((e = tar.getNextEntry()) != null) {
      String name = e.getName();
      String rel = name.equals(topName) || name.equals(topName + "/") ? "" : name.substring(topName.length() + 1);
      Path dest = root.resolve(rel).normalize();
      if (!dest.startsWith(root)) {
        throw new SandboxException("refused tar entry outside the target: " + name);
      }
      if (e.isDirectory()) {
        Files.createDirectories(dest);
      } else if (e.isSymbolicLink()) {
        Files.deleteIfExists(dest);
        Files.createSymbolicLink(dest, Path.of(e.getLinkName()));
      } else if (e.isFile()) {
        if (dest.getParent() != null) {
          Files.createDirectories(dest.getParent());
        }
        Files.copy(tar, dest, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
