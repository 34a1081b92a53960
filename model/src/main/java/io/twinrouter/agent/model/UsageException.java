package io.twinrouter.agent.model;

/** A provider usage object that cannot be normalised (missing, negative, inconsistent). */
public class UsageException extends RuntimeException {
  public UsageException(String message) {
    super(message);
  }
}
