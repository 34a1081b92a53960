package io.twinrouter.common;

import java.math.BigInteger;
import java.util.Collections;
import java.util.List;

/**
 * CPython's {@code random.Random}: MT19937 seeded with {@code init_by_array} over the 32-bit words
 * of |seed|, and the {@code getrandbits}, {@code _randbelow}, {@code randint} and {@code shuffle}
 * built on it, so proportional samples select and order rows exactly as the reference does, and
 * {@code --shuffle --seed S} orders a dataset's rows as {@code random.seed(S); random.shuffle(rows)}
 * does in mini-swe-agent's batch runner.
 * Not thread-safe; one instance per sample.
 */
public final class PythonRandom {
  private static final int N = 624;
  private static final int M = 397;
  private final int[] mt = new int[N];
  private int mti;

  public PythonRandom(long seed) {
    BigInteger abs = BigInteger.valueOf(seed).abs();
    int words = Math.max(1, (abs.bitLength() + 31) / 32);
    int[] key = new int[words];
    for (int i = 0; i < words; i++) {
      key[i] = abs.shiftRight(32 * i).intValue();
    }
    initByArray(key);
  }

  private void initGenrand(int s) {
    mt[0] = s;
    for (mti = 1; mti < N; mti++) {
      mt[mti] = 1812433253 * (mt[mti - 1] ^ (mt[mti - 1] >>> 30)) + mti;
    }
  }

  private void initByArray(int[] key) {
    initGenrand(19650218);
    int i = 1;
    int j = 0;
    for (int k = Math.max(N, key.length); k > 0; k--) {
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) {
        j = 0;
      }
    }
    for (int k = N - 1; k > 0; k--) {
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  /** The next 32-bit output, as an unsigned value. */
  public long nextU32() {
    if (mti >= N) {
      int kk;
      for (kk = 0; kk < N - M; kk++) {
        int y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
        mt[kk] = mt[kk + M] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
      }
      for (; kk < N - 1; kk++) {
        int y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
        mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
      }
      int y = (mt[N - 1] & 0x80000000) | (mt[0] & 0x7fffffff);
      mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
      mti = 0;
    }
    int y = mt[mti++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y & 0xffffffffL;
  }

  /** {@code getrandbits(k)} for 1 ≤ k ≤ 32. */
  public long getrandbits(int k) {
    if (k < 1 || k > 32) {
      throw new IllegalArgumentException("k must be in 1..32, got " + k);
    }
    return nextU32() >>> (32 - k);
  }

  /** {@code _randbelow(n)}: rejection sampling on bit_length(n) bits. */
  public int randbelow(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("n must be positive, got " + n);
    }
    int k = 32 - Integer.numberOfLeadingZeros(n);
    long r = getrandbits(k);
    while (r >= n) {
      r = getrandbits(k);
    }
    return (int) r;
  }

  /** {@code randint(a, b)}, both ends included. */
  public int randint(int a, int b) {
    return a + randbelow(b - a + 1);
  }

  /** {@code shuffle(list)}: Fisher–Yates from the end. */
  public void shuffle(int[] values) {
    for (int i = values.length - 1; i > 0; i--) {
      int j = randbelow(i + 1);
      int t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
  }

  /** {@code shuffle(list)} on a mutable list, in place. */
  public void shuffle(List<?> values) {
    for (int i = values.size() - 1; i > 0; i--) {
      Collections.swap(values, i, randbelow(i + 1));
    }
  }
}
