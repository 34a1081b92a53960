package io.twinrouter.agent.loop;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.agent.model.ModelTurn;
import io.twinrouter.common.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model turn's assistant message as the loop reads it: in the plain maps and lists its
 * conversation is made of, the form mini's parser and trajectory see. The model client's own
 * {@code content} and {@code toolCalls} normalise more (text blocks joined, missing fields as
 * empty strings); the loop keeps mini's reading of the raw message, so a malformed answer is
 * reported to the model exactly as mini reports it.
 */
final class AssistantMessage {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final TypeReference<List<Map<String, Object>>> MAPS = new TypeReference<>() {};

  private AssistantMessage() {}

  /** The message as a fresh map (the loop adds its {@code extra} block to it). */
  static Map<String, Object> asMap(ModelTurn turn) {
    return new LinkedHashMap<>(Json.MAPPER.convertValue(turn.message(), MAP));
  }

  /** {@code content} as text: a string as is, nothing as empty, anything else as Java prints it. */
  static String content(ModelTurn turn) {
    JsonNode c = turn.message().get("content");
    if (c == null || c.isNull()) {
      return "";
    }
    return c.isTextual() ? c.asText() : String.valueOf(Json.MAPPER.convertValue(c, Object.class));
  }

  /** The message's {@code tool_calls} as sent; empty when there are none. */
  static List<Map<String, Object>> toolCalls(ModelTurn turn) {
    JsonNode calls = turn.message().get("tool_calls");
    return calls != null && calls.isArray() ? Json.MAPPER.convertValue(calls, MAPS) : List.of();
  }

  /** Wall time from sending the request to the answer, as the trace has always measured it. */
  static long latencyMs(ModelTurn turn) {
    return Math.round((turn.finishedAt() - turn.startedAt()) * 1000.0);
  }
}
