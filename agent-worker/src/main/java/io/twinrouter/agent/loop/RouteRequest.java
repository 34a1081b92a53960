package io.twinrouter.agent.loop;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Everything the router sees before one model call (live-track spec 1.1), in the loop's own
 * terms; {@link RouteChooser} implementations turn it into the router module's context.
 *
 * @param stepIndex the call counter before this call (format-error calls consume indices too)
 * @param messages the conversation including each message's {@code extra} block, as in mini
 * @param messageTrees the same messages as JSON trees, converted once per message (read-only)
 * @param availableModels pool model ids in pool order
 * @param nowTs Unix seconds when the context was built
 * @param cache the harness cache view of every pool model, in pool order
 * @param budgetSoFarUsd priced spend of this instance before this call
 */
public record RouteRequest(
    String instanceId,
    int stepIndex,
    List<Map<String, Object>> messages,
    List<JsonNode> messageTrees,
    List<String> availableModels,
    double nowTs,
    int wallclockTtlSec,
    Map<String, HarnessCache.View> cache,
    double budgetSoFarUsd,
    int maxSteps,
    double budgetUsd,
    double selectTimeoutSec) {}
