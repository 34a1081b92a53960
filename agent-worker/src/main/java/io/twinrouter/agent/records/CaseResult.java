package io.twinrouter.agent.records;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code results/<id>.json} (live-track spec 4.6.1), field for field.
 *
 * @param patch null when the case produced no patch
 * @param stepCount model calls including format-error calls ({@code n_calls})
 */
public record CaseResult(
    String instanceId,
    boolean resolved,
    String patch,
    boolean patchApplied,
    Path tracePath,
    int stepCount,
    double totalRouterCostUsd,
    String finishedBy,
    Map<String, Integer> modelDistribution,
    String agentError,
    String evalError,
    String evalReportPath,
    String poolFingerprint,
    int pricingSchemaVersion,
    String ttlPolicyName,
    Integer failToPassPassCount,
    Integer failToPassFailCount,
    Integer passToPassPassCount,
    Integer passToPassFailCount,
    String instanceRepo,
    Path trajectoryPath) {

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("instance_id", instanceId);
    m.put("resolved", resolved);
    m.put("patch", patch == null || patch.isBlank() ? null : patch);
    m.put("patch_applied", patchApplied);
    m.put("trace_path", tracePath.toAbsolutePath().toString());
    m.put("step_count", stepCount);
    m.put("total_router_cost_usd", totalRouterCostUsd);
    m.put("finished_by", finishedBy);
    m.put("model_distribution", new LinkedHashMap<>(modelDistribution));
    m.put("agent_error", agentError);
    m.put("eval_error", evalError);
    m.put("eval_report_path", evalReportPath);
    m.put("pool_fingerprint", poolFingerprint);
    m.put("pricing_schema_version", pricingSchemaVersion);
    m.put("ttl_policy_name", ttlPolicyName);
    m.put("fail_to_pass_pass_count", failToPassPassCount);
    m.put("fail_to_pass_fail_count", failToPassFailCount);
    m.put("pass_to_pass_pass_count", passToPassPassCount);
    m.put("pass_to_pass_fail_count", passToPassFailCount);
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("instance_repo", instanceRepo);
    extra.put("mini_trajectory_path", trajectoryPath.toAbsolutePath().toString());
    m.put("extra", extra);
    return m;
  }

  public void write(Path file) {
    RecordJson.writeAtomically(file, RecordJson.pretty(toJson()) + "\n");
  }
}
