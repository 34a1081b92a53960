package io.twinrouter.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.agent.model.ModelClient;
import io.twinrouter.agent.model.ModelOutcome;
import io.twinrouter.agent.model.ModelTurn;
import io.twinrouter.agent.model.RequestOptions;
import io.twinrouter.agent.model.Usage;
import io.twinrouter.config.PoolModel;
import java.util.List;

/**
 * What answers a call the gateway accepted: the pool model's real endpoint through the run's
 * {@link ModelClient} (its key, retries, usage normalisation and pricing), or, in the static
 * track, a canned empty completion that calls no model and costs nothing.
 */
@FunctionalInterface
public interface Upstream {

  /** Blocking; runs on a gateway request thread. */
  ModelOutcome call(PoolModel model, List<JsonNode> messages, List<JsonNode> tools,
      RequestOptions options);

  static Upstream forwarding(ModelClient client) {
    return client::complete;
  }

  /**
   * The static track's answer: an empty assistant message with zero usage. The proxy only has to
   * pass it back; the model it asked for is the prediction.
   */
  static Upstream canned() {
    return (model, messages, tools, options) -> {
      double now = System.currentTimeMillis() / 1000.0;
      ObjectNode response = JsonNodeFactory.instance.objectNode();
      response.put("id", "twinrouter-canned-" + StepMarker.newToken());
      response.put("object", "chat.completion");
      response.put("created", (long) now);
      response.put("model", model.modelId());
      ObjectNode choice = response.putArray("choices").addObject();
      choice.put("index", 0);
      ObjectNode message = choice.putObject("message");
      message.put("role", "assistant");
      message.put("content", "");
      choice.put("finish_reason", "stop");
      ObjectNode usage = response.putObject("usage");
      usage.put("prompt_tokens", 0).put("completion_tokens", 0).put("total_tokens", 0);
      return new ModelTurn(model.modelId(), "canned", message, "", List.of(), "stop",
          new Usage(0, 0, 0, 0, usage), 0.0, now, now, 0, List.of(), response);
    };
  }
}
