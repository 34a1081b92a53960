package io.twinrouter.orchestrator.cluster;

import com.typesafe.config.Config;
import io.twinrouter.agent.loop.AgentSettings;
import io.twinrouter.agent.model.ModelClient;
import io.twinrouter.agent.model.ModelClientSettings;
import io.twinrouter.agent.sim.SimPoolOptions;
import io.twinrouter.agent.sim.SimPoolServer;
import io.twinrouter.agent.sim.SimTaskLoader;
import io.twinrouter.agent.tasks.TaskInstance;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.orchestrator.live.LiveCases;
import io.twinrouter.orchestrator.live.LiveRunOptions;
import io.twinrouter.orchestrator.live.PoolFiles;
import io.twinrouter.orchestrator.live.TaskCatalog;
import io.twinrouter.orchestrator.run.CaseFactory;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterEnvironment;
import io.twinrouter.router.catalog.Routers;
import io.twinrouter.sandbox.SandboxProvider;
import io.twinrouter.sandbox.SandboxSettings;
import io.twinrouter.sandbox.backends.SandboxProviders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * What this node has started for each run it holds cases of: the tasks (extracted into a
 * directory of this node's own), its simulated pool when the run asks for {@code sim}, the
 * sandbox provider, the model client and the case factory. Every node starts its own simulated
 * pool over the same tasks and seed: its draws are a function of (seed, instance, step, model),
 * so a case draws the same answers on whichever node it runs. Opened on the first case of a run,
 * closed when the node stops.
 */
public final class NodeRuns implements AutoCloseable {
  private final TwinrouterSettings settings;
  private final String nodeTag;
  private final Map<String, NodeRun> runs = new ConcurrentHashMap<>();

  /** @param nodeTag names this node's directories and sandbox labels ({@code host_port}) */
  public NodeRuns(TwinrouterSettings settings, String nodeTag) {
    this.settings = settings;
    this.nodeTag = nodeTag;
  }

  /** The run's resources on this node, started on first use; blocks (call off the actor thread). */
  public CaseFactory open(ClusterRunSpec spec, ActorSystem<?> system) {
    return runs.computeIfAbsent(spec.runId(), id -> NodeRun.start(spec, settings, nodeTag, system))
        .factory();
  }

  @Override
  public void close() {
    runs.values().forEach(NodeRun::close);
    runs.clear();
  }

  private record NodeRun(CaseFactory factory, SimPoolServer sim, SandboxProvider sandboxes,
      ModelClient models) implements AutoCloseable {

    static NodeRun start(ClusterRunSpec spec, TwinrouterSettings settings, String nodeTag,
        ActorSystem<?> system) {
      LiveRunOptions options = spec.options();
      Path out = Path.of(spec.out());
      Path nodeDir = out.resolve("nodes").resolve(nodeTag);
      List<TaskInstance> tasks = TaskSuite.select(
          TaskSuite.open(spec.tasks(), nodeDir.resolve("suite")), new HashSet<>(spec.allIds()));
      Path taskFile = TaskSuite.BUNDLED.equals(spec.tasks())
          ? nodeDir.resolve("suite").resolve(TaskSuite.BUNDLED_TASK_FILE)
          : Path.of(spec.tasks());
      Config raw = settings.raw();
      boolean sim = LiveRunOptions.SIM.equals(options.pool());
      ModelPool pool = sim ? settings.pool() : PoolFiles.load(Path.of(options.pool()));
      SimPoolServer simServer = null;
      SandboxProvider sandboxes = null;
      ModelClient models = null;
      try {
        if (sim) {
          simServer = SimPoolServer.start(settings.pool(), SimTaskLoader.load(taskFile),
              SimPoolOptions.from(raw).withPort(0).withSeed(options.seed()));
          pool = pool.withBaseUrl(simServer.baseUrl());
        }
        RouterEnvironment env =
            RouterEnvironment.of(settings).withPool(pool).withSeed(options.seed());
        Router router = Routers.byName(options.router(), env);
        SandboxSettings sandboxSettings = SandboxSettings.from(raw).withBackend(options.sandbox());
        AgentSettings agent = AgentSettings.from(raw);
        // Sandboxes carry a label of this node's own: reaping at start-up must not remove the
        // sandboxes other nodes on the same machine run for the same run.
        String sandboxLabel = spec.runId() + "-" + nodeTag;
        TaskCatalog catalog = new TaskCatalog(tasks, sandboxLabel, sandboxSettings, agent.commandEnv());
        sandboxes = SandboxProviders.create(options.sandbox(), sandboxSettings);
        models = ModelClient.create(ModelClientSettings.from(raw));
        CaseFactory factory = LiveCases.factory(system, new LiveCases.Parts(settings, agent, pool,
            router, sandboxes, models, catalog, spec.routerLabel(), spec.runId(), sandboxLabel, out));
        return new NodeRun(factory, simServer, sandboxes, models);
      } catch (IOException e) {
        closeAll(simServer, sandboxes, models);
        throw new UncheckedIOException("run " + spec.runId() + " cannot start on this node", e);
      } catch (RuntimeException e) {
        closeAll(simServer, sandboxes, models);
        throw e;
      }
    }

    @Override
    public void close() {
      closeAll(sim, sandboxes, models);
    }

    private static void closeAll(SimPoolServer sim, SandboxProvider sandboxes, ModelClient models) {
      if (models != null) {
        models.close();
      }
      if (sandboxes != null) {
        sandboxes.close();
      }
      if (sim != null) {
        sim.close();
      }
    }
  }
}
