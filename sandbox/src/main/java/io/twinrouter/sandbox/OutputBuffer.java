package io.twinrouter.sandbox;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Collects one output stream up to a limit: the first half of the limit is kept as the head, the
 * last half as a rolling tail, so a command that prints gigabytes costs a bounded amount of memory
 * and the model still sees how the output began and ended. Thread-safe (stream callbacks and the
 * waiting caller may differ).
 */
public final class OutputBuffer {
  private final int headLimit;
  private final ByteArrayOutputStream head;
  private final byte[] tail;
  private int tailStart; // index of the oldest tail byte
  private int tailSize;
  private long total;

  public OutputBuffer(int limitBytes) {
    if (limitBytes < 2) {
      throw new IllegalArgumentException("output limit too small: " + limitBytes);
    }
    this.headLimit = limitBytes / 2;
    this.head = new ByteArrayOutputStream(Math.min(headLimit, 8192));
    this.tail = new byte[limitBytes - headLimit];
  }

  public synchronized void write(byte[] b, int off, int len) {
    total += len;
    int toHead = Math.min(len, headLimit - head.size());
    if (toHead > 0) {
      head.write(b, off, toHead);
      off += toHead;
      len -= toHead;
    }
    if (len >= tail.length) { // only the last tail.length bytes matter
      System.arraycopy(b, off + len - tail.length, tail, 0, tail.length);
      tailStart = 0;
      tailSize = tail.length;
      return;
    }
    for (int i = 0; i < len; i++) {
      int pos = (tailStart + tailSize) % tail.length;
      tail[pos] = b[off + i];
      if (tailSize < tail.length) {
        tailSize++;
      } else {
        tailStart = (tailStart + 1) % tail.length;
      }
    }
  }

  public void write(byte[] b) {
    write(b, 0, b.length);
  }

  public synchronized boolean truncated() {
    return total > head.size() + tailSize;
  }

  public synchronized long totalBytes() {
    return total;
  }

  /** The kept text (UTF-8); when cut, a marker line says how many bytes were left out. */
  public synchronized String text() {
    byte[] t = new byte[tailSize];
    int first = Math.min(tailSize, tail.length - tailStart);
    System.arraycopy(tail, tailStart, t, 0, first);
    System.arraycopy(tail, 0, t, first, tailSize - first);
    String h = head.toString(StandardCharsets.UTF_8);
    String tl = new String(t, StandardCharsets.UTF_8);
    if (!truncated()) {
      return h + tl;
    }
    long cut = total - head.size() - tailSize;
    return h + "\n[twinrouter: " + cut + " bytes of output cut here; head and tail kept]\n" + tl;
  }
}
