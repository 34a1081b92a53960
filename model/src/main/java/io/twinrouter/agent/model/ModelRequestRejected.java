package io.twinrouter.agent.model;

import java.util.List;

/**
 * The provider refused the request with a non-retryable 4xx (400, 401, 403, 404, 413, 422...).
 *
 * @param detail the provider's error message (or the start of its body), API key redacted
 * @param retries transient failures retried before the refusal
 */
public record ModelRequestRejected(
    String modelId, int httpStatus, String detail, List<RetryRecord> retries)
    implements ModelOutcome {

  public ModelRequestRejected {
    retries = List.copyOf(retries);
  }

  /** One line for {@code agent_error}, shaped like the reference's ("HTTP 400: ..."). */
  public String describe() {
    return "ModelRequestRejected: HTTP " + httpStatus + " from " + modelId + ": " + detail;
  }
}
