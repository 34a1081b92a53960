package io.twinrouter.agent.model;

import java.util.List;

/**
 * The endpoint could not produce a usable answer within the retry budget: connection refused,
 * timeouts, 429/5xx, non-JSON bodies or responses without usage on every attempt. An
 * infrastructure failure, for the supervisor. The message names the model, the endpoint and the
 * last cause in the reference's vocabulary ("HTTP 503", "missing usage object", ...) so the infra
 * classification of live-track spec 4.8 recognises it; it never contains the API key.
 */
public class ModelUnavailableException extends RuntimeException {
  private final String modelId;
  private final List<RetryRecord> attempts;

  public ModelUnavailableException(
      String modelId, String message, List<RetryRecord> attempts, Throwable cause) {
    super(message, cause);
    this.modelId = modelId;
    this.attempts = List.copyOf(attempts);
  }

  public String modelId() {
    return modelId;
  }

  /** Every failed attempt, the last one included (its waitMs is 0). */
  public List<RetryRecord> attempts() {
    return attempts;
  }
}
