package io.twinrouter.bank;

import io.twinrouter.config.Tier;
import java.util.Arrays;

/**
 * One question-bank row as the scorer needs it, with everything token-related computed at load:
 * per tokenizer slot, the prompt's token count (spec 5.3) and suffix sums of the assistant
 * messages' counts (for output estimates, spec 7), plus interned message fingerprints (spec 5.4).
 * Immutable.
 */
public final class BankRow {
  private final int index;
  private final int line;
  private final String id;
  private final String benchmark;
  private final String trajectoryKey;
  private final long stepIndex;
  private final int goldTierId;
  private final int[] fingerprints;
  private final int[] promptTokens;
  private final int[][] assistantSuffix;

  BankRow(int index, int line, String id, String benchmark, String trajectoryKey, long stepIndex,
      int goldTierId, int[] fingerprints, int[] promptTokens, int[][] assistantSuffix) {
    this.index = index;
    this.line = line;
    this.id = id;
    this.benchmark = benchmark;
    this.trajectoryKey = trajectoryKey;
    this.stepIndex = stepIndex;
    this.goldTierId = goldTierId;
    this.fingerprints = fingerprints;
    this.promptTokens = promptTokens;
    this.assistantSuffix = assistantSuffix;
  }

  /** Position in the file's row order (0-based). */
  public int index() {
    return index;
  }

  /** 1-based line of the file. */
  public int line() {
    return line;
  }

  public String id() {
    return id;
  }

  public String benchmark() {
    return benchmark;
  }

  /**
   * The trajectory grouping key: the Python JSON text of {@code instance_id} (default the id),
   * so that {@code "7"}, {@code 7} and {@code null} stay distinct keys as in the reference.
   */
  public String trajectoryKey() {
    return trajectoryKey;
  }

  /** {@code step_index}, default 1. */
  public long stepIndex() {
    return stepIndex;
  }

  public int goldTierId() {
    return goldTierId;
  }

  public Tier goldTier() {
    return Tier.fromId(goldTierId);
  }

  public int messageCount() {
    return fingerprints.length;
  }

  /** {@code count_msgs(messages, tier)} for the tokenizer slot of a tier: Σ(count+4) + 2. */
  public int promptTokens(int slot) {
    return promptTokens[slot];
  }

  /** Σ (count + 4) over the assistant messages at positions ≥ {@code from}; 0 past the end. */
  public int assistantTokensFrom(int slot, int from) {
    int[] suffix = assistantSuffix[slot];
    return from >= suffix.length ? 0 : suffix[Math.max(from, 0)];
  }

  /** Spec 5.4: this row's messages are, position by position, a prefix of the other's. */
  public boolean isPrefixOf(BankRow other) {
    return fingerprints.length <= other.fingerprints.length
        && Arrays.equals(fingerprints, 0, fingerprints.length,
            other.fingerprints, 0, fingerprints.length);
  }
}
