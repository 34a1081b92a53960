package io.twinrouter.agent.sim;

import com.sun.net.httpserver.HttpExchange;
import io.twinrouter.agent.model.serve.LoopbackHttp;
import java.io.IOException;

/** JSON answers and OpenAI-shaped errors for the simulated pool's handlers. */
final class HttpJson {
  private HttpJson() {}

  static void send(HttpExchange ex, int status, String body) throws IOException {
    LoopbackHttp.sendJson(ex, status, body);
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
    return LoopbackHttp.readBody(ex, limit);
  }
}
