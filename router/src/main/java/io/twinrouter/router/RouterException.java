package io.twinrouter.router;

/**
 * A router call failed: the router could not be reached, did not answer in time, answered
 * something that is not a valid decision, or threw. In the static track the row becomes an error
 * row with {@link #getMessage()} as its text; in the live track the case ends.
 */
public final class RouterException extends Exception {

  /** Why a router call failed, for error rows, traces and infra-vs-router classification. */
  public enum Kind {
    /** No answer within the select timeout. */
    TIMEOUT,
    /** Connection refused or reset, DNS, TLS: the router was not reachable. */
    TRANSPORT,
    /** The router answered with a non-2xx HTTP status. */
    HTTP_STATUS,
    /** The answer is not a decision: not JSON, wrong types, missing fields, too large. */
    MALFORMED,
    /** The answer names a model or tier the pool does not have. */
    NOT_IN_POOL,
    /** The router cannot work here (e.g. an oracle without labels, an unknown row). */
    UNSUPPORTED,
    /** An in-process router threw. */
    ROUTER_FAILED
  }

  /** How much of a router's raw answer an error keeps. */
  public static final int MAX_EXCERPT_CHARS = 500;

  /** How long a message may grow with what it quotes. */
  public static final int MAX_MESSAGE_CHARS = 1000;

  private final Kind kind;
  private final String answerExcerpt;
  private final int httpStatus;

  public RouterException(Kind kind, String message) {
    this(kind, message, null, null);
  }

  public RouterException(Kind kind, String message, String rawAnswer, Throwable cause) {
    this(kind, message, rawAnswer, cause, -1);
  }

  /** An {@link Kind#HTTP_STATUS} failure with the status the router answered. */
  public RouterException(Kind kind, String message, String rawAnswer, Throwable cause, int httpStatus) {
    // messages quote parts of the answer (a model id, a tier name) and reach HTTP bodies: bounded
    super(message != null && message.length() > MAX_MESSAGE_CHARS
        ? message.substring(0, MAX_MESSAGE_CHARS) + "... (" + (message.length() - MAX_MESSAGE_CHARS) + " chars cut)"
        : message, cause);
    this.kind = kind;
    this.answerExcerpt = excerpt(rawAnswer);
    this.httpStatus = httpStatus;
  }

  /** The router's HTTP status for {@link Kind#HTTP_STATUS}, else -1. */
  public int httpStatus() {
    return httpStatus;
  }

  public Kind kind() {
    return kind;
  }

  /** The start of the router's raw answer (at most {@value #MAX_EXCERPT_CHARS} chars), or null. */
  public String answerExcerpt() {
    return answerExcerpt;
  }

  static String excerpt(String raw) {
    if (raw == null) {
      return null;
    }
    return raw.length() <= MAX_EXCERPT_CHARS ? raw : raw.substring(0, MAX_EXCERPT_CHARS) + "...";
  }
}
