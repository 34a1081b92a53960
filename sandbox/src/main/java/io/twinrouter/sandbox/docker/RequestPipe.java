package io.twinrouter.sandbox.docker;

import java.io.IOException;
import java.io.InputStream;

/**
 * The server's stdin as the engine reads it: frames queued by {@link ExecServer#send}, served in order.
 * (A PipedInputStream would fail once the thread that wrote last ends.)
 */
final class RequestPipe extends InputStream {
  private final java.util.ArrayDeque<byte[]> frames = new java.util.ArrayDeque<>();
  private byte[] head;
  private int pos;
  private boolean closed;

  synchronized boolean send(byte[] frame) {
    if (closed) {
      return false;
    }
    frames.add(frame);
    notifyAll();
    return true;
  }

  @Override
  public synchronized int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public synchronized int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (head == null || pos == head.length) {
      head = frames.poll();
      pos = 0;
      if (head != null) {
        continue;
      }
      if (closed) {
        return -1;
      }
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("waiting for a request");
      }
    }
    int n = Math.min(len, head.length - pos);
    System.arraycopy(head, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public synchronized void close() {
    closed = true;
    notifyAll();
  }
}
