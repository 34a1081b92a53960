package io.twinrouter.agent.loop;

import io.twinrouter.agent.model.CallLedger;
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
 * @param ledger the requested and served model, and the paid responses before this one that
 *     could not be used (the client's malformed 200s, the loop's format errors)
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
    CallLedger ledger) {

  public StepRecord {
    ledger = ledger == null ? CallLedger.NONE : ledger;
  }

  /** A step without ledger facts (a scripted model's). */
  public StepRecord(String instanceId, int stepIndex, double startedAt, double finishedAt,
      String modelId, Tier tier, String provider, String rationale, long latencyMs,
      int promptMessagesCount, String promptTailRole, String promptTailContent, Usage usage,
      HarnessCache.Lookup cacheLookup, double stepCostUsd, double cumulativeCostUsd,
      String assistantContent, List<Action> actions, double routerDecisionMs, int retries) {
    this(instanceId, stepIndex, startedAt, finishedAt, modelId, tier, provider, rationale,
        latencyMs, promptMessagesCount, promptTailRole, promptTailContent, usage, cacheLookup,
        stepCostUsd, cumulativeCostUsd, assistantContent, actions, routerDecisionMs, retries,
        CallLedger.NONE);
  }
}
