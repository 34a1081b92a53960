package io.twinrouter.agent.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.common.Json;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.UsageFormat;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads one 200 response into a turn, or into the paid response the client could not use. The
 * usage is read before the answer, so a response whose answer is broken but whose usage is sound
 * is still priced in the ledger.
 */
final class AnswerReader {

  private AnswerReader() {}

  /** A 200 read: a turn, or an unusable response the client retries. */
  sealed interface Read {}

  record Usable(ModelTurn turn) implements Read {}

  /** @param paid what the ledger keeps of it; {@code paid.cause()} is the retry's cause */
  record Unusable(UnusableResponse paid) implements Read {}

  static Read read(PoolModel model, WireCodec codec, UsageFormat configured,
      HttpResponse<String> response, Optional<String> key) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(response.body());
    } catch (JsonProcessingException e) {
      root = null;
    }
    if (!(root instanceof ObjectNode rootObject)) {
      return unknownUsage(model, "MalformedResponseError: response is not JSON");
    }
    JsonNode rawUsage = root.get("usage");
    if (rawUsage == null || rawUsage.isNull()) {
      return unknownUsage(model, "ProviderMissingUsageError: missing usage object");
    }
    UsageFormat format = UsageNormalizer.recognise(codec.usageFormat(configured), rawUsage);
    Usage usage;
    try {
      usage = UsageNormalizer.normalize(format, rawUsage);
      Double headerCost = ResponseHeaders.billedCost(response);
      if (headerCost != null) {
        usage = usage.withBilledCostUsd(headerCost);
      }
    } catch (UsageException e) {
      return unknownUsage(model,
          "MalformedResponseError: " + ModelClient.redact(e.getMessage(), key));
    }
    double cost = usage.costUsd(model.rates());
    WireCodec.Answer answer;
    try {
      answer = codec.decode(rootObject);
    } catch (WireCodec.MalformedAnswer e) {
      return new Unusable(
          new UnusableResponse(model.modelId(), "MalformedResponseError: " + e.getMessage(), usage,
              cost));
    }
    ObjectNode msg = answer.message();
    CallLedger ledger = new CallLedger(ChatRequestBody.apiModel(model),
        text(root.get("model")), text(root.get("provider")), List.of());
    return new Usable(new ModelTurn(model.modelId(), format.label(), msg,
        MessageContent.text(msg.get("content")), toolCalls(msg), answer.finishReason(), usage,
        cost, 0, 0, 0, List.of(), rootObject, ledger));
  }

  private static Read unknownUsage(PoolModel model, String cause) {
    return new Unusable(new UnusableResponse(model.modelId(), cause, null, null));
  }

  private static String text(JsonNode n) {
    return n != null && n.isTextual() ? n.asText() : null;
  }

  private static List<ToolCall> toolCalls(ObjectNode message) {
    JsonNode calls = message.get("tool_calls");
    if (!(calls instanceof ArrayNode array)) {
      return List.of();
    }
    List<ToolCall> out = new ArrayList<>();
    for (JsonNode c : array) {
      JsonNode fn = c.path("function");
      JsonNode args = fn.get("arguments");
      String arguments = args == null || args.isNull() ? ""
          : args.isTextual() ? args.asText() : args.toString();
      out.add(new ToolCall(c.path("id").asText(""), fn.path("name").asText(""), arguments));
    }
    return out;
  }
}
