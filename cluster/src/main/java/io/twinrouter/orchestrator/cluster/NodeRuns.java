package io.twinrouter.orchestrator.cluster;

import io.twinrouter.agent.loop.AgentSettings;
import io.twinrouter.agent.tasks.TaskInstance;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.agent.model.ModelClientSettings;
import io.twinrouter.agent.model.ModelPreflight;
import io.twinrouter.agent.model.ModelSetupException;
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
 * What this node has started for each run it holds cases of: the tasks (fetched from the journal
 * into this node's private working folder, {@code <work-dir>/inputs}, where the cases' files are
 * written too, {@code <work-dir>/runs/<run id>/out}), its simulated pool when the run asks for {@code sim}, the
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
    NodeRun stopped = runs.get(spec.runId());
    if (stopped != null && stopped.resources().models().setupMistake().isPresent()) {
      // the run was submitted again after a set-up mistake stopped it: its model client keeps
      // the mistake for good, so the run starts afresh (no case of it runs here meanwhile)
      runs.remove(spec.runId(), stopped);
      stopped.close();
    }
    return runs.computeIfAbsent(spec.runId(), id -> NodeRun.start(spec, settings, nodeTag,
        runDir(id), workDir.resolve("inputs"), system)).factory();
  }

  /** Where this node writes the run's case files before it sends them back. */
  public Path out(ClusterRunSpec spec) {
    return spec.inputs() == null ? Path.of(spec.out()) : runDir(spec.runId()).resolve("out");
  }

  private Path runDir(String runId) {
    return workDir.resolve("runs").resolve(runId.replaceAll("[^A-Za-z0-9._-]", "_"));
  }

  /** The provider's refusal of the run's set-up that this node's model client met, if any. */
  public Optional<ModelSetupException> setupMistake(ClusterRunSpec spec) {
    NodeRun run = runs.get(spec.runId());
    return run == null ? Optional.empty() : run.resources().models().setupMistake();
  }

  @Override
  public void close() {
    runs.values().forEach(NodeRun::close);
    runs.clear();
  }

  /** This node's preflight refused the run's pool: its environment or the endpoints. */
  public static final class PreflightRefused extends IllegalStateException {
    PreflightRefused(String message) {
      super(message);
    }
  }

  /** One run's resources on this node and the factory of its cases. */
  private record NodeRun(CaseFactory factory, RunResources resources) implements AutoCloseable {

    static NodeRun start(ClusterRunSpec spec, TwinrouterSettings nodeSettings, String nodeTag,
        Path nodeDir, Path inputs, ActorSystem<?> system) {
      TwinrouterSettings settings = spec.withRouterTiming(nodeSettings);
      LiveRunOptions options = spec.options();
      Path out;
      Path taskFile;
      if (spec.inputs() != null) {
        // the rows and bundles came with the run, cached by hash across runs
        out = nodeDir.resolve("out");
        taskFile = RunShipment.receive(system, spec.inputs(), inputs);
      } else { // runs journalled before: the client's paths
        out = Path.of(spec.out());
        taskFile = TaskSuite.BUNDLED.equals(spec.tasks())
            ? nodeDir.resolve("suite").resolve(TaskSuite.BUNDLED_TASK_FILE)
            : Path.of(spec.tasks());
        TaskSuite.open(spec.tasks(), nodeDir.resolve("suite"));
      }
      List<TaskInstance> tasks =
          TaskSuite.select(TaskSuite.load(taskFile), new HashSet<>(spec.allIds()));
      // the pool file came with the run (older runs: read at the client's path)
      ModelPool pool = options.isSimulatedPool() ? settings.pool()
          : PoolFiles.load(spec.poolFile() == null ? Path.of(options.pool())
              : spec.poolFile().cache(inputs));
      RunResources resources =
          RunResources.open(options, settings, pool, taskFile, Optional.empty(), true);
      try {
        preflight(spec, settings, resources, nodeTag);
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

    /**
     * The single-node run's preflight, on this node: API keys come from each node's own
     * environment, so each node checks its own, and probes each model unless told not to.
     */
    private static void preflight(ClusterRunSpec spec, TwinrouterSettings settings,
        RunResources resources, String nodeTag) {
      List<String> problems = ModelPreflight.check(resources.pool(), System::getenv);
      if (problems.isEmpty() && !spec.noPreflightCalls()) {
        problems = ModelPreflight.probe(ModelClientSettings.from(settings.raw()), resources.pool())
            .problems();
      }
      if (!problems.isEmpty()) {
        String where = spec.poolFile() == null ? "" : "pool file " + spec.poolFile().name() + ": ";
        throw new PreflightRefused("node " + nodeTag + ": " + where + "preflight: the pool is not"
            + " ready, no case was started there\n" + String.join("\n", problems));
      }
    }
  }
}
