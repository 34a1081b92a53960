package io.twinrouter.agent.sim;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the simulated pool answers one request, before a wire format writes it: a status, a body
 * in OpenAI's chat-completions shape (an error in OpenAI's error shape) and headers. The Messages
 * endpoint rewrites it into Anthropic's shapes.
 *
 * @param body the JSON body; null when the answer is not JSON ({@code text})
 * @param text a body that is not JSON (a proxy's HTML page); null otherwise
 * @param errorType for an error, its OpenAI {@code error.type}; null for a 200
 */
record SimAnswer(int status, ObjectNode body, String text, Map<String, String> headers,
    String errorType) {

  /** A 200 that is not JSON, as a proxy in front of a provider may send. */
  static final SimAnswer NOT_JSON =
      new SimAnswer(200, null, "<html>upstream proxy error</html>", Map.of(), null);

  SimAnswer {
    headers = new LinkedHashMap<>(headers);
  }

  static SimAnswer ok(ObjectNode body) {
    return new SimAnswer(200, body, null, Map.of(), null);
  }

  /**
   * An error like OpenAI's ({@code {"error": {"message", "type", "code"}}}) plus the project's
   * top-level {@code detail} line.
   */
  static SimAnswer error(int status, String type, String code, String message) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.putObject("error").put("message", message).put("type", type).put("code", code);
    root.put("detail", message);
    return new SimAnswer(status, root, null, Map.of(), type);
  }

  SimAnswer withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new SimAnswer(status, body, text, h, errorType);
  }

  /** The error's message; empty for a 200. */
  String message() {
    return body == null ? "" : body.path("error").path("message").asText("");
  }

  void send(HttpExchange ex) throws IOException {
    headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    HttpJson.send(ex, status, body == null ? text : body.toString());
  }
}
