package io.twinrouter.agent.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.UsageFormat;
import io.twinrouter.config.WireApi;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Optional;

/**
 * One model API's wire format: where a request goes, how it is written and authenticated, and how
 * its answer is read back into the loop's one assistant-message shape (OpenAI's: {@code content}
 * and {@code tool_calls}), so nothing past the model client knows which API answered.
 */
interface WireCodec {

  static WireCodec of(WireApi api) {
    return switch (api) {
      case OPENAI_CHAT -> ChatCompletionsCodec.INSTANCE;
      case ANTHROPIC_MESSAGES -> AnthropicMessagesCodec.INSTANCE;
    };
  }

  /** Appended to the model's base URL. */
  String path();

  /** The request body; the caller's trees are not modified. */
  ObjectNode body(PoolModel model, List<? extends JsonNode> messages,
      List<? extends JsonNode> tools, RequestOptions options);

  /** Adds the key's header(s). The key is never logged. */
  void authenticate(HttpRequest.Builder request, Optional<String> key);

  /**
   * The answer of a 200 response.
   *
   * @throws MalformedAnswer when the body has no answer the loop can use
   */
  Answer decode(ObjectNode root) throws MalformedAnswer;

  /**
   * The usage format of its answers: {@code configured} (the model's own, else the run-wide
   * fallback) unless the API itself fixes the shape.
   */
  default UsageFormat usageFormat(UsageFormat configured) {
    return configured;
  }

  /** The answer: the assistant message in OpenAI's shape and its finish reason. */
  record Answer(ObjectNode message, String finishReason) {}

  /** A 200 whose body holds no usable answer (the provider may still have billed it). */
  final class MalformedAnswer extends Exception {
    MalformedAnswer(String message) {
      super(message, null, false, false);
    }
  }
}
