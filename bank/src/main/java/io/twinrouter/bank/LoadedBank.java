package io.twinrouter.bank;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.bank.tokens.TokenCountCache;
import io.twinrouter.bank.tokens.TokenizerSet;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A validated, tokenized question bank. Immutable and safe to share between threads: scorers keep
 * their derived data in {@link #derived}, computed once per bank.
 */
public final class LoadedBank {
  private final Path path;
  /** The file's bytes: each row's JSON is a range of them. */
  private final byte[] fileBytes;
  private String sha256;
  private final TokenizerSet tokenizers;
  private final List<BankRow> rows;
  private final Map<String, Integer> indexById;
  private final List<String> benchmarks;
  private final int trajectoryCount;
  /** Where each row's JSON starts and ends in {@link #fileBytes}, for the router-visible view. */
  private final int[] rowStart;
  private final int[] rowEnd;
  /** Bounds the cache of derived data (one entry per distinct sample size and seed, say). */
  private static final int MAX_DERIVED = 64;

  private final Map<Object, Object> derived = new ConcurrentHashMap<>();
  private final boolean tokenCountsCached;

  LoadedBank(Path path, byte[] fileBytes, TokenizerSet tokenizers, List<BankRow> rows,
      Map<String, Integer> indexById, List<String> benchmarks, int trajectoryCount,
      int[] rowStart, int[] rowEnd, boolean tokenCountsCached) {
    this.path = path;
    this.fileBytes = fileBytes;
    this.tokenizers = tokenizers;
    this.rows = Collections.unmodifiableList(rows);
    this.indexById = Collections.unmodifiableMap(indexById);
    this.benchmarks = List.copyOf(benchmarks);
    this.trajectoryCount = trajectoryCount;
    this.rowStart = rowStart;
    this.rowEnd = rowEnd;
    this.tokenCountsCached = tokenCountsCached;
  }

  /**
   * Whether the bank was built from a {@code TokenCountCache} entry (its rows' facts and token
   * counts) instead of parsed and counted.
   */
  public boolean tokenCountsCached() {
    return tokenCountsCached;
  }

  /** The file name, which the summary reports as {@code shard}. */
  public String name() {
    return path.getFileName().toString();
  }

  public Path path() {
    return path;
  }

  /**
   * Lower-case hex SHA-256 of the file's bytes, computed on first use: a served bank lists it,
   * while {@code static score} never needs it and saves the 0.2-0.3 s it costs a cold JVM.
   */
  public synchronized String sha256() {
    if (sha256 == null) {
      sha256 = TokenCountCache.sha256Hex(fileBytes);
    }
    return sha256;
  }

  public TokenizerSet tokenizers() {
    return tokenizers;
  }

  public int rowCount() {
    return rows.size();
  }

  /** Distinct {@code instance_id} values (the whole bank's trajectories). */
  public int trajectoryCount() {
    return trajectoryCount;
  }

  /** Benchmark names, ascending. */
  public List<String> benchmarks() {
    return benchmarks;
  }

  /** Rows in file order. */
  public List<BankRow> rows() {
    return rows;
  }

  public BankRow row(int index) {
    return rows.get(index);
  }

  public Optional<BankRow> rowById(String id) {
    Integer i = indexById.get(id);
    return i == null ? Optional.empty() : Optional.of(rows.get(i));
  }

  /**
   * The row as a router may see it: every field of the file except {@code target_tier} and
   * {@code target_tier_id}, in file order, as compact JSON.
   */
  public String routerVisibleJson(int index) {
    ObjectNode row = routerVisibleRow(index);
    return row.toString();
  }

  /** A fresh mutable copy of the router-visible row (see {@link #routerVisibleJson}). */
  public ObjectNode routerVisibleRow(int index) {
    try {
      ObjectNode row = (ObjectNode) BankLoader.MAPPER.readTree(
          fileBytes, rowStart[index], rowEnd[index] - rowStart[index]);
      row.remove("target_tier");
      row.remove("target_tier_id");
      return row;
    } catch (java.io.IOException e) {
      throw new IllegalStateException("row " + index + " parsed at load but not now", e);
    }
  }

  /**
   * Data derived from this bank, computed once per key (a scorer's precomputed paths, a sample's
   * plan). The key must identify the computation; the value must be immutable.
   */
  @SuppressWarnings("unchecked")
  public <T> T derived(Object key, Function<LoadedBank, T> compute) {
    Object value = derived.get(key);
    if (value == null) {
      // not computeIfAbsent: a computation may itself ask for other derived data
      value = compute.apply(this);
      if (derived.size() < MAX_DERIVED) {
        Object raced = derived.putIfAbsent(key, value);
        value = raced == null ? value : raced;
      }
    }
    return (T) value;
  }
}
