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
      GatewayCommand.class,
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
      ClusterCommand.class,
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
    addStaticSubcommands(cl.getSubcommands().get("static"));
    cl.getSubcommands().get("bench").addSubcommand(new BenchServiceCommand());
    cl.setExecutionExceptionHandler(new CliErrors());
    return cl;
  }

  /**
   * {@code twinrouter static} alone, for a command line that starts with {@code static}: picocli
   * builds the model of every command it is given, and the whole tree costs a short command about
   * 0.15 s of CPU (a fifth of a warm {@code static score}). Usage and errors read the same.
   */
  public static CommandLine staticCommandLine() {
    CommandLine cl = new CommandLine(new StaticCommand());
    cl.setCommandName("twinrouter static");
    addStaticSubcommands(cl);
    cl.setExecutionExceptionHandler(new CliErrors());
    return cl;
  }

  private static void addStaticSubcommands(CommandLine staticCommand) {
    staticCommand.addSubcommand(new StaticRouteCommand());
    staticCommand.addSubcommand(new StaticDeriveCommand());
  }
}
