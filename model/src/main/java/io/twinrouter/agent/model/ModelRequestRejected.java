package io.twinrouter.agent.model;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

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

  /** How providers word a refused parameter (OpenAI, Anthropic, DeepSeek, LiteLLM, vLLM). */
  private static final Pattern UNSUPPORTED_PARAMETER = Pattern.compile(
      "unsupported (parameter|value)|not supported|unrecognized request argument"
          + "|unknown (parameter|field|argument)|extra (inputs|fields) (are|is) not permitted"
          + "|does not support");
  /** A prompt over the model's window: the case's own outcome, like mini's limits. */
  private static final Pattern CONTEXT_LENGTH = Pattern.compile(
      "context.length|context window|maximum context|prompt is too long|too many tokens"
          + "|input is too long|reduce the length");

  /**
   * Whether the refusal is the run's set-up, not the case: 401, 403, 402, 404, and a 400 that
   * names an unsupported parameter (a context-length 400 is the case's own outcome).
   */
  public boolean isSetupMistake() {
    String d = detail == null ? "" : detail.toLowerCase(Locale.ROOT);
    if (CONTEXT_LENGTH.matcher(d).find()) {
      return false;
    }
    return switch (httpStatus) {
      case 401, 402, 403, 404 -> true;
      case 400 -> UNSUPPORTED_PARAMETER.matcher(d).find();
      default -> false;
    };
  }

  /** One line for {@code agent_error}, shaped like the reference's ("HTTP 400: ..."). */
  public String describe() {
    return "ModelRequestRejected: HTTP " + httpStatus + " from " + modelId + ": " + detail;
  }
}
