package io.twinrouter.agent.sim;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.config.UsageFormat;
import java.util.Map;

/**
 * A simulated error in one provider's words: each provider wraps the same refusal in its own
 * body and headers, and a client must read them all (docs/providers.md lists the sources).
 *
 * <ul>
 *   <li>OpenAI and DeepSeek (OpenAI-compatible): {@code {"error": {"message", "type", "param",
 *       "code"}}}; a 429 carries OpenAI's {@code x-ratelimit-*} headers.
 *   <li>OpenRouter: {@code {"error": {"code": <the HTTP status>, "message", "metadata"}}}, and
 *       {@code Retry-After} on a 429 (its errors page).
 *   <li>Anthropic: {@code {"type": "error", "error": {"type", "message"}}} with the type its
 *       errors page gives each status, a {@code request-id} header, and on a 429 {@code
 *       retry-after} with {@code anthropic-ratelimit-*} headers.
 *   <li>Gemini: Google's API error {@code {"error": {"code", "message", "status"}}} with the
 *       gRPC status name; a 429 tells when to retry only in the body, a {@code
 *       google.rpc.RetryInfo} detail's {@code retryDelay}, never in a header.
 *   <li>LiteLLM's proxy: OpenAI's shape with the status as a string {@code code}.
 * </ul>
 */
final class PersonaErrors {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private PersonaErrors() {}

  /** The answer as {@code persona} words it; a 200 is returned as it is. */
  static SimAnswer word(UsageFormat persona, SimAnswer a) {
    if (a.status() == 200 || a.body() == null) {
      return a;
    }
    String retryAfter = a.headers().get("Retry-After");
    Map<String, String> headers = new java.util.LinkedHashMap<>(a.headers());
    ObjectNode body = F.objectNode();
    String message = a.message();
    int status = a.status();
    switch (persona) {
      case OPENROUTER -> body.putObject("error").put("code", status).put("message", message)
          .putObject("metadata").put("provider_name", "simulated");
      case ANTHROPIC -> {
        body.put("type", "error");
        body.putObject("error").put("type", anthropicType(status)).put("message", message);
        headers.put("request-id", "req_sim_" + Long.toHexString(message.hashCode() & 0xffffffffL));
        if (retryAfter != null) {
          headers.remove("Retry-After");
          headers.put("retry-after", retryAfter);
          headers.put("anthropic-ratelimit-requests-remaining", "0");
        }
      }
      case GEMINI -> {
        ObjectNode error = body.putObject("error").put("code", status).put("message", message)
            .put("status", grpcStatus(status));
        if (retryAfter != null) {
          headers.remove("Retry-After");
          error.putArray("details").addObject()
              .put("@type", "type.googleapis.com/google.rpc.RetryInfo")
              .put("retryDelay", retryAfter.strip() + "s");
        }
      }
      case LITELLM -> body.putObject("error").put("message", message)
          .put("type", a.errorType()).putNull("param").put("code", Integer.toString(status));
      case OPENAI, DEEPSEEK, AUTO -> {
        // the simulated pool's own shape is OpenAI's (with its top-level detail line)
        body = a.body().deepCopy();
        ((ObjectNode) body.path("error")).putNull("param");
        if (status == 429) {
          headers.put("x-ratelimit-remaining-requests", "0");
          headers.put("x-ratelimit-reset-requests", (retryAfter == null ? "1" : retryAfter) + "s");
        }
      }
    }
    return new SimAnswer(status, body, null, headers, a.errorType());
  }

  /** Anthropic's error type for an HTTP status (its errors page). */
  static String anthropicType(int status) {
    return switch (status) {
      case 400, 405 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 529 -> "overloaded_error";
      default -> "api_error";
    };
  }

  /** Google's canonical status name for an HTTP status. */
  private static String grpcStatus(int status) {
    return switch (status) {
      case 400 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 503 -> "UNAVAILABLE";
      case 504 -> "DEADLINE_EXCEEDED";
      default -> "INTERNAL";
    };
  }
}
