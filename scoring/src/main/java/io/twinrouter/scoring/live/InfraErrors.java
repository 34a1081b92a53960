package io.twinrouter.scoring.live;

import java.util.List;

/**
 * Recognises infrastructure failures (transport, quota, harness) in a case's agent or evaluation
 * error text, so they can be kept apart from failures the model caused. The probes are the
 * reference harness's substring list (live-track spec 4.8), plus the scoring-only additions.
 */
public final class InfraErrors {
  private InfraErrors() {}

  static final List<String> TRANSPORT =
      List.of(
          "ProviderMissingUsageError",
          "MalformedResponseError",
          "TransientResponseError",
          "ConnectionError",
          "Timeout",
          "HTTPError",
          "ReadError",
          "ChunkedEncodingError",
          "HTTP 5",
          "HTTP 408",
          "HTTP 409",
          "HTTP 425",
          "HTTP 429",
          "missing usage object",
          "response is not JSON",
          "unexpected response shape",
          "Key limit exceeded",
          "insufficient_quota",
          "SSLError",
          "SSLCertVerificationError",
          "CertificateError",
          "ConnectTimeout",
          "NameResolutionError",
          "Temporary failure in name resolution");

  static final List<String> SCORING_ONLY =
      List.of("argument list too long", "eval report not produced", "Provider returned error");

  /** True when either error text matches a probe of either list. */
  public static boolean isInfra(String agentError, String evalError) {
    return matches(agentError) || matches(evalError);
  }

  private static boolean matches(String text) {
    if (text == null || text.isEmpty()) {
      return false;
    }
    for (String probe : TRANSPORT) {
      if (text.contains(probe)) {
        return true;
      }
    }
    for (String probe : SCORING_ONLY) {
      if (text.contains(probe)) {
        return true;
      }
    }
    return false;
  }
}
