package io.twinrouter.sandbox.docker;

import java.io.ByteArrayOutputStream;

/**
 * Cuts one channel's bytes into blocks, whatever the frame boundaries: a control line (starting
 * with '#', without its newline) on its own, and the complete data lines between control lines
 * together (newlines included), so that a large output is decoded in few calls.
 */
final class LineSplitter {
  interface BlockHandler {
    void block(byte[] buf, int off, int len);
  }

  private final BlockHandler handler;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream(128);

  LineSplitter(BlockHandler handler) {
    this.handler = handler;
  }

  synchronized void accept(byte[] bytes) {
    int start = 0; // first byte not handed on yet
    int lineStart = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != '\n') {
        continue;
      }
      if (pending.size() > 0) { // the line began in an earlier frame (so this is its first newline)
        pending.write(bytes, 0, i);
        byte[] line = pending.toByteArray();
        pending.reset();
        handler.block(line, 0, line.length);
        start = i + 1;
      } else if (i > lineStart && bytes[lineStart] == '#') {
        if (lineStart > start) {
          handler.block(bytes, start, lineStart - start);
        }
        handler.block(bytes, lineStart, i - lineStart);
        start = i + 1;
      }
      lineStart = i + 1;
    }
    if (lineStart > start) {
      handler.block(bytes, start, lineStart - start);
    }
    pending.write(bytes, lineStart, bytes.length - lineStart);
  }
}
