package io.twinrouter.agent.loop;

import io.twinrouter.config.Tier;
import java.util.List;
import java.util.Map;

/**
 * Everything known about one priced model call: the source of its trace row.
 *
 * @param promptTailContent the content of the last message sent (previewed in the trace)
 * @param routerDecisionMs how long the router took to decide, measured by the case
 * @param retries transport retries the model client needed
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
    Map<String, Object> rawUsage,
    HarnessCache.Lookup cacheLookup,
    double stepCostUsd,
    double cumulativeCostUsd,
    String assistantContent,
    List<Action> actions,
    double routerDecisionMs,
    int retries) {}
