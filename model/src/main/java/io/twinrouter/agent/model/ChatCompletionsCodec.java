package io.twinrouter.agent.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.config.PoolModel;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Optional;

/** OpenAI's chat completions: the protocol of OpenAI, vLLM, LiteLLM, OpenRouter, the sim pool. */
final class ChatCompletionsCodec implements WireCodec {
  static final ChatCompletionsCodec INSTANCE = new ChatCompletionsCodec();

  private ChatCompletionsCodec() {}

  @Override
  public String path() {
    return "/chat/completions";
  }

  @Override
  public ObjectNode body(PoolModel model, List<? extends JsonNode> messages,
      List<? extends JsonNode> tools, RequestOptions options) {
    return ChatRequestBody.of(model, messages, tools, options);
  }

  @Override
  public void authenticate(HttpRequest.Builder request, Optional<String> key) {
    key.ifPresent(k -> request.header("Authorization", "Bearer " + k));
  }

  @Override
  public Answer decode(ObjectNode root) throws MalformedAnswer {
    JsonNode choice = root.path("choices").path(0);
    if (!(choice.get("message") instanceof ObjectNode message)) {
      throw new MalformedAnswer("unexpected response shape (no choices[0].message)");
    }
    return new Answer(message, choice.path("finish_reason").asText(""));
  }
}
