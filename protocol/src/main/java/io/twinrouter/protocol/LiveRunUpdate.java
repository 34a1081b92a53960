package io.twinrouter.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a live run tells the scoring service's run registry as it goes: that it started (with
 * what the score needs to name the pool), each case's progress, restarts and end, and that it
 * finished. Plain records with a type tag, so they can cross a cluster as JSON.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = LiveRunUpdate.RunStarted.class, name = "run_started"),
  @JsonSubTypes.Type(value = LiveRunUpdate.CaseStarted.class, name = "case_started"),
  @JsonSubTypes.Type(value = LiveRunUpdate.CaseStepped.class, name = "case_stepped"),
  @JsonSubTypes.Type(value = LiveRunUpdate.CaseRestarting.class, name = "case_restarting"),
  @JsonSubTypes.Type(value = LiveRunUpdate.CaseFinished.class, name = "case_finished"),
  @JsonSubTypes.Type(value = LiveRunUpdate.RunFinished.class, name = "run_finished")
})
public sealed interface LiveRunUpdate {

  String runId();

  /**
   * @param caseIds every case of the run, those finished by an earlier invocation included
   * @param reusedCaseIds cases finished by an earlier invocation: their verdicts are read from
   *     {@code runDir}'s result files, not run again
   * @param poolFingerprint what score.json names the pool by (with the pricing schema version)
   * @param budgetUsd the run-wide budget, or null for none
   */
  record RunStarted(
      @JsonProperty("run_id") String runId,
      @JsonProperty("router_label") String routerLabel,
      @JsonProperty("run_dir") String runDir,
      @JsonProperty("case_ids") List<String> caseIds,
      @JsonProperty("reused_case_ids") List<String> reusedCaseIds,
      @JsonProperty("pool_fingerprint") String poolFingerprint,
      @JsonProperty("pricing_schema_version") int pricingSchemaVersion,
      @JsonProperty("high_baseline_model_id") String highBaselineModelId,
      @JsonProperty("failure_penalty_usd") double failurePenaltyUsd,
      @JsonProperty("budget_usd") Double budgetUsd)
      implements LiveRunUpdate {
    public RunStarted {
      Objects.requireNonNull(runId, "run_id");
      caseIds = List.copyOf(caseIds);
      reusedCaseIds = List.copyOf(reusedCaseIds);
    }
  }

  record CaseStarted(
      @JsonProperty("run_id") String runId, @JsonProperty("instance_id") String instanceId)
      implements LiveRunUpdate {}

  /** After each finished step; {@code spendUsd} is the case's spend so far, restarts included. */
  record CaseStepped(
      @JsonProperty("run_id") String runId,
      @JsonProperty("instance_id") String instanceId,
      @JsonProperty("steps") int steps,
      @JsonProperty("spend_usd") double spendUsd)
      implements LiveRunUpdate {}

  /** An infrastructure failure: the case runs again ({@code attempt} 1 is the first restart). */
  record CaseRestarting(
      @JsonProperty("run_id") String runId,
      @JsonProperty("instance_id") String instanceId,
      @JsonProperty("attempt") int attempt,
      @JsonProperty("cause") String cause)
      implements LiveRunUpdate {}

  /**
   * A case is over.
   *
   * @param report the case's report; null when the supervisor gave the case up after repeated
   *     infrastructure failures (then no result file exists and the case is not scored)
   * @param spendUsd what the case cost the run, spend of failed attempts included
   * @param detail why a given-up case failed, else null
   */
  record CaseFinished(
      @JsonProperty("run_id") String runId,
      @JsonProperty("instance_id") String instanceId,
      @JsonProperty("report") CaseReport report,
      @JsonProperty("spend_usd") double spendUsd,
      @JsonProperty("steps") int steps,
      @JsonProperty("detail") String detail)
      implements LiveRunUpdate {

    /** True when the supervisor gave the case up (no report). */
    public boolean givenUp() {
      return report == null;
    }
  }

  /**
   * The run is over and its files are written.
   *
   * @param budgetReached the budget kept cases from starting: the run was cut short
   * @param notStarted the cases the budget kept from starting
   * @param infrastructureErrors the cases given up after repeated infrastructure failures
   */
  record RunFinished(
      @JsonProperty("run_id") String runId,
      @JsonProperty("budget_reached") boolean budgetReached,
      @JsonProperty("not_started") List<String> notStarted,
      @JsonProperty("infrastructure_errors") List<String> infrastructureErrors,
      @JsonProperty("run_facts") Map<String, JsonNode> runFacts)
      implements LiveRunUpdate {
    public RunFinished {
      notStarted = List.copyOf(notStarted);
      infrastructureErrors = List.copyOf(infrastructureErrors);
      runFacts = runFacts == null ? Map.of() : Map.copyOf(runFacts);
    }

    /** A run that says nothing of itself beyond its cases. */
    public RunFinished(String runId, boolean budgetReached, List<String> notStarted,
        List<String> infrastructureErrors) {
      this(runId, budgetReached, notStarted, infrastructureErrors, Map.of());
    }
  }
}
