package io.twinrouter.agent.sim;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** JSON answers and OpenAI-shaped errors for the simulated pool's handlers. */
final class HttpJson {
  private HttpJson() {}

  static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  /**
   * An error like OpenAI's ({@code {"error": {"message", "type", "code"}}}) plus the project's
   * top-level {@code detail} line.
   */
  static void error(HttpExchange ex, int status, String type, String code, String message)
      throws IOException {
    SimAnswer.error(status, type, code, message).send(ex);
  }

  /** The body, or null when it exceeds {@code limit} bytes. */
  static byte[] readBody(HttpExchange ex, int limit) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] body = in.readNBytes(limit + 1);
      return body.length > limit ? null : body;
    }
  }
}
