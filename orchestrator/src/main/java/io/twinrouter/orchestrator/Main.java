package io.twinrouter.orchestrator;

import io.twinrouter.orchestrator.cli.TwinrouterCommand;
import picocli.CommandLine;

/** Entry point of the runnable jar: parses the command line and runs one command. */
public final class Main {
  /** The JDK property that sizes {@link java.util.concurrent.ForkJoinPool#commonPool()}. */
  static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  static {
    // The JDK HttpClient (router calls, the benches' load generators) hands every completed
    // sendAsync to CompletableFuture's default executor. With a common pool of parallelism 1,
    // which is what a 2-core machine gets, that executor starts a new thread per task: one
    // thread per router call, about 1.4 ms of CPU each. Set before anything loads the pool;
    // an explicit -D setting wins.
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
      System.setProperty(COMMON_POOL_PARALLELISM,
          String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
    }
  }

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit status (2 for bad input, as picocli does for usage). */
  public static int run(String... args) {
    if (args.length > 0 && args[0].equals("static")) {
      // the quick loop of router development: only the static commands' models are built
      return TwinrouterCommand.staticCommandLine()
          .execute(java.util.Arrays.copyOfRange(args, 1, args.length));
    }
    return TwinrouterCommand.commandLine().execute(args);
  }
}
