package io.twinrouter.gateway;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.agent.model.ModelOutcome;
import io.twinrouter.agent.model.ModelRequestRejected;
import io.twinrouter.agent.model.ModelTurn;

/**
 * The gateway's record of one upstream call: which step it belongs to, the pool model, and what
 * came back (a priced {@link ModelTurn}, the provider's refusal, or the failure of the endpoint).
 * A metered call is a {@link ModelTurn}: its usage in four buckets and its cost priced by the one
 * formula, as the model client makes them.
 *
 * @param caseId the case (live) or bank row (static) the call was attributed to; null when the
 *     request carried no step marker (a gateway run on its own)
 * @param stepIndex the step within the case; -1 when unattributed
 * @param requestedModel the {@code model} field as the proxy sent it (a model id or api-model)
 * @param outcome a {@link ModelTurn} or a {@link ModelRequestRejected}; null when {@code failure}
 * @param failure the endpoint's failure after the client's retries, or a set-up mistake
 * @param gatewayNanos from the request's arrival to the answer sent, gateway time included
 */
public record GatewayCall(String caseId, int stepIndex, String requestedModel, String modelId,
    ModelOutcome outcome, RuntimeException failure, long gatewayNanos) {

  /** The priced turn, or null when the call was refused or failed. */
  public ModelTurn turn() {
    return outcome instanceof ModelTurn t ? t : null;
  }

  /** What the call costs: the turn's price; 0 for a refusal or failure (nothing is billed). */
  public double costUsd() {
    ModelTurn t = turn();
    return t == null ? 0.0 : t.costUsd();
  }

  /** One line of the gateway's call log ({@code gateway-calls.jsonl}). */
  ObjectNode toJson() {
    ObjectNode j = JsonNodeFactory.instance.objectNode();
    j.put("case_id", caseId);
    j.put("step_index", stepIndex);
    j.put("requested_model", requestedModel);
    j.put("model_id", modelId);
    ModelTurn t = turn();
    if (t != null) {
      ObjectNode usage = j.putObject("usage");
      t.usage().bucketsJson().forEach((k, v) -> usage.put(k, ((Number) v).longValue()));
      j.set("raw_usage", t.usage().raw());
      j.put("cost_usd", t.costUsd());
      j.put("latency_ms", t.latencyMs());
      j.put("started_at", t.startedAt());
    } else {
      j.put("cost_usd", 0.0);
      j.put("error", outcome instanceof ModelRequestRejected r ? r.describe()
          : failure == null ? "no answer" : failure.getMessage());
    }
    j.put("gateway_ms", gatewayNanos / 1e6);
    return j;
  }
}
