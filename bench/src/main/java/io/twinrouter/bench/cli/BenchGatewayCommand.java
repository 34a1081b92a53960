package io.twinrouter.bench.cli;

import io.twinrouter.agent.model.ModelClientSettings;
import io.twinrouter.bench.GatewayBench;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.InputException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code twinrouter bench gateway}: the metering gateway's overhead per forwarded call. */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = {
      "The metering gateway's overhead per forwarded call on loopback: the model client straight"
          + " to a loopback model (baseline) and through the gateway to the same model, pair by"
          + " pair in alternating order; prints p50/p90/p99 of both and of the pairwise"
          + " difference (target: under 1 ms at p99).",
    })
public final class BenchGatewayCommand implements Callable<Integer> {

  @Option(names = "--calls", defaultValue = "2000", description = "Timed pairs (default ${DEFAULT-VALUE}).")
  int calls;

  @Option(names = "--messages", defaultValue = "30",
      description = "Messages in the conversation sent (default ${DEFAULT-VALUE}).")
  int messages;

  @Option(names = "--message-chars", defaultValue = "1500",
      description = "Characters per message (default ${DEFAULT-VALUE}).")
  int messageChars;

  @Override
  public Integer call() throws Exception {
    if (calls < 1 || messages < 2 || messageChars < 1) {
      throw new InputException("--calls and --message-chars must be positive, --messages at least 2");
    }
    TwinrouterSettings settings = TwinrouterSettings.load();
    GatewayBench.run(settings.pool(), ModelClientSettings.from(settings.raw()), calls, messages,
        messageChars, System.out);
    return 0;
  }
}
