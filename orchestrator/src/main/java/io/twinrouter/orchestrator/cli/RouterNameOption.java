package io.twinrouter.orchestrator.cli;

import io.twinrouter.console.InputException;
import io.twinrouter.router.catalog.Routers;

/** The {@code --router-name} option of the commands that take a router. */
final class RouterNameOption {
  private RouterNameOption() {}

  /** {@code --router-name} as given (null when absent), once it is a valid router name. */
  static String checked(String name) {
    if (name != null) {
      try {
        Routers.checkLabel(name);
      } catch (IllegalArgumentException e) {
        throw new InputException("--router-name: " + e.getMessage(), e);
      }
    }
    return name;
  }
}
