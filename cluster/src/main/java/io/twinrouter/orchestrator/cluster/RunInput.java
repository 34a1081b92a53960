package io.twinrouter.orchestrator.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A file the client ships inside the run it submits, so nodes need not read the client's file
 * system: its name, SHA-256 and bytes. Nodes cache it by hash in their working folder. It travels
 * in the run's spec, which every case asks the coordinator for: inputs are therefore kept small
 * (at most {@link #MAX_BYTES}, under Artery's 256 KiB frame with room for the spec around it).
 */
public record RunInput(String name, String sha256, byte[] bytes) {
  /** A model pool file is a few KiB; larger inputs would need chunked transfer. */
  public static final int MAX_BYTES = 128 * 1024;

  /** Reads a file given by {@code option}; bad input names the option. */
  public static RunInput read(Path file, String option) {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new IllegalArgumentException(option + " " + file + " is " + Files.size(file)
            + " bytes; a clustered run carries it inside the run, at most " + MAX_BYTES + " bytes");
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(option + " " + file + ": cannot read (" + e.getMessage() + ")", e);
    }
    return new RunInput(file.getFileName().toString(), sha256(bytes), bytes);
  }

  /**
   * This input as a file in {@code dir} ({@code <sha256>-<name>}), written once; the bytes are
   * checked against the hash first, so a damaged copy is never used.
   */
  public Path cache(Path dir) {
    if (!sha256(bytes).equals(sha256)) {
      throw new IllegalStateException("input " + name + " does not match its SHA-256 " + sha256);
    }
    Path file = cachedName(dir, name, sha256);
    try {
      if (isCached(file, sha256)) {
        return file;
      }
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".input", ".tmp");
      Files.write(tmp, bytes);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot cache input " + name + " in " + dir, e);
    }
  }

  /** Where a file of this name and hash is cached in {@code dir}. */
  static Path cachedName(Path dir, String name, String sha256) {
    String base = Path.of(name).getFileName().toString();
    return dir.resolve(sha256 + "-" + base.replaceAll("[^A-Za-z0-9._-]", "_"));
  }

  /** Whether {@code file} holds the bytes of that hash (a torn or damaged copy does not). */
  static boolean isCached(Path file, String sha256) throws IOException {
    return Files.isRegularFile(file) && sha256(Files.readAllBytes(file)).equals(sha256);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JDK", e);
    }
  }
}
