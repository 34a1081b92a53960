package io.twinrouter.agent.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinrouter.agent.loop.AgentSettings;
import io.twinrouter.agent.loop.CaseLoop;
import io.twinrouter.agent.loop.CaseTask;
import io.twinrouter.agent.loop.LoopExit;
import io.twinrouter.agent.loop.Prompts;
import io.twinrouter.agent.loop.Templates;
import io.twinrouter.common.Json;
import io.twinrouter.config.LiveTrackSettings;
import io.twinrouter.config.ModelPool;
import io.twinrouter.protocol.CaseReport;
import io.twinrouter.protocol.InfraErrors;
import io.twinrouter.router.PrefixFingerprint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a finished case reports: its result file, its {@link CaseReport}, its trajectory's config. */
public final class CaseReports {

  /** The report as the journal stores a finished case's result. */
  private static final ObjectMapper REPORT_JSON = Json.MAPPER;

  private CaseReports() {}

  /** What grading found, as the result file records it. Counts are null when no report was read. */
  public interface Verdict {
    boolean resolved();

    boolean patchApplied();

    String evalError();

    String evalReportPath();

    Integer failToPassPass();

    Integer failToPassFail();

    Integer passToPassPass();

    Integer passToPassFail();
  }

  public static CaseResult result(CaseFiles files, CaseLoop loop, ModelPool pool,
      AgentSettings agent, CaseTask task, Verdict g) {
    LoopExit exit = loop.exit().orElseThrow();
    // The reference takes n_calls on a normal exit, and the loop_summary's priced count after an error.
    int stepCount = exit.agentError() == null ? loop.calls() : loop.pricedCalls();
    return new CaseResult(task.instanceId(), g.resolved(), exit.submission(), g.patchApplied(),
        files.trace(), stepCount, loop.costUsd(), exit.finishedBy(), loop.modelDistribution(),
        exit.agentError(), g.evalError(), g.evalReportPath(),
        PrefixFingerprint.poolFingerprint(pool.modelIds()), agent.pricingSchemaVersion(),
        agent.ttlPolicyName(), g.failToPassPass(), g.failToPassFail(), g.passToPassPass(),
        g.passToPassFail(), task.repo(), files.trajectory());
  }

  public static CaseReport report(String runId, String routerLabel, CaseResult r, CaseLoop loop,
      long startedAtMs, CaseFiles files) {
    long now = System.currentTimeMillis();
    return new CaseReport(runId, r.instanceId(), routerLabel, r.finishedBy(), r.resolved(),
        r.patchApplied(), InfraErrors.isInfrastructure(r.agentError(), r.evalError()),
        r.totalRouterCostUsd(), loop.calls(), loop.pricedCalls(),
        r.patch() == null ? "" : r.patch(), r.agentError(), r.evalError(),
        loop.modelDistribution(), startedAtMs, now - startedAtMs, files.result().toString());
  }

  public static String toJson(CaseReport report) {
    try {
      return REPORT_JSON.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the case's result could not be serialised", e);
    }
  }

  /** @throws IllegalArgumentException when the stored document is unreadable */
  public static CaseReport fromJson(String json) {
    try {
      return REPORT_JSON.readValue(json, CaseReport.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage(), e);
    }
  }

  /** The trajectory file's config block: templates, limits, pool, command environment. */
  public static TrajectoryWriter trajectoryWriter(CaseFiles files, Prompts prompts,
      LiveTrackSettings limits, AgentSettings agent, ModelPool pool) {
    Templates.Sources templates = prompts.sources();
    Map<String, Object> agentConfig = new LinkedHashMap<>();
    agentConfig.put("system_template", templates.systemTemplate());
    agentConfig.put("instance_template", templates.instanceTemplate());
    agentConfig.put("step_limit", limits.stepLimit());
    agentConfig.put("cost_limit", limits.costLimitUsd());
    agentConfig.put("action_format", agent.actionFormat().name().toLowerCase());
    agentConfig.put("max_consecutive_format_errors", agent.maxConsecutiveFormatErrors());
    if (!agent.agentConfigFile().isBlank()) {
      agentConfig.put("agent_config_file", agent.agentConfigFile());
    }
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("pool_model_ids", pool.modelIds());
    model.put("pricing_schema_version", agent.pricingSchemaVersion());
    model.put("observation_template", templates.observationTemplate());
    model.put("format_error_template", templates.formatErrorTemplate());
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("cwd", "/testbed");
    env.put("env", new LinkedHashMap<>(agent.commandEnv()));
    env.put("timeout", limits.commandTimeout().toSeconds());
    env.put("interpreter", agent.shell().interpreter());
    return new TrajectoryWriter(files.trajectory(), files.instanceId(), agentConfig, model, env);
  }
}
