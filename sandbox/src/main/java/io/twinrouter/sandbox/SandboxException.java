package io.twinrouter.sandbox;

/** A sandbox could not be started, used or removed; the message names what and why. */
public class SandboxException extends RuntimeException {
  public SandboxException(String message) {
    super(message);
  }

  public SandboxException(String message, Throwable cause) {
    super(message, cause);
  }
}
