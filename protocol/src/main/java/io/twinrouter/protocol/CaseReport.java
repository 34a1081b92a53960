package io.twinrouter.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one finished live case reports to whoever runs the campaign (scoring, the orchestrator).
 * It lives here, not in agent-worker, so scoring can receive it without depending on the worker.
 *
 * @param runId the campaign's run id
 * @param instanceId the SWE-bench instance id
 * @param router the router label of the run
 * @param exitStatus the loop's {@code finished_by}: {@code Submitted}, {@code LimitsExceeded}, or
 *     the class name of the error that ended the loop
 * @param resolved whether grading resolved the instance (false whenever no patch was produced)
 * @param patchApplied whether the grader could apply the patch
 * @param infrastructureError whether {@code agentError}/{@code evalError} name a transport,
 *     provider or harness failure rather than the router's or the model's own doing
 * @param apiCostUsd the locally priced spend of the case, kept whatever ended it
 * @param steps model calls made, format-error calls included ({@code n_calls})
 * @param pricedSteps priced (traced) model calls, the scorer's step count
 * @param patch the submitted patch, empty when none
 * @param agentError {@code "<Class>: <message>"} when an error ended the loop, else null
 * @param evalError why grading did not run or produced no verdict, else null
 * @param modelDistribution priced calls per model id
 * @param startedAtMs epoch milliseconds when the case started
 * @param durationMs wall time of the whole case, grading included
 * @param resultPath absolute path of {@code results/<id>.json}
 */
public record CaseReport(
    @JsonProperty("run_id") String runId,
    @JsonProperty("instance_id") String instanceId,
    @JsonProperty("router") String router,
    @JsonProperty("exit_status") String exitStatus,
    @JsonProperty("resolved") boolean resolved,
    @JsonProperty("patch_applied") boolean patchApplied,
    @JsonProperty("infrastructure_error") boolean infrastructureError,
    @JsonProperty("api_cost_usd") double apiCostUsd,
    @JsonProperty("steps") int steps,
    @JsonProperty("priced_steps") int pricedSteps,
    @JsonProperty("patch") String patch,
    @JsonProperty("agent_error") String agentError,
    @JsonProperty("eval_error") String evalError,
    @JsonProperty("model_distribution") Map<String, Integer> modelDistribution,
    @JsonProperty("started_at_ms") long startedAtMs,
    @JsonProperty("duration_ms") long durationMs,
    @JsonProperty("result_path") String resultPath) {

  public CaseReport {
    Objects.requireNonNull(runId, "run_id");
    Objects.requireNonNull(instanceId, "instance_id");
    Objects.requireNonNull(exitStatus, "exit_status");
    patch = patch == null ? "" : patch;
    modelDistribution = Collections.unmodifiableMap(new TreeMap<>(modelDistribution));
  }
}
