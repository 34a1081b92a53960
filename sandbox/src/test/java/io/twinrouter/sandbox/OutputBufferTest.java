package io.twinrouter.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputBufferTest {

  @Test
  void keepsEverythingUnderTheLimit() {
    OutputBuffer b = new OutputBuffer(100);
    b.write("hello ".getBytes(StandardCharsets.UTF_8));
    b.write("world".getBytes(StandardCharsets.UTF_8));
    assertEquals("hello world", b.text());
    assertFalse(b.truncated());
  }

  @Test
  void keepsHeadAndTailWhenCut() {
    OutputBuffer b = new OutputBuffer(10);
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      String chunk = Integer.toString(i % 10);
      all.append(chunk);
      b.write(chunk.getBytes(StandardCharsets.UTF_8));
    }
    assertTrue(b.truncated());
    assertEquals(100, b.totalBytes());
    String text = b.text();
    assertTrue(text.startsWith("01234\n"), text);
    assertTrue(text.endsWith("\n56789"), text);
    assertTrue(text.contains("90 bytes of output cut"), text);
  }

  @Test
  void aSingleHugeWriteKeepsItsOwnEnd() {
    OutputBuffer b = new OutputBuffer(8);
    byte[] big = "abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.UTF_8);
    b.write(big, 0, big.length);
    String text = b.text();
    assertTrue(text.startsWith("abcd\n"), text);
    assertTrue(text.endsWith("\nwxyz"), text);
  }

  @Test
  void exactlyAtTheLimitIsNotCut() {
    OutputBuffer b = new OutputBuffer(6);
    b.write("abc".getBytes(StandardCharsets.UTF_8));
    b.write("def".getBytes(StandardCharsets.UTF_8));
    assertFalse(b.truncated());
    assertEquals("abcdef", b.text());
  }
}
