package io.twinrouter.agent.loop;

/**
 * The router failed to give a usable decision. Ends the case unresolved with the spend so far
 * kept (live-track spec 1.3); a value of the case, not an infrastructure failure.
 */
public final class RouterFailure extends Exception {

  private final String errorClass;

  public RouterFailure(String errorClass, String message, Throwable cause) {
    super(message, cause);
    this.errorClass = errorClass;
  }

  /** The name the case records as {@code finished_by} and in {@code agent_error}. */
  public String errorClass() {
    return errorClass;
  }

  /** Deliberately free of the word the infrastructure probes look for: a slow router is the router's own doing. */
  public static RouterFailure deadline(double seconds) {
    return new RouterFailure("SelectDeadlineExceeded",
        "router select did not answer within " + seconds + " s", null);
  }

  public static RouterFailure invalid(String message) {
    return new RouterFailure("InvalidRouterDecision", message, null);
  }

  public static RouterFailure raised(Throwable error) {
    String message = error.getMessage() == null ? "" : error.getMessage();
    return new RouterFailure(error.getClass().getSimpleName(), message, error);
  }

  /** {@code "<Class>: <message>"}, the reference's agent_error shape. */
  public String agentError() {
    return errorClass + ": " + getMessage();
  }
}
