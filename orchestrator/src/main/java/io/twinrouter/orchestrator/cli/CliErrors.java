package io.twinrouter.orchestrator.cli;

import io.twinrouter.config.SettingsException;
import io.twinrouter.console.InputException;
import picocli.CommandLine;

/**
 * Maps failures to exit statuses: input errors (bad files, bad settings, anything implementing
 * {@link UserError}) print one clear line and exit 2; anything else is a bug or an infrastructure
 * failure and prints its stack trace with exit 1.
 */
final class CliErrors implements CommandLine.IExecutionExceptionHandler {

  /** Marker for exceptions of other modules that describe a user's mistake. */
  public interface UserError {}

  @Override
  public int handleExecutionException(
      Exception e, CommandLine cl, CommandLine.ParseResult parseResult) {
    if (isUserError(e)) {
      cl.getErr().println("twinrouter: error: " + e.getMessage());
      return 2;
    }
    e.printStackTrace(cl.getErr());
    return 1;
  }

  static boolean isUserError(Throwable e) {
    return e instanceof InputException
        || e instanceof SettingsException
        || e instanceof UserError
        || e instanceof io.twinrouter.sandbox.SandboxUnavailableException
        || e instanceof java.nio.file.NoSuchFileException;
  }
}
