package io.twinrouter.agent.loop;

/**
 * The provider refused the request for good (a non-retryable 4xx: context too long, unknown
 * model, bad key). A failure of the case's own request, so it ends the case as a value, with the
 * spend so far kept, instead of sending the case to its supervisor.
 */
public final class ModelRefusal extends Exception {

  private final String errorClass;

  /** @param errorClass the name recorded as {@code finished_by} */
  public ModelRefusal(String errorClass, String message) {
    super(message);
    this.errorClass = errorClass;
  }

  public String errorClass() {
    return errorClass;
  }
}
