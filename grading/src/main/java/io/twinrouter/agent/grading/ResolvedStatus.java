package io.twinrouter.agent.grading;

/** SWE-bench's resolution levels; only {@link #FULL} counts as resolved. */
public enum ResolvedStatus {
  NO("RESOLVED_NO"),
  PARTIAL("RESOLVED_PARTIAL"),
  FULL("RESOLVED_FULL");

  private final String value;

  ResolvedStatus(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }
}
