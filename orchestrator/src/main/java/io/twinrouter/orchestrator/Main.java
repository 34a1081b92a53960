package io.twinrouter.orchestrator;

import io.twinrouter.orchestrator.cli.TwinrouterCommand;
import picocli.CommandLine;

/** Entry point of the runnable jar: parses the command line and runs one command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit status (2 for bad input, as picocli does for usage). */
  public static int run(String... args) {
    return TwinrouterCommand.commandLine().execute(args);
  }
}
