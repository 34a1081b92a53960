package io.twinrouter.orchestrator.live;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.agent.loop.ChatModel;
import io.twinrouter.agent.loop.ModelRefusal;
import io.twinrouter.agent.loop.ModelTurn;
import io.twinrouter.agent.loop.Usage;
import io.twinrouter.agent.model.ModelClient;
import io.twinrouter.agent.model.ModelOutcome;
import io.twinrouter.agent.model.ModelRequestRejected;
import io.twinrouter.agent.model.RequestOptions;
import io.twinrouter.config.PoolModel;
import java.util.List;
import java.util.Map;

/**
 * The agent loop's {@link ChatModel} over the OpenAI-compatible {@link ModelClient}: a refusal
 * (non-retryable 4xx) becomes the loop's {@link ModelRefusal} value; an endpoint still failing
 * after its retries stays an exception, an infrastructure failure of the case.
 */
final class ModelClientChat implements ChatModel {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final ModelClient client;
  private final RequestOptions options;

  ModelClientChat(ModelClient client, RequestOptions options) {
    this.client = client;
    this.options = options;
  }

  @Override
  public ModelTurn complete(
      PoolModel model, List<Map<String, Object>> messages, List<Map<String, Object>> tools)
      throws ModelRefusal {
    ModelOutcome outcome = client.complete(model, objects(messages), objects(tools), options);
    if (outcome instanceof ModelRequestRejected rejected) {
      throw new ModelRefusal("ModelRequestRejected", rejected.describe());
    }
    io.twinrouter.agent.model.ModelTurn t = (io.twinrouter.agent.model.ModelTurn) outcome;
    var u = t.usage();
    return new ModelTurn(
        map(t.message()),
        new Usage(u.inputTokens(), u.cacheReadTokens(), u.cacheWriteTokens(), u.outputTokens()),
        map(u.raw()),
        map(t.rawResponse()),
        t.startedAt(),
        t.finishedAt(),
        t.retries().size());
  }

  private static List<ObjectNode> objects(List<Map<String, Object>> maps) {
    return maps.stream().map(m -> (ObjectNode) JSON.valueToTree(m)).toList();
  }

  private static Map<String, Object> map(JsonNode node) {
    return node == null || !node.isObject() ? null : JSON.convertValue(node, MAP);
  }
}
