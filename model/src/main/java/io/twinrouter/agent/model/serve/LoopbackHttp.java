package io.twinrouter.agent.model.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the project's OpenAI-compatible servers on loopback share (the simulated pool, the
 * metering gateway): the JDK's HTTP server bound to 127.0.0.1, a pool of request threads, and
 * JSON bodies in and out.
 */
public final class LoopbackHttp {
  static {
    // Without TCP_NODELAY, Nagle's algorithm and delayed ACKs add tens of milliseconds to every
    // small answer; read once when the JDK server's configuration class loads, so set before any
    // server of this process is made.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private LoopbackHttp() {}

  /**
   * A server on 127.0.0.1:{@code port} (0: a free port), not started, whose handlers run on up to
   * {@code maxThreads} daemon threads named {@code threadPrefix-N}. Each call holds its thread
   * while it waits for a model, so the pool grows with the calls in flight and shrinks back.
   */
  public static HttpServer bind(int port, String threadPrefix, int maxThreads) throws IOException {
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor executor = new ThreadPoolExecutor(maxThreads, maxThreads, 30,
        TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, threadPrefix + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    executor.allowCoreThreadTimeOut(true);
    server.setExecutor(executor);
    return server;
  }

  /** Stops a server made by {@link #bind} and its request threads. */
  public static void stop(HttpServer server) {
    server.stop(0);
    if (server.getExecutor() instanceof ExecutorService pool) {
      pool.shutdownNow();
      try {
        pool.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Answers with a JSON body. */
  public static void sendJson(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The request's body, or null when it exceeds {@code limit} bytes. */
  public static byte[] readBody(HttpExchange ex, int limit) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] body = in.readNBytes(limit + 1);
      return body.length > limit ? null : body;
    }
  }
}
