package io.twinrouter.orchestrator.live;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.agent.casework.ModelClientChat;
import io.twinrouter.agent.loop.ChatModel;
import io.twinrouter.agent.loop.ModelRefusal;
import io.twinrouter.agent.model.ModelRequestRejected;
import io.twinrouter.agent.model.ModelTurn;
import io.twinrouter.config.PoolModel;
import io.twinrouter.gateway.ProxiedStep;
import io.twinrouter.gateway.ProxyRouter;
import java.util.List;

/**
 * The model call of a step a routing proxy answered: no model is called again, the step's turn is
 * the answer the gateway metered while the proxy decided ({@link ProxyRouter}), with the step's
 * other upstream calls attached for the bill. A provider's refusal ends the case as a value and a
 * failed endpoint is the case's infrastructure failure, exactly as for a direct call.
 */
final class ProxiedChat implements ChatModel {

  private final ProxyRouter proxy;

  ProxiedChat(ProxyRouter proxy) {
    this.proxy = proxy;
  }

  @Override
  public ModelTurn complete(PoolModel model, List<JsonNode> messages, List<JsonNode> tools)
      throws ModelRefusal {
    ProxiedStep step = proxy.take(messages.get(messages.size() - 1));
    if (step == null) {
      throw new IllegalStateException("no proxied answer waits for this step of the case");
    }
    if (step.failure() != null) {
      throw step.failure();
    }
    if (step.outcome() instanceof ModelRequestRejected r) {
      throw ModelClientChat.refusal(r);
    }
    ModelTurn turn = (ModelTurn) step.outcome();
    if (!turn.modelId().equals(model.modelId())) {
      throw new IllegalStateException("the proxied answer came from " + turn.modelId()
          + ", the step was decided for " + model.modelId());
    }
    return turn;
  }
}
