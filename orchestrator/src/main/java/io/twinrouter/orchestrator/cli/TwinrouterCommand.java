package io.twinrouter.orchestrator.cli;

import io.twinrouter.bench.cli.BenchCommand;
import io.twinrouter.bench.cli.BenchServiceCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The root command. Each subcommand is a small class of its own; register it in {@code
 * subcommands} below. Output rule: stdout carries only a command's own result (so {@code --json}
 * can be piped); progress and logs go to stderr.
 */
@Command(
    name = "twinrouter",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Evaluates LLM routers inside coding agents (TwinRouterBench static and live tracks).",
    subcommands = {
      CommandLine.HelpCommand.class,
      SimPoolCommand.class,
      SwebenchCommand.class,
      StaticCommand.class,
      BenchCommand.class,
      ServeCommand.class,
      ImagesCommand.class,
      DemoCommand.class,
      LiveCommand.class,
      TasksCommand.class,
      GapCommand.class,
      NodeCommand.class,
      CompareCommand.class,
    })
public final class TwinrouterCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new TwinrouterCommand());
    // subcommands of parents other engineers own, registered here to keep their files untouched
    cl.getSubcommands().get("static").addSubcommand(new StaticRouteCommand());
    cl.getSubcommands().get("static").addSubcommand(new StaticDeriveCommand());
    cl.getSubcommands().get("bench").addSubcommand(new BenchServiceCommand());
    cl.setExecutionExceptionHandler(new CliErrors());
    return cl;
  }
}
