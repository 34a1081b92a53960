package io.twinrouter.agent.casework;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.agent.loop.ChatModel;
import io.twinrouter.agent.loop.ModelRefusal;
import io.twinrouter.agent.model.ModelClient;
import io.twinrouter.agent.model.ModelOutcome;
import io.twinrouter.agent.model.ModelRequestRejected;
import io.twinrouter.agent.model.ModelTurn;
import io.twinrouter.agent.model.RequestOptions;
import io.twinrouter.config.PoolModel;
import java.util.List;

/**
 * The loop's model on the OpenAI-compatible {@link ModelClient}: mini's request knobs, refusals
 * as {@link ModelRefusal} values, an endpoint that stays down as the client's exception.
 */
public final class ModelClientChat implements ChatModel {

  private final ModelClient client;
  private final RequestOptions options;

  public ModelClientChat(ModelClient client, RequestOptions options) {
    this.client = client;
    this.options = options;
  }

  public ModelClientChat(ModelClient client) {
    this(client, RequestOptions.miniDefaults());
  }

  @Override
  public ModelTurn complete(PoolModel model, List<JsonNode> messages, List<JsonNode> tools)
      throws ModelRefusal {
    ModelOutcome outcome = client.complete(model, messages, tools, options);
    if (outcome instanceof ModelRequestRejected r) {
      throw refusal(r);
    }
    return (ModelTurn) outcome;
  }

  /** A provider's refusal as the case's outcome (a proxied step's too). */
  public static ModelRefusal refusal(ModelRequestRejected r) {
    String line = r.describe();
    String prefix = "ModelRequestRejected: ";
    return new ModelRefusal("ModelRequestRejected",
        line.startsWith(prefix) ? line.substring(prefix.length()) : line);
  }
}
