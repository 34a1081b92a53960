package io.twinrouter.protocol;

import java.util.List;

/**
 * The reference's infrastructure-error classification (live-track spec 4.8): substring probes over
 * a case's {@code agent_error} and {@code eval_error}. A match means the case failed for transport,
 * quota or harness reasons rather than because of the router's choices.
 */
public final class InfraErrors {

  /** Transport and provider failures. */
  public static final List<String> TRANSPORT = List.of(
      "ProviderMissingUsageError", "MalformedResponseError", "TransientResponseError",
      "ConnectionError", "Timeout", "HTTPError", "ReadError", "ChunkedEncodingError", "HTTP 5",
      "HTTP 408", "HTTP 409", "HTTP 425", "HTTP 429", "missing usage object",
      "response is not JSON", "unexpected response shape", "Key limit exceeded",
      "insufficient_quota", "SSLError", "SSLCertVerificationError", "CertificateError",
      "ConnectTimeout", "NameResolutionError", "Temporary failure in name resolution");

  /** Added by the scorer only: environment, harness and provider failures. */
  public static final List<String> SCORING_ONLY =
      List.of("argument list too long", "eval report not produced", "Provider returned error");

  private InfraErrors() {}

  /** True when either error string contains a probe of either list. */
  public static boolean isInfrastructure(String agentError, String evalError) {
    return matches(agentError) || matches(evalError);
  }

  private static boolean matches(String error) {
    if (error == null || error.isEmpty()) {
      return false;
    }
    return TRANSPORT.stream().anyMatch(error::contains)
        || SCORING_ONLY.stream().anyMatch(error::contains);
  }
}
