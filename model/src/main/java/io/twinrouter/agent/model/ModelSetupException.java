package io.twinrouter.agent.model;

/**
 * A provider refused a request for a reason no model caused and no case can fix: a bad or
 * revoked key (401, 403), no credit left (402), a model it does not know (404), a parameter it
 * does not accept (400 naming it). Scoring it as the case's failure would bill a penalty for a
 * set-up mistake, and a rerun would skip the case as done; so the whole run stops instead (exit
 * 3) and a rerun after the fix resumes every unfinished case from its journal.
 */
public final class ModelSetupException extends RuntimeException {
  private final String modelId;
  private final int httpStatus;

  public ModelSetupException(String modelId, int httpStatus, String message) {
    super(message);
    this.modelId = modelId;
    this.httpStatus = httpStatus;
  }

  public String modelId() {
    return modelId;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
