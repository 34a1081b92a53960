package io.twinrouter.console;

/** Bad input from the user (a file, a line, a field); the CLI prints it and exits with 2. */
public class InputException extends RuntimeException {
  public InputException(String message) {
    super(message);
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
  }
}
