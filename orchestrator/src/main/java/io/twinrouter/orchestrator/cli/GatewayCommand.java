package io.twinrouter.orchestrator.cli;

import io.twinrouter.agent.model.ModelClient;
import io.twinrouter.agent.model.ModelClientSettings;
import io.twinrouter.agent.sim.SimPoolOptions;
import io.twinrouter.agent.sim.SimPoolServer;
import io.twinrouter.agent.sim.SimTaskLoader;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.InputException;
import io.twinrouter.gateway.MeteredCalls;
import io.twinrouter.gateway.GatewaySettings;
import io.twinrouter.gateway.MeteringGateway;
import io.twinrouter.gateway.Upstream;
import io.twinrouter.orchestrator.live.PoolFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code twinrouter gateway}: the metering gateway on its own, for pointing a routing proxy at it
 * by hand. Calls need no step marker here; each is forwarded and logged unattributed.
 */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the metering gateway on 127.0.0.1: POST /v1/chat/completions and GET /v1/models for"
          + " every pool model (under its model id and its api-model), each call forwarded to the"
          + " model's endpoint with its key and logged with its usage, cost and latency.",
      "Prints the base URL (http://127.0.0.1:PORT/v1) on stdout, then serves until interrupted."
          + " live run and static route start one themselves for --router proxy:URL."
    })
public final class GatewayCommand implements Runnable {

  @Option(names = "--pool", defaultValue = "sim", paramLabel = "sim|FILE",
      description = "'sim' (the simulated pool over the bundled tasks, default) or a pool file.")
  String pool;

  @Option(names = "--port", paramLabel = "P",
      description = "Port on 127.0.0.1 (default twinrouter.gateway.port; 0 = a free one).")
  Integer port;

  @Option(names = "--calls", paramLabel = "FILE",
      description = "Append one JSON line per call to FILE (default: no log file).")
  Path calls;

  @Override
  public void run() {
    TwinrouterSettings settings = TwinrouterSettings.load();
    GatewaySettings g = GatewaySettings.from(settings.raw());
    int p = port == null ? g.port() : port;
    if (p < 0 || p > 65535) {
      throw new InputException("--port must be within 0..65535, got " + p);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    SimPoolServer sim = null;
    try {
      ModelPool models;
      if ("sim".equals(pool)) {
        Path suite = Files.createTempDirectory("twinrouter-gateway-suite");
        TaskSuite.open(TaskSuite.BUNDLED, suite);
        sim = SimPoolServer.start(settings.pool(),
            SimTaskLoader.load(suite.resolve(TaskSuite.BUNDLED_TASK_FILE)),
            SimPoolOptions.from(settings.raw()).withPort(0));
        models = settings.pool().withBaseUrl(sim.baseUrl());
      } else {
        models = loadPool(Path.of(pool));
      }
      MeteredCalls ledger = calls == null ? MeteredCalls.inMemory(MeteredCalls.Attribution.OPTIONAL)
          : MeteredCalls.logging(MeteredCalls.Attribution.OPTIONAL, calls);
      ModelClient client = ModelClient.create(ModelClientSettings.from(settings.raw()));
      try (MeteringGateway gateway = MeteringGateway.start(models, Upstream.forwarding(client),
          ledger, p, g.maxBodyBytes())) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          gateway.close();
          stopped.countDown();
        }));
        System.err.printf("gateway: models %s%s; Ctrl-C stops%n", models.modelIds(),
            sim == null ? "" : " (simulated pool at " + sim.baseUrl() + ")");
        System.out.println(gateway.baseUrl());
        System.out.flush();
        stopped.await();
      }
    } catch (IOException e) {
      throw new InputException("gateway: cannot listen on 127.0.0.1:" + p + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (sim != null) {
        sim.close();
      }
    }
  }

  private static ModelPool loadPool(Path file) {
    try {
      return PoolFiles.load(file);
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
    }
  }
}
