package io.twinrouter.agent.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.common.Json;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.RequestShape;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The body of one OpenAI-compatible {@code /chat/completions} request. */
public final class ChatRequestBody {

  private ChatRequestBody() {}

  /**
   * The model's API name, the conversation without mini's {@code extra} blocks and without the
   * assistant fields the model's provider refuses on input (with Anthropic cache marks for models
   * that want them), the tools, mini's request knobs, then the model's own {@code params} over
   * them and its {@code drop-params} removed. The caller's trees are not modified.
   */
  static ObjectNode of(PoolModel model, List<? extends JsonNode> messages,
      List<? extends JsonNode> tools, RequestOptions options) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("model", apiModel(model));
    RequestShape shape = model.request();
    List<ObjectNode> outgoing = new ArrayList<>(messages.size());
    for (JsonNode m : messages) {
      ObjectNode sent = withoutExtra(m);
      if ("assistant".equals(sent.path("role").asText())) {
        // fields a provider answers with but refuses on input (DeepSeek's reasoning_content)
        sent.remove(shape.strippedFields());
      }
      outgoing.add(sent);
    }
    if (CacheControl.ANTHROPIC.equals(model.cacheControlStyle())) {
      outgoing = CacheControl.defaultEnd(outgoing);
    }
    body.putArray("messages").addAll(outgoing);
    withOptions(body, tools, options);
    // the model's own parameters win over the defaults; dropped ones are never sent
    shape.params().forEach((k, v) -> body.set(k, Json.MAPPER.valueToTree(v)));
    body.remove(shape.dropParams());
    return body;
  }

  /**
   * The request the agent would send a model called {@code model} that is not a pool model (a
   * routing proxy's): the conversation without mini's {@code extra} blocks, the tools and the
   * request knobs, nothing of any pool model's own shape. The caller's trees are not modified.
   */
  public static ObjectNode named(String model, List<? extends JsonNode> messages,
      List<? extends JsonNode> tools, RequestOptions options) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("model", model);
    var sent = body.putArray("messages");
    messages.forEach(m -> sent.add(withoutExtra(m)));
    withOptions(body, tools, options);
    return body;
  }

  private static void withOptions(ObjectNode body, List<? extends JsonNode> tools,
      RequestOptions options) {
    if (!tools.isEmpty()) {
      body.putArray("tools").addAll(tools);
    }
    body.put("temperature", options.temperature());
    options.maxTokens().ifPresent(n -> body.put("max_tokens", n));
    options.parallelToolCalls().ifPresent(p -> {
      if (!tools.isEmpty()) {
        body.put("parallel_tool_calls", p);
      }
    });
    if (options.extraBody() != null) {
      Iterator<Map.Entry<String, JsonNode>> it = options.extraBody().fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        body.set(e.getKey(), e.getValue());
      }
    }
  }

  /** The model name a request carries: the pool model's {@code api-model}, else its id. */
  static String apiModel(PoolModel model) {
    return model.apiModel() == null || model.apiModel().isEmpty()
        ? model.modelId() : model.apiModel();
  }

  /**
   * The message as sent: every field but mini's {@code extra} bookkeeping block. A shallow copy,
   * sharing the caller's subtrees, which nothing here modifies (Anthropic cache marks are placed on
   * deep copies).
   */
  private static ObjectNode withoutExtra(JsonNode message) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    message.fields().forEachRemaining(f -> {
      if (!"extra".equals(f.getKey())) {
        out.set(f.getKey(), f.getValue());
      }
    });
    return out;
  }
}
