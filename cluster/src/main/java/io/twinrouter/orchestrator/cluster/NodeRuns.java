package io.twinrouter.orchestrator.cluster;

import io.twinrouter.agent.loop.AgentSettings;
import io.twinrouter.agent.tasks.TaskInstance;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.orchestrator.live.LiveCases;
import io.twinrouter.orchestrator.live.LiveRunOptions;
import io.twinrouter.orchestrator.live.PoolFiles;
import io.twinrouter.orchestrator.live.RunResources;
import io.twinrouter.orchestrator.live.TaskCatalog;
import io.twinrouter.orchestrator.run.CaseFactory;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * What this node has started for each run it holds cases of: the tasks (extracted into this
 * node's private working folder, {@code <work-dir>/runs/<run id>}), its simulated pool when the run asks for {@code sim}, the
 * sandbox provider, the model client and the case factory. Every node starts its own simulated
 * pool over the same tasks and seed: its draws are a function of (seed, instance, step, model),
 * so a case draws the same answers on whichever node it runs. Opened on the first case of a run,
 * closed when the node stops.
 */
public final class NodeRuns implements AutoCloseable {
  private final TwinrouterSettings settings;
  private final String nodeTag;
  private final Path workDir;
  private final Map<String, NodeRun> runs = new ConcurrentHashMap<>();

  /**
   * @param nodeTag names this node's sandbox labels ({@code host_port})
   * @param workDir this node's private working folder
   */
  public NodeRuns(TwinrouterSettings settings, String nodeTag, Path workDir) {
    this.settings = settings;
    this.nodeTag = nodeTag;
    this.workDir = workDir;
  }

  /** The run's resources on this node, started on first use; blocks (call off the actor thread). */
  public CaseFactory open(ClusterRunSpec spec, ActorSystem<?> system) {
    return runs.computeIfAbsent(spec.runId(), id -> NodeRun.start(spec, settings, nodeTag,
        workDir.resolve("runs").resolve(id.replaceAll("[^A-Za-z0-9._-]", "_")), system))
        .factory();
  }

  @Override
  public void close() {
    runs.values().forEach(NodeRun::close);
    runs.clear();
  }

  /** One run's resources on this node and the factory of its cases. */
  private record NodeRun(CaseFactory factory, RunResources resources) implements AutoCloseable {

    static NodeRun start(ClusterRunSpec spec, TwinrouterSettings nodeSettings, String nodeTag,
        Path nodeDir, ActorSystem<?> system) {
      TwinrouterSettings settings = spec.withRouterTiming(nodeSettings);
      LiveRunOptions options = spec.options();
      Path out = Path.of(spec.out());
      List<TaskInstance> tasks = TaskSuite.select(
          TaskSuite.open(spec.tasks(), nodeDir.resolve("suite")), new HashSet<>(spec.allIds()));
      Path taskFile = TaskSuite.BUNDLED.equals(spec.tasks())
          ? nodeDir.resolve("suite").resolve(TaskSuite.BUNDLED_TASK_FILE)
          : Path.of(spec.tasks());
      // the pool file came with the run (older runs: read at the client's path)
      ModelPool pool = options.isSimulatedPool() ? settings.pool()
          : PoolFiles.load(spec.poolFile() == null ? Path.of(options.pool())
              : spec.poolFile().cache(nodeDir.resolve("inputs")));
      RunResources resources =
          RunResources.open(options, settings, pool, taskFile, Optional.empty(), true);
      try {
        AgentSettings agent = AgentSettings.from(settings.raw());
        // Sandboxes carry a label of this node's own: reaping at start-up must not remove the
        // sandboxes other nodes on the same machine run for the same run.
        String sandboxLabel = spec.runId() + "-" + nodeTag;
        TaskCatalog catalog = new TaskCatalog(tasks, sandboxLabel, resources.sandboxSettings(),
            agent.commandEnv(), agent.shell());
        CaseFactory factory = LiveCases.factory(system, new LiveCases.Parts(settings, agent,
            resources.pool(), resources.router(), resources.sandboxes(), resources.models(),
            catalog, spec.routerLabel(), spec.runId(), sandboxLabel, out));
        return new NodeRun(factory, resources);
      } catch (RuntimeException e) {
        resources.close();
        throw e;
      }
    }

    @Override
    public void close() {
      resources.close();
    }
  }
}
