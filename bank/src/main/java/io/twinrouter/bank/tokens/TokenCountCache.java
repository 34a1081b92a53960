package io.twinrouter.bank.tokens;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * The token counts of a bank, kept on disk between processes: tokenizing is most of a cold
 * {@code static score}, and a bank is scored many times while a router is developed.
 *
 * <p>An entry holds what the loader made of the bank (its payload, written and read by the
 * loader): each distinct message's token count per tokenizer slot, and the rows' fields, so that
 * a bank read from here is built without parsing its JSON. Its key is the bank file's content ({@link #contentKey}), each
 * slot's tokenizer (a {@code hf:} tokenizer by its file's SHA-256, not its path) and the code
 * version (the build that made the counts), so a changed bank, tokenizer or build never reads
 * another's counts. The key is
 * stored in the entry and compared in full, and a CRC-32 over the whole entry ends it: an entry
 * that is truncated, corrupt or for another key is ignored and rewritten, never trusted. Entries
 * are written to a temporary file and moved into place, so readers never see a partial write.
 *
 * <p>A cache never fails a command: a folder that cannot be written only costs the speed-up.
 */
public final class TokenCountCache {
  private static final int MAGIC = 0x54524b31; // "TRK1"
  private static final String BUILD_PROPERTIES = "/io/twinrouter/bank/build.properties";

  private final Path dir;
  private final String codeVersion;

  /**
   * @param dir the folder of the entries (created on first write)
   * @param codeVersion what identifies the code that counts; a different one misses every entry
   */
  public TokenCountCache(Path dir, String codeVersion) {
    this.dir = dir;
    this.codeVersion = codeVersion;
  }

  /** No cache: every lookup misses and nothing is written. */
  public static TokenCountCache disabled() {
    return new TokenCountCache(null, "");
  }

  /**
   * {@code $XDG_CACHE_HOME/twinrouter/token-counts}, else {@code ~/.cache/twinrouter/token-counts},
   * keyed by this build's code version.
   */
  public static TokenCountCache inUserCacheDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
        ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".cache");
    return new TokenCountCache(base.resolve("twinrouter").resolve("token-counts"), codeVersion());
  }

  /** The build that made these classes (version and build time, written by the build). */
  public static String codeVersion() {
    try (InputStream in = TokenCountCache.class.getResourceAsStream(BUILD_PROPERTIES)) {
      if (in == null) {
        throw new IllegalStateException("the build lacks " + BUILD_PROPERTIES);
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("code-version");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + BUILD_PROPERTIES, e);
    }
  }

  public boolean enabled() {
    return dir != null;
  }

  /**
   * What identifies a bank file's bytes here: its length and two CRCs of different polynomials
   * (64 bits). Not SHA-256: before the JIT has compiled it, SHA-256 takes 0.2-0.3 s of CPU for a
   * 5 MB bank, more than the rest of a run that reads its counts from here, while both CRCs are
   * JVM intrinsics from the first call. The risk it takes is an accidental collision of two
   * versions of one bank of the same length, about one in 10^19; this cache is the user's own.
   */
  public static String contentKey(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    CRC32C crcC = new CRC32C();
    crcC.update(bytes);
    return bytes.length + ":" + Long.toHexString(crc.getValue()) + ":"
        + Long.toHexString(crcC.getValue());
  }

  /** The full key of a bank's counts under a set of tokenizers. */
  public String key(String bankContentKey, TokenizerSet tokenizers) {
    StringBuilder key = new StringBuilder("code=").append(codeVersion)
        .append("\nbank=").append(bankContentKey);
    for (TokenizerSpec spec : tokenizers.slotSpecs()) {
      key.append("\nslot=").append(identity(spec));
    }
    return key.toString();
  }

  /** The entry file of a key. */
  public Path file(String key) {
    return dir.resolve(sha256Hex(key.getBytes(StandardCharsets.UTF_8)) + ".bin");
  }

  /** The payload stored under {@code key}, when a sound entry for exactly this key is there. */
  public Optional<byte[]> read(String key) {
    if (dir == null) {
      return Optional.empty();
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file(key));
    } catch (IOException e) {
      return Optional.empty(); // absent or unreadable: a miss
    }
    if (bytes.length < Long.BYTES) {
      return Optional.empty();
    }
    int body = bytes.length - Long.BYTES;
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, body);
    if (crc.getValue() != ByteBuffer.wrap(bytes, body, Long.BYTES).getLong()) {
      return Optional.empty();
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, body))) {
      if (in.readInt() != MAGIC || !in.readUTF().equals(key)) {
        return Optional.empty();
      }
      int length = in.readInt();
      if (length != in.available()) {
        return Optional.empty();
      }
      return Optional.of(in.readNBytes(length));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Stores a payload under {@code key}; a failure to write is ignored (the next run recounts). */
  public void write(String key, byte[] payload) {
    if (dir == null) {
      return;
    }
    try {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream(payload.length + 256);
      try (DataOutputStream out = new DataOutputStream(buffer)) {
        out.writeInt(MAGIC);
        out.writeUTF(key);
        out.writeInt(payload.length);
        out.write(payload);
      }
      CRC32 crc = new CRC32();
      crc.update(buffer.toByteArray());
      new DataOutputStream(buffer).writeLong(crc.getValue());
      Files.createDirectories(dir);
      Path target = file(key);
      Path tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
      try {
        Files.write(tmp, buffer.toByteArray());
        try {
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException | SecurityException e) {
      // the cache is only a speed-up: an unwritable folder costs the next run a recount
    }
  }

  /** A tokenizer as the counts depend on it: a tokenizer.json by its content, not its path. */
  private static String identity(TokenizerSpec spec) {
    if (spec instanceof TokenizerSpec.HuggingFace hf) {
      try {
        return "hf-sha256:" + sha256Hex(Files.readAllBytes(hf.file()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read tokenizer " + hf.file(), e);
      }
    }
    return spec.text();
  }

  /** Lower-case hex SHA-256. */
  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
