package io.twinrouter.scoring.live;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The live-track bill and {@code score.json} (live-track spec 5.1-5.2): per case, bill = API cost
 * + (1 - resolved) x penalty; the run's total bill is the leaderboard's sole sort key, lower is
 * better. Excluded cases (infrastructure failures when asked, ids outside an allowlist) stay
 * listed but add nothing to the totals.
 */
public final class LiveScorer {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private LiveScorer() {}

  public static ObjectNode score(RunIdentity run, List<CaseOutcome> cases, ScoreOptions options) {
    List<CaseOutcome> inScope = new ArrayList<>();
    for (CaseOutcome c : cases) {
      if (options.allowlist().map(a -> a.contains(c.instanceId())).orElse(true)) {
        inScope.add(c);
      }
    }
    inScope.sort(Comparator.comparing(CaseOutcome::instanceId));

    double penalty = options.penalty();
    double totalApi = 0;
    double totalPenalty = 0;
    int resolved = 0;
    int counted = 0;
    int infraExcluded = 0;
    long stepsSum = 0;
    ArrayNode perInstance = JSON.arrayNode();
    for (CaseOutcome c : inScope) {
      boolean excluded = options.excludeInfraFailures() && c.isInfraFailure();
      double casePenalty = c.resolved() ? 0.0 : penalty;
      ObjectNode row = perInstance.addObject();
      row.put("instance_id", c.instanceId());
      row.put("resolved", c.resolved());
      row.put("step_count", c.stepCount());
      row.put("router_actual_cost_usd", c.apiCostUsd());
      row.put("penalty_usd", casePenalty);
      row.put("instance_bill_usd", c.apiCostUsd() + casePenalty);
      ObjectNode dist = row.putObject("model_distribution");
      new TreeMap<>(c.modelDistribution()).forEach(dist::put);
      row.put("patch_applied", c.patchApplied());
      row.put("agent_error", c.agentError());
      row.put("eval_error", c.evalError());
      row.put("excluded_from_metrics", excluded);
      if (excluded) {
        infraExcluded++;
        continue;
      }
      counted++;
      totalApi += c.apiCostUsd();
      totalPenalty += casePenalty;
      stepsSum += c.stepCount();
      if (c.resolved()) {
        resolved++;
      }
    }
    double totalBill = totalApi + totalPenalty;

    ObjectNode out = JSON.objectNode();
    out.put("router_label", run.routerLabel());
    out.put("run_dir", run.runDir());
    out.put("pool_fingerprint", run.poolFingerprint());
    out.put("pricing_schema_version", run.pricingSchemaVersion());
    out.put("pricing_fingerprint", run.pricingFingerprint());
    out.put("high_baseline_model_id", run.highBaselineModelId());
    out.put("failure_penalty_usd", options.failurePenaltyUsd());
    out.put("total_leaderboard_bill_usd", totalBill);
    out.put("total_router_cost_usd", totalApi);
    out.put("total_penalty_cost_usd", totalPenalty);
    out.put("resolved_count", resolved);
    out.put("resolved_rate", counted == 0 ? 0.0 : (double) resolved / counted);
    out.put("instance_count", counted);
    out.put("avg_steps", counted == 0 ? 0.0 : (double) stepsSum / counted);
    out.put(
        "avg_cost_per_resolved_usd",
        resolved == 0 ? Double.POSITIVE_INFINITY : totalBill / resolved);
    out.set("per_instance", perInstance);
    if (options.excludeInfraFailures()) {
      out.put("exclude_infra_failures", true);
      out.put("raw_instance_count", inScope.size());
      out.put("infra_excluded_count", infraExcluded);
    }
    options.fixedPenaltyOverride().ifPresent(p -> out.put("fixed_failure_penalty_usd", p));
    options
        .allowlist()
        .ifPresent(
            allow -> {
              out.put("instance_id_allowlist_size", allow.size());
              Set<String> present = new TreeSet<>();
              cases.forEach(c -> present.add(c.instanceId()));
              ArrayNode missing = out.putArray("allowlist_missing_ids");
              new TreeSet<>(allow).stream().filter(id -> !present.contains(id)).forEach(missing::add);
            });
    return out;
  }
}
