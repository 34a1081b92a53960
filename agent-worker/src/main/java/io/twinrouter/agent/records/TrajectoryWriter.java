package io.twinrouter.agent.records;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders and writes mini-swe-agent's trajectory format (live-track spec 7.4) to {@code <id>.mini_traj.json},
 * after a step (at most once a second: see RunningCase) and always at the end. The config block describes the run (templates,
 * limits, pool, command environment), never credentials.
 */
public final class TrajectoryWriter {

  public static final String FORMAT = "mini-swe-agent-1.1";
  /** The mini version whose semantics the loop reproduces. */
  public static final String MINI_VERSION = "2.2.8";

  private final Path file;
  private final String instanceId;
  private final Map<String, Object> config;

  /**
   * @param agentConfig templates and limits; @param modelConfig pool ids and pricing version;
   * @param environmentConfig cwd, env, timeout, interpreter and the sandbox's identity
   */
  public TrajectoryWriter(Path file, String instanceId, Map<String, Object> agentConfig,
      Map<String, Object> modelConfig, Map<String, Object> environmentConfig) {
    this.file = file;
    this.instanceId = instanceId;
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("agent", agentConfig);
    c.put("agent_type", "io.twinrouter.agent.casework.CaseRunner");
    c.put("model", modelConfig);
    c.put("model_type", "io.twinrouter.agent.loop.ChatModel");
    c.put("environment", environmentConfig);
    c.put("environment_type", "io.twinrouter.agent.loop.Shell");
    this.config = c;
  }

  /**
   * @param exitStatus empty while the case runs, as in mini
   * @param submission empty while the case runs
   */
  public String render(List<Map<String, Object>> messages, double cost, int apiCalls,
      String exitStatus, String submission) {
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("instance_cost", cost);
    stats.put("api_calls", apiCalls);
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("model_stats", stats);
    info.put("config", config);
    info.put("mini_version", MINI_VERSION);
    info.put("exit_status", exitStatus);
    info.put("submission", submission);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("info", info);
    doc.put("messages", messages);
    doc.put("trajectory_format", FORMAT);
    doc.put("instance_id", instanceId);
    return RecordJson.pretty(doc);
  }

  /** Writes a document made by {@link #render}. */
  public void write(String rendered) {
    RecordJson.writeAtomically(file, rendered);
  }
}
