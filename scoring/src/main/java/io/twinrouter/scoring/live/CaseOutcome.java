package io.twinrouter.scoring.live;

import io.twinrouter.protocol.CaseReport;
import io.twinrouter.protocol.InfraErrors;
import java.util.Map;

/**
 * What the live scorer needs of one finished case: read from a run directory's result and trace
 * files, or built from a case report.
 *
 * @param stepCount priced model calls (trace step rows), not the agent's call counter
 * @param apiCostUsd the sum of the priced steps' costs
 * @param modelDistribution priced steps per model id
 */
public record CaseOutcome(
    String instanceId,
    boolean resolved,
    int stepCount,
    double apiCostUsd,
    Map<String, Integer> modelDistribution,
    boolean patchApplied,
    String agentError,
    String evalError) {

  public CaseOutcome {
    modelDistribution = Map.copyOf(modelDistribution);
  }

  /** The outcome a case report carries: what its result file and trace say once written. */
  public static CaseOutcome of(CaseReport r) {
    return new CaseOutcome(r.instanceId(), r.resolved(), r.pricedSteps(), r.apiCostUsd(),
        r.modelDistribution(), r.patchApplied(), r.agentError(), r.evalError());
  }

  public boolean isInfraFailure() {
    return InfraErrors.isInfrastructure(agentError, evalError);
  }
}
