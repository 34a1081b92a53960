package io.twinrouter.orchestrator.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.twinrouter.agent.sim.SimPoolOptions;
import io.twinrouter.agent.sim.SimPoolServer;
import io.twinrouter.agent.sim.SimTask;
import io.twinrouter.agent.sim.SimTaskLoader;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.SettingsException;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sim-pool}: serves the simulated model pool (OpenAI-compatible, one behaviour per tier)
 * on 127.0.0.1 until interrupted. Prints only the base URL on stdout, so scripts can capture it.
 */
@Command(
    name = "sim-pool",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the simulated model pool: POST /v1/chat/completions and GET /v1/models on 127.0.0.1,"
          + " for the pool's four models over the given SWE-bench-format tasks.",
      "Prints the base URL (http://127.0.0.1:PORT/v1) on stdout, then serves until interrupted."
    })
public final class SimPoolCommand implements Runnable {

  @Option(names = "--tasks", required = true, paramLabel = "FILE",
      description = "SWE-bench instances (JSON array or JSONL) the pool knows.")
  Path tasks;

  @Option(names = "--port", defaultValue = "0", paramLabel = "P",
      description = "Port on 127.0.0.1; 0 picks a free one (default).")
  int port;

  @Option(names = "--seed", paramLabel = "N",
      description = "Seed of every model's mistakes (default twinrouter.sim-pool.seed, 0).")
  Long seed;

  @Option(names = "--pool", paramLabel = "FILE",
      description = "Pool file (HOCON or JSON with a models list); default: the locked pool.")
  Path poolFile;

  @Option(names = "--latency-ms", paramLabel = "MS",
      description = "Mean simulated answer time per request (each takes 50-150 %%); default 0.")
  Long latencyMs;

  @Option(names = "--persona", paramLabel = "NAME",
      description = "Answer in this provider's usage and error shapes: openai (default),"
          + " openrouter, anthropic, deepseek, gemini or litellm; a pool model that names its"
          + " usage-format is played in that one. The bill is the same under each, but deepseek"
          + " and gemini bill cache writes as input, as those providers do.")
  String persona;

  @Option(names = "--fail-rate", defaultValue = "0", paramLabel = "R",
      description = "Share of requests answered 429 (Retry-After: 1) or 503, for retry tests.")
  double failRate;

  @Option(names = "--cache-ttl-sec", paramLabel = "S",
      description = "Prompt-cache lifetime in seconds (default 300).")
  Long cacheTtlSec;

  @Option(names = "--api-key-env", paramLabel = "VAR",
      description = "Require Authorization: Bearer <value of VAR> on every request.")
  String apiKeyEnv;

  @Override
  public void run() {
    TwinrouterSettings settings = TwinrouterSettings.load();
    SimPoolOptions options = options(settings);
    ModelPool pool = poolFile == null ? settings.pool() : loadPool(poolFile);
    List<SimTask> loaded = loadTasks(tasks);
    CountDownLatch stopped = new CountDownLatch(1);
    try (SimPoolServer server = SimPoolServer.start(pool, loaded, options)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.close();
        stopped.countDown();
      }));
      System.err.printf("sim-pool: %d tasks, models %s, seed %d; Ctrl-C stops%n",
          server.taskCount(), pool.modelIds(), options.seed());
      System.out.println(server.baseUrl());
      System.out.flush();
      stopped.await();
    } catch (IOException e) {
      throw new InputException("sim-pool: cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private SimPoolOptions options(TwinrouterSettings settings) {
    SimPoolOptions o = SimPoolOptions.from(settings.raw()).withPort(port).withFailRate(failRate);
    if (port < 0 || port > 65535) {
      throw new InputException("--port must be within 0..65535, got " + port);
    }
    if (failRate < 0 || failRate > 1) {
      throw new InputException("--fail-rate must be within 0..1, got " + failRate);
    }
    if (persona != null) {
      try {
        o = o.withPersona(io.twinrouter.agent.sim.Persona.fromLabel(persona));
      } catch (IllegalArgumentException e) {
        throw new InputException("--" + e.getMessage());
      }
    }
    if (seed != null) {
      o = o.withSeed(seed);
    }
    if (latencyMs != null) {
      if (latencyMs < 0) {
        throw new InputException("--latency-ms must be >= 0, got " + latencyMs);
      }
      o = o.withLatency(Duration.ofMillis(latencyMs));
    }
    if (cacheTtlSec != null) {
      if (cacheTtlSec <= 0) {
        throw new InputException("--cache-ttl-sec must be positive, got " + cacheTtlSec);
      }
      o = o.withCacheTtl(Duration.ofSeconds(cacheTtlSec));
    }
    if (apiKeyEnv != null) {
      String key = System.getenv(apiKeyEnv);
      if (key == null || key.isEmpty()) {
        throw new InputException("--api-key-env: environment variable " + apiKeyEnv + " is not set");
      }
      o = o.withRequiredApiKey(key);
    }
    return o;
  }

  private static List<SimTask> loadTasks(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InputException("--tasks: no such file: " + file);
    }
    try {
      return SimTaskLoader.load(file);
    } catch (IllegalArgumentException e) {
      throw new InputException("--tasks: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new InputException("--tasks: cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** A pool file: {@code models = [...]} at the top, or under {@code twinrouter.pool}. */
  static ModelPool loadPool(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InputException("--pool: no such file: " + file);
    }
    try {
      Config c = io.twinrouter.orchestrator.live.PoolFiles.parse(file);
      Config pool = c.hasPath("twinrouter.pool") ? c.getConfig("twinrouter.pool") : c;
      return ModelPool.from(pool);
    } catch (ConfigException | SettingsException | IllegalArgumentException e) {
      throw new InputException("--pool " + file + ": " + e.getMessage(), e);
    }
  }
}
