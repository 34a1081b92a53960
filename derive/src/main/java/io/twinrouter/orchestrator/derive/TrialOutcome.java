package io.twinrouter.orchestrator.derive;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One finished trial: a case run end to end with every step's model forced by {@code plan}.
 *
 * @param plan the model of each step from step 0; later steps ran on the strongest model
 * @param steps model calls of the case (format-error calls included), as {@code step_count}
 * @param runDir the live run directory (relative to the work directory) holding its files
 */
public record TrialOutcome(
    @JsonProperty("instance_id") String instanceId,
    @JsonProperty("plan") List<String> plan,
    @JsonProperty("resolved") boolean resolved,
    @JsonProperty("steps") int steps,
    @JsonProperty("cost_usd") double costUsd,
    @JsonProperty("finished_by") String finishedBy,
    @JsonProperty("run_dir") String runDir) {

  public TrialOutcome {
    plan = List.copyOf(plan);
  }

  /** Whether the trial keeps the seed's outcome: resolved in the same number of steps. */
  public boolean matches(TrialOutcome seed) {
    return resolved && steps == seed.steps();
  }
}
