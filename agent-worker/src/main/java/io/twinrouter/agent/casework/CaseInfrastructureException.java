package io.twinrouter.agent.casework;

/**
 * The case could not go on for reasons outside the router's and the model's control: the sandbox
 * is gone, the model endpoint is down after retries, the disk refused a record. Thrown from the
 * case actor so that the parent's supervision decides (restart with backoff, or give up).
 */
public final class CaseInfrastructureException extends RuntimeException {

  private final String instanceId;

  public CaseInfrastructureException(String instanceId, String what, Throwable cause) {
    super(instanceId + ": " + what + ": " + describe(cause), cause);
    this.instanceId = instanceId;
  }

  public String instanceId() {
    return instanceId;
  }

  static String describe(Throwable t) {
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }
}
