package io.twinrouter.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The cheapest possible HTTP router, for measuring the client side: a keep-alive HTTP/1.1 server
 * on 127.0.0.1 (one thread per connection, TCP_NODELAY) that reads each request fully and answers
 * a fixed decision. The JDK's own {@code HttpServer} would dominate the measurement instead.
 */
public final class TrivialLoopbackRouter implements AutoCloseable {
  private static final int MAX_HEADER_BYTES = 64 * 1024;

  private final ServerSocket server;
  private final byte[] response;
  private final Thread acceptor;

  public TrivialLoopbackRouter(String answerJson) throws IOException {
    byte[] body = answerJson.getBytes(StandardCharsets.UTF_8);
    byte[] head =
        ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    response = new byte[head.length + body.length];
    System.arraycopy(head, 0, response, 0, head.length);
    System.arraycopy(body, 0, response, head.length, body.length);
    server = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptLoop, "trivial-router-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> serve(s), "trivial-router-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      s.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
      OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1024);
      while (true) {
        long length = readHeaders(in);
        if (length < 0) {
          return;
        }
        in.skipNBytes(length);
        out.write(response);
        out.flush();
      }
    } catch (IOException e) {
      // the client closed the connection
    }
  }

  /** Reads one request head; returns its Content-Length, or -1 at end of stream. */
  private static long readHeaders(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    long length = 0;
    int total = 0;
    boolean first = true;
    while (true) {
      int b = in.read();
      if (b < 0) {
        return -1;
      }
      if (++total > MAX_HEADER_BYTES) {
        throw new IOException("request head too large");
      }
      if (b == '\n') {
        String l = line.toString().strip();
        line.setLength(0);
        if (l.isEmpty()) {
          if (first) {
            continue;
          }
          return length;
        }
        first = false;
        if (l.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Long.parseLong(l.substring("content-length:".length()).strip());
        }
      } else {
        line.append((char) b);
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
