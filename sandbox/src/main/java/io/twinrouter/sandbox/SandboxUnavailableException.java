package io.twinrouter.sandbox;

/**
 * The machine lacks what a sandbox backend needs (no Docker engine answers, no {@code bwrap}, a
 * missing image that cannot be pulled). The message says what to install or start.
 */
public class SandboxUnavailableException extends SandboxException {
  public SandboxUnavailableException(String message) {
    super(message);
  }

  public SandboxUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
