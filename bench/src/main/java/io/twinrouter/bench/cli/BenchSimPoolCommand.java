package io.twinrouter.bench.cli;

import io.twinrouter.agent.model.ModelClientSettings;
import io.twinrouter.agent.sim.SimPoolOptions;
import io.twinrouter.agent.sim.SimTaskLoader;
import io.twinrouter.bench.ModelClientBench;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code twinrouter bench sim-pool}: model calls per second against the simulated pool. */
@Command(
    name = "sim-pool",
    mixinStandardHelpOptions = true,
    description = {
      "Model calls per second and latency against the simulated pool on a free 127.0.0.1 port:"
          + " the model client next to the bare JDK client posting the same bytes (baseline).",
    })
public final class BenchSimPoolCommand implements Callable<Integer> {

  @Option(names = "--tasks", required = true, paramLabel = "FILE",
      description = "SWE-bench instances (JSON array or JSONL) whose conversations are replayed.")
  Path tasks;

  @Option(names = "--requests", defaultValue = "400", description = "Calls per phase (default ${DEFAULT-VALUE}).")
  int requests;

  @Option(names = "--concurrency", defaultValue = "4", description = "Calls in flight (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(tasks)) {
      throw new InputException("--tasks: no such file: " + tasks);
    }
    if (requests < 1 || concurrency < 1) {
      throw new InputException("--requests and --concurrency must be positive");
    }
    TwinrouterSettings settings = TwinrouterSettings.load();
    ModelClientBench.run(
        settings.pool(),
        SimTaskLoader.load(tasks),
        SimPoolOptions.from(settings.raw()),
        ModelClientSettings.from(settings.raw()),
        requests,
        concurrency,
        System.out);
    return 0;
  }
}
