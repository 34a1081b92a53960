package io.twinrouter.scoring.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A router served over HTTP on 127.0.0.1, as a Python router would be: it reads the context the
 * service POSTs and answers what {@link Behaviour} says for that row. Records every request body.
 */
final class LoopbackRouter implements AutoCloseable {

  /** The answer for one context: HTTP status and body, after an optional delay. */
  record Answer(int status, String body, long delayMillis) {
    static Answer json(String body) {
      return new Answer(200, body, 0);
    }
  }

  interface Behaviour {
    Answer answer(JsonNode context);
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  final List<String> requests = new CopyOnWriteArrayList<>();

  LoopbackRouter(Behaviour behaviour) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/route", exchange -> handle(exchange, behaviour));
    server.setExecutor(threads);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/route";
  }

  private void handle(HttpExchange exchange, Behaviour behaviour) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(body);
      Answer a = behaviour.answer(JsonSupport.MAPPER.readTree(body));
      if (a.delayMillis() > 0) {
        try {
          Thread.sleep(a.delayMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(a.status(), out.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(out);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
