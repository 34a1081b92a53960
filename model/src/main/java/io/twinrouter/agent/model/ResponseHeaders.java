package io.twinrouter.agent.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.common.Json;
import java.net.http.HttpResponse;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** What the model client reads from a response's headers: when to retry, what was billed. */
final class ResponseHeaders {
  static final String LITELLM_COST_HEADER = "x-litellm-response-cost";

  private ResponseHeaders() {}

  /**
   * Retry-After as delta-seconds or an HTTP date; else, for Google's API errors, which say when to
   * retry only in the body, a {@code google.rpc.RetryInfo} detail's {@code retryDelay} ("46s");
   * -1 when neither is there or readable.
   */
  static long retryAfterMillis(HttpResponse<String> response) {
    Optional<String> header = response.headers().firstValue("Retry-After");
    if (header.isEmpty()) {
      return retryDelayMillis(response.body());
    }
    String v = header.get().trim();
    try {
      return Math.max(0, Math.round(Double.parseDouble(v) * 1000));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        return Math.max(0, at.toInstant().toEpochMilli() - System.currentTimeMillis());
      } catch (DateTimeParseException unreadable) {
        return -1;
      }
    }
  }

  private static long retryDelayMillis(String body) {
    JsonNode root;
    try {
      root = body == null ? null : Json.MAPPER.readTree(body);
    } catch (JsonProcessingException notJson) {
      return -1;
    }
    if (root == null) {
      return -1;
    }
    for (JsonNode d : root.path("error").path("details")) {
      String delay = d.path("retryDelay").asText("");
      if (d.path("@type").asText().endsWith("google.rpc.RetryInfo") && delay.endsWith("s")) {
        try {
          return Math.max(0,
              Math.round(Double.parseDouble(delay.substring(0, delay.length() - 1)) * 1000));
        } catch (NumberFormatException unreadable) {
          return -1;
        }
      }
    }
    return -1;
  }

  /**
   * LiteLLM's proxy states the USD it billed in {@code x-litellm-response-cost} (its response
   * headers page); any endpoint behind such a proxy may send it, so it is read whatever the format.
   */
  static Double billedCost(HttpResponse<?> response) {
    Optional<String> v = response.headers().firstValue(LITELLM_COST_HEADER);
    if (v.isEmpty() || v.get().isBlank()) {
      return null;
    }
    try {
      double cost = Double.parseDouble(v.get().strip());
      if (!Double.isFinite(cost) || cost < 0) {
        throw new UsageException(LITELLM_COST_HEADER + " must be a non-negative number, got "
            + v.get());
      }
      return cost;
    } catch (NumberFormatException e) {
      throw new UsageException(LITELLM_COST_HEADER + " is not a number: " + v.get());
    }
  }
}
