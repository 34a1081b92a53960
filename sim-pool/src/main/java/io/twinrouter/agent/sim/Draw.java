package io.twinrouter.agent.sim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic pseudo-random draws: a uniform number in [0, 1) from SHA-256 of (seed, instance,
 * step, model, purpose). The same inputs give the same draw in every process and on every
 * platform, which makes the simulated pool reproducible under any concurrency.
 */
final class Draw {
  private Draw() {}

  static double uniform(long seed, String instanceId, int step, String modelId, String purpose) {
    long bits = bits(seed + "|" + instanceId + "|" + step + "|" + modelId + "|" + purpose);
    return (bits >>> 11) * 0x1.0p-53;
  }

  static String hex(String text, int chars) {
    byte[] d = sha256(text);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; sb.length() < chars; i++) {
      sb.append(String.format("%02x", d[i]));
    }
    return sb.substring(0, chars);
  }

  private static long bits(String text) {
    byte[] d = sha256(text);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (d[i] & 0xff);
    }
    return v;
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
