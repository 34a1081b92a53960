package io.twinrouter.orchestrator.cli;

/** Bad input from the user (a file, a line, a field); the CLI prints it and exits with 2. */
public class InputException extends RuntimeException {
  public InputException(String message) {
    super(message);
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code --router-name} as given (null when absent), once it is a valid router name. */
  static String routerName(String name) {
    if (name != null) {
      try {
        io.twinrouter.router.Routers.checkLabel(name);
      } catch (IllegalArgumentException e) {
        throw new InputException("--router-name: " + e.getMessage(), e);
      }
    }
    return name;
  }
}
