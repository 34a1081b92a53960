package io.twinrouter.agent.loop;

import io.twinrouter.agent.model.CallLedger;
import io.twinrouter.agent.model.ModelTurn;
import io.twinrouter.agent.model.Usage;
import io.twinrouter.config.Tier;
import java.util.List;

/**
 * Everything known about one priced model call: the source of its trace row.
 *
 * @param usage the call's buckets; its raw usage object is the trace row's {@code raw_usage}
 * @param promptTailContent the content of the last message sent (previewed in the trace)
 * @param routerDecisionMs how long the router took to decide, as the router module measured it
 *     ({@link io.twinrouter.router.RouterDecision#decisionNanos})
 * @param retries transport retries the model client needed
 * @param routerError null when the router chose the model; the failed router call's error when
 *     the step fell back to a tier ({@code --on-router-error tier:NAME})
 * @param ledger the requested and served model, and the paid responses before this one that
 *     could not be used (the client's malformed 200s, the loop's format errors)
 * @param otherCalls a routing proxy's other upstream calls of this step, billed in {@code
 *     stepCostUsd} beside this call's usage; empty for a direct call
 */
public record StepRecord(
    String instanceId,
    int stepIndex,
    double startedAt,
    double finishedAt,
    String modelId,
    Tier tier,
    String provider,
    String rationale,
    long latencyMs,
    int promptMessagesCount,
    String promptTailRole,
    String promptTailContent,
    Usage usage,
    HarnessCache.Lookup cacheLookup,
    double stepCostUsd,
    double cumulativeCostUsd,
    String assistantContent,
    List<Action> actions,
    double routerDecisionMs,
    int retries,
    String routerError,
    CallLedger ledger,
    List<ModelTurn> otherCalls) {

  public StepRecord {
    ledger = ledger == null ? CallLedger.NONE : ledger;
    otherCalls = otherCalls == null ? List.of() : List.copyOf(otherCalls);
  }

  /** A direct call's step whose model the router chose, without ledger facts (a scripted model's). */
  public StepRecord(String instanceId, int stepIndex, double startedAt, double finishedAt,
      String modelId, Tier tier, String provider, String rationale, long latencyMs,
      int promptMessagesCount, String promptTailRole, String promptTailContent, Usage usage,
      HarnessCache.Lookup cacheLookup, double stepCostUsd, double cumulativeCostUsd,
      String assistantContent, List<Action> actions, double routerDecisionMs, int retries) {
    this(instanceId, stepIndex, startedAt, finishedAt, modelId, tier, provider, rationale,
        latencyMs, promptMessagesCount, promptTailRole, promptTailContent, usage, cacheLookup,
        stepCostUsd, cumulativeCostUsd, assistantContent, actions, routerDecisionMs, retries,
        null, CallLedger.NONE, List.of());
  }
}
