package io.twinrouter.bank;

import io.twinrouter.bank.tokens.TokenizerSet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a bank file comes to once its rows are parsed, validated and counted: each row's fields
 * and where its JSON stands in the file, each distinct message's fingerprint, role and token
 * count per tokenizer slot. It is what the token-count cache stores, so that a bank read from the
 * cache is built without parsing a line of JSON. Both ways of loading build the bank from it.
 */
final class BankFacts {
  /** One row: its 1-based line, its JSON's byte range in the file, its fields, its messages. */
  record Row(int line, int start, int end, String id, String benchmark, String trajectoryKey,
      long stepIndex, int gold, int[] messages) {}

  private final List<Row> rows;
  /** Per distinct message: its interned fingerprint and whether an assistant wrote it. */
  private final int[] fingerprintOf;
  private final boolean[] assistant;
  /** {@code [slot][distinct message]}. */
  private final int[][] counts;

  BankFacts(List<Row> rows, int[] fingerprintOf, boolean[] assistant, int[][] counts) {
    this.rows = rows;
    this.fingerprintOf = fingerprintOf;
    this.assistant = assistant;
    this.counts = counts;
  }

  /** The bank: per row the prompt's tokens (spec 5.3) and the assistant suffix sums (spec 7). */
  LoadedBank toBank(Path file, byte[] bytes, TokenizerSet tokenizers, boolean fromCache) {
    int slots = counts.length;
    List<BankRow> bankRows = new ArrayList<>(rows.size());
    Map<String, Integer> indexById = new HashMap<>();
    Set<String> benchmarks = new TreeSet<>();
    Set<String> trajectories = new HashSet<>();
    int[] starts = new int[rows.size()];
    int[] ends = new int[rows.size()];
    for (int r = 0; r < rows.size(); r++) {
      Row row = rows.get(r);
      int[] messages = row.messages;
      int n = messages.length;
      int[] fingerprints = new int[n];
      for (int m = 0; m < n; m++) {
        fingerprints[m] = fingerprintOf[messages[m]];
      }
      int[] prompt = new int[slots];
      int[][] suffix = new int[slots][n + 1];
      for (int s = 0; s < slots; s++) {
        int total = 2;
        for (int m = n - 1; m >= 0; m--) {
          int tokens = counts[s][messages[m]] + 4;
          total += tokens;
          suffix[s][m] = suffix[s][m + 1] + (assistant[messages[m]] ? tokens : 0);
        }
        prompt[s] = total;
      }
      bankRows.add(new BankRow(r, row.line, row.id, row.benchmark, row.trajectoryKey,
          row.stepIndex, row.gold, fingerprints, prompt, suffix));
      indexById.put(row.id, r);
      benchmarks.add(row.benchmark);
      trajectories.add(row.trajectoryKey);
      starts[r] = row.start;
      ends[r] = row.end;
    }
    return new LoadedBank(file, bytes, tokenizers, bankRows, indexById,
        new ArrayList<>(benchmarks), trajectories.size(), starts, ends, fromCache);
  }

  /** The facts as a cache entry's payload; empty for a bank they cannot be written for. */
  Optional<byte[]> encode() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(buffer)) {
      out.writeInt(counts.length);
      out.writeInt(fingerprintOf.length);
      for (int u = 0; u < fingerprintOf.length; u++) {
        out.writeInt(fingerprintOf[u]);
        out.writeBoolean(assistant[u]);
        for (int[] slot : counts) {
          out.writeInt(slot[u]);
        }
      }
      out.writeInt(rows.size());
      for (Row row : rows) {
        out.writeInt(row.line);
        out.writeInt(row.start);
        out.writeInt(row.end);
        out.writeUTF(row.id);
        out.writeUTF(row.benchmark);
        out.writeUTF(row.trajectoryKey);
        out.writeLong(row.stepIndex);
        out.writeByte(row.gold);
        out.writeInt(row.messages.length);
        for (int m : row.messages) {
          out.writeInt(m);
        }
      }
    } catch (IOException e) {
      return Optional.empty(); // a field over 64 KiB of UTF-8 (writeUTF's limit): not cached
    }
    return Optional.of(buffer.toByteArray());
  }

  /**
   * The facts {@link #encode} wrote, when they fit a bank of {@code fileLength} bytes counted
   * with {@code slots} tokenizers; anything else (an entry from other code, say) is empty.
   */
  static Optional<BankFacts> decode(byte[] entry, int fileLength, int slots) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(entry))) {
      if (in.readInt() != slots) {
        return Optional.empty();
      }
      int distinct = in.readInt();
      if (distinct < 0 || distinct > entry.length) {
        return Optional.empty();
      }
      int[] fingerprintOf = new int[distinct];
      boolean[] assistant = new boolean[distinct];
      int[][] counts = new int[slots][distinct];
      for (int u = 0; u < distinct; u++) {
        fingerprintOf[u] = in.readInt();
        assistant[u] = in.readBoolean();
        for (int s = 0; s < slots; s++) {
          counts[s][u] = in.readInt();
        }
      }
      int n = in.readInt();
      if (n <= 0 || n > entry.length) {
        return Optional.empty();
      }
      List<Row> rows = new ArrayList<>(n);
      for (int r = 0; r < n; r++) {
        int line = in.readInt();
        int start = in.readInt();
        int end = in.readInt();
        String id = in.readUTF();
        String benchmark = in.readUTF();
        String trajectoryKey = in.readUTF();
        long stepIndex = in.readLong();
        int gold = in.readByte();
        int count = in.readInt();
        if (count < 0 || count > in.available()) {
          return Optional.empty();
        }
        int[] messages = new int[count];
        for (int m = 0; m < messages.length; m++) {
          messages[m] = in.readInt();
          if (messages[m] < 0 || messages[m] >= distinct) {
            return Optional.empty();
          }
        }
        if (start < 0 || end <= start || end > fileLength || gold < 0 || gold > 3) {
          return Optional.empty();
        }
        rows.add(new Row(line, start, end, id, benchmark, trajectoryKey, stepIndex, gold,
            messages));
      }
      return in.available() == 0
          ? Optional.of(new BankFacts(rows, fingerprintOf, assistant, counts))
          : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // short or malformed: recount
    }
  }
}
