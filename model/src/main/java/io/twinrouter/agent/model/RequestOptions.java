package io.twinrouter.agent.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Per-call request knobs. The defaults are the mini scaffold's model kwargs (live-track spec
 * 2.1.2): temperature 0, parallel tool calls allowed, no max_tokens.
 *
 * @param extraBody further top-level request fields, copied as they are (may be null)
 * @param extraHeaders further request headers (e.g. a gateway's attribution headers); never
 *     {@code Authorization}, which the client sets from the pool model's key
 */
public record RequestOptions(
    double temperature,
    OptionalInt maxTokens,
    Optional<Boolean> parallelToolCalls,
    ObjectNode extraBody,
    Map<String, String> extraHeaders) {

  public RequestOptions {
    extraHeaders = Map.copyOf(extraHeaders);
    if (extraHeaders.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("authorization"))) {
      throw new IllegalArgumentException("the Authorization header comes from the pool model's key");
    }
  }

  /** temperature 0.0, parallel_tool_calls true, no max_tokens: mini 2.2.8's kwargs. */
  public static RequestOptions miniDefaults() {
    return new RequestOptions(0.0, OptionalInt.empty(), Optional.of(true), null, Map.of());
  }

  public RequestOptions withMaxTokens(int maxTokens) {
    return new RequestOptions(
        temperature, OptionalInt.of(maxTokens), parallelToolCalls, extraBody, extraHeaders);
  }

  public RequestOptions withHeaders(Map<String, String> headers) {
    return new RequestOptions(temperature, maxTokens, parallelToolCalls, extraBody, headers);
  }
}
