package io.twinrouter.agent.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;

/** Every other path: a JSON 404. */
final class NotFoundHandler implements HttpHandler {
  @Override
  public void handle(HttpExchange ex) throws IOException {
    try {
      HttpJson.error(ex, 404, "invalid_request_error", "not_found",
          "no route " + ex.getRequestMethod() + " " + ex.getRequestURI().getPath()
              + " (the simulated pool serves POST /v1/chat/completions and GET /v1/models)");
    } finally {
      ex.close();
    }
  }
}
