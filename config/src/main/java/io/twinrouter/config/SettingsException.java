package io.twinrouter.config;

/** A configuration value is missing or malformed; the message names the path or entry. */
public final class SettingsException extends RuntimeException {
  public SettingsException(String message, Throwable cause) {
    super(message, cause);
  }

  public SettingsException(String message) {
    super(message);
  }
}
