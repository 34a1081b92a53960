package io.twinrouter.orchestrator.live;

import io.twinrouter.agent.model.ModelClient;
import io.twinrouter.agent.model.ModelClientSettings;
import io.twinrouter.agent.sim.SimPoolOptions;
import io.twinrouter.agent.sim.SimPoolServer;
import io.twinrouter.agent.sim.SimTaskLoader;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.gateway.MeteredCalls;
import io.twinrouter.gateway.GatewaySettings;
import io.twinrouter.gateway.MeteringGateway;
import io.twinrouter.gateway.ProxyRouter;
import io.twinrouter.gateway.Upstream;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterEnvironment;
import io.twinrouter.sandbox.SandboxProvider;
import io.twinrouter.sandbox.SandboxSettings;
import io.twinrouter.sandbox.backends.SandboxProviders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a run starts on a machine and must stop, whatever happens: the simulated pool (for {@code
 * --pool sim}), the metering gateway (for a {@code proxy:} router), the sandbox provider and the
 * model client, with the router and the pool as the
 * cases see them (a simulated pool's base URL set). One holder for a local run and for each run a
 * cluster node holds cases of; closing it stops all of it, in reverse order.
 */
public final class RunResources implements AutoCloseable {
  private final SimPoolServer sim;
  private final MeteringGateway gateway;
  private final SandboxProvider sandboxes;
  private final ModelClient models;
  private final ModelPool pool;
  private final Router router;
  private final SandboxSettings sandboxSettings;

  private RunResources(SimPoolServer sim, MeteringGateway gateway, SandboxProvider sandboxes,
      ModelClient models, ModelPool pool, Router router, SandboxSettings sandboxSettings) {
    this.sim = sim;
    this.gateway = gateway;
    this.sandboxes = sandboxes;
    this.models = models;
    this.pool = pool;
    this.router = router;
    this.sandboxSettings = sandboxSettings;
  }

  /**
   * Starts what the run's cases need. Blocks (the simulated pool binds a port, the Docker
   * provider connects): call it off actor threads.
   *
   * @param configuredPool the pool before a simulated one listens
   * @param taskFile the task rows a simulated pool plays
   * @param givenRouter a router object to use instead of the one the options name
   * @param casesToRun false when every case finished before: no simulated pool is started
   */
  public static RunResources open(LiveRunOptions options, TwinrouterSettings settings,
      ModelPool configuredPool, Path taskFile, Optional<Router> givenRouter, boolean casesToRun) {
    SimPoolServer sim = null;
    MeteringGateway gateway = null;
    SandboxProvider sandboxes = null;
    try {
      ModelPool pool = configuredPool;
      if (options.isSimulatedPool() && casesToRun) {
        sim = SimPoolServer.start(settings.pool(), SimTaskLoader.load(taskFile),
            SimPoolOptions.from(settings.raw()).withPort(0).withSeed(options.seed()));
        pool = configuredPool.withBaseUrl(sim.baseUrl());
      }
      ModelPool runPool = pool;
      ModelClient models = ModelClient.create(ModelClientSettings.from(settings.raw()));
      Router router;
      if (givenRouter.isEmpty() && ProxyRouter.isProxy(options.router())) {
        gateway = gateway(options, settings, runPool, models);
        router = new ProxyRouter(options.router(),
            GatewaySettings.from(settings.raw()).proxyModel(), gateway.ledger(), runPool,
            settings.liveTrack().selectTimeout(), options.routerName().orElse(null));
      } else {
        router = givenRouter.orElseGet(() -> RunPlan.router(options,
            RouterEnvironment.of(settings).withPool(runPool).withSeed(options.seed())));
      }
      SandboxSettings sandboxSettings =
          SandboxSettings.from(settings.raw()).withBackend(options.sandbox());
      sandboxes = SandboxProviders.create(options.sandbox(), sandboxSettings);
      return new RunResources(sim, gateway, sandboxes, models, pool, router, sandboxSettings);
    } catch (IOException e) {
      closeAll(null, sandboxes, gateway, sim);
      throw new UncheckedIOException("the simulated pool or the gateway cannot start", e);
    } catch (RuntimeException e) {
      closeAll(null, sandboxes, gateway, sim);
      throw e;
    }
  }

  /**
   * The metering gateway a {@code proxy:} router's calls go through, forwarding with the run's
   * model client and logging every call to {@code gateway-calls.jsonl} in the run directory.
   */
  private static MeteringGateway gateway(LiveRunOptions options, TwinrouterSettings settings,
      ModelPool pool, ModelClient models) throws IOException {
    GatewaySettings g = GatewaySettings.from(settings.raw());
    MeteredCalls ledger = MeteredCalls.logging(MeteredCalls.Attribution.REQUIRED,
        options.out().toAbsolutePath().resolve("gateway-calls.jsonl"));
    MeteringGateway gateway;
    try {
      gateway = MeteringGateway.start(pool, Upstream.forwarding(models), ledger, g.port(),
          g.maxBodyBytes());
    } catch (IOException e) {
      ledger.close();
      throw new IllegalArgumentException("the gateway cannot listen on 127.0.0.1:" + g.port()
          + ": " + e.getMessage(), e);
    }
    System.err.println("gateway: " + gateway.baseUrl() + " (the proxy's upstream)");
    return gateway;
  }

  public SandboxProvider sandboxes() {
    return sandboxes;
  }

  public ModelClient models() {
    return models;
  }

  /** The pool as the cases call it. */
  public ModelPool pool() {
    return pool;
  }

  public Router router() {
    return router;
  }

  public SandboxSettings sandboxSettings() {
    return sandboxSettings;
  }

  @Override
  public void close() {
    closeAll(models, sandboxes, gateway, sim);
  }

  private static void closeAll(ModelClient models, SandboxProvider sandboxes,
      MeteringGateway gateway, SimPoolServer sim) {
    if (models != null) {
      models.close();
    }
    if (sandboxes != null) {
      sandboxes.close();
    }
    if (gateway != null) {
      gateway.close();
    }
    if (sim != null) {
      sim.close();
    }
  }
}
