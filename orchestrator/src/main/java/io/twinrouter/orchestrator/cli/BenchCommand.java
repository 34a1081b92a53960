package io.twinrouter.orchestrator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code twinrouter bench ...}: measured speed, figures on stdout as ratios to a baseline. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks that print measured figures against an in-process baseline.",
    subcommands = {BenchRouterCommand.class})
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }
}
