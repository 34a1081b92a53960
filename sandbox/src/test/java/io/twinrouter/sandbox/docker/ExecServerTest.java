package io.twinrouter.sandbox.docker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.sandbox.OutputBuffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The client side of the exec-server protocol, fed the bytes a server sends, cut at arbitrary
 * frame boundaries as the engine may deliver them. (ExecServerIT runs the real server in Docker.)
 */
class ExecServerTest {
  private static final Duration W = Duration.ofSeconds(5);

  @Test
  void framesTheRequestAndSortsTheAnswerWhateverTheFrameBoundaries() throws Exception {
    byte[] binary = new byte[5000];
    new Random(7).nextBytes(binary);
    for (int chunk : new int[] {1, 3, 77, 4096}) {
      ExecServer server = new ExecServer();
      InputStream in = server.input();
      assertArrayEquals(ExecServer.SCRIPT, in.readNBytes(ExecServer.SCRIPT.length), "the script comes first");
      feed(server::onStdout, "#READY 42\n", chunk);
      assertTrue(server.awaitReady(W));
      assertEquals(42, server.serverPid());
      OutputBuffer out = new OutputBuffer(1 << 20);
      OutputBuffer err = new OutputBuffer(1 << 20);
      byte[] command = "echo 'ü'\nexit 3".getBytes(StandardCharsets.UTF_8);
      byte[] stdin = {0, 1, 2, '\n', (byte) 0xff};
      ExecServer.Request r = server.send("ab-12", Duration.ofMillis(1500), command, stdin, out, err);
      assertEquals(16, command.length);
      byte[] header = ("ab-12 1500 " + command.length + " 5\n").getBytes(StandardCharsets.US_ASCII);
      assertArrayEquals(header, in.readNBytes(header.length));
      assertArrayEquals(command, in.readNBytes(command.length));
      assertArrayEquals(stdin, in.readNBytes(stdin.length));

      feed(server::onStderr, Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString("oops".getBytes()) + "\n#END ab-12\n", chunk);
      assertNull(server.await(r, Duration.ofMillis(50)), "stdout has not ended yet");
      String lines = Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(binary) + "\n";
      feed(server::onStdout, lines + "#END ab-12 3\n", chunk);
      ExecServer.Outcome o = server.await(r, W);
      assertEquals(new ExecServer.Exited(3), o);
      assertEquals("oops", err.text());
      assertEquals(new String(binary, StandardCharsets.UTF_8), out.text());
      assertTrue(server.usable());
    }
  }

  @Test
  void anAnswerOutOfProtocolOrTheEndOfTheStreamBreaksItForGood() throws Exception {
    ExecServer server = new ExecServer();
    server.onStdout("#READY 1\n".getBytes());
    ExecServer.Request r = server.send("aa", W, "true".getBytes(), null, new OutputBuffer(64), new OutputBuffer(64));
    server.onStdout("#END bb 0\n".getBytes()); // another request's end
    assertInstanceOf(ExecServer.Broken.class, server.await(r, W));
    assertFalse(server.usable());
    assertNull(server.send("cc", W, "true".getBytes(), null, new OutputBuffer(64), new OutputBuffer(64)),
        "nothing is sent to a broken server");

    ExecServer ended = new ExecServer();
    ended.onStdout("#READY 1\n".getBytes());
    ExecServer.Request q = ended.send("aa", W, "sleep 9".getBytes(), null, new OutputBuffer(64), new OutputBuffer(64));
    ended.onClosed(null);
    assertEquals(new ExecServer.Broken("the server's stream ended"), ended.await(q, W));
    assertEquals(-1, drain(ended.input()), "its input ends too");

    ExecServer failed = new ExecServer();
    failed.onStdout("#FAIL setup\n".getBytes());
    assertFalse(failed.awaitReady(W));
    assertFalse(failed.announced());
  }

  private interface Sink {
    void accept(byte[] bytes);
  }

  private static void feed(Sink sink, String text, int chunk) {
    byte[] all = text.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < all.length; i += chunk) {
      byte[] part = new byte[Math.min(chunk, all.length - i)];
      System.arraycopy(all, i, part, 0, part.length);
      sink.accept(part);
    }
  }

  private static int drain(InputStream in) throws IOException {
    ByteArrayOutputStream skip = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      skip.write(b);
    }
    return b;
  }
}
