package io.twinrouter.agent.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.common.Json;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.RequestShape;
import io.twinrouter.config.UsageFormat;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Anthropic's Messages API ({@code POST {base-url}/messages}), written from Anthropic's
 * documentation (sources in docs/providers.md): the system prompt goes in the top-level {@code
 * system}, not in {@code messages}; an assistant's tool calls are {@code tool_use} blocks whose
 * {@code input} is an object; tool results go back as {@code tool_result} blocks of a user turn,
 * all results of one assistant turn in the same user turn; {@code max_tokens} is required; the key
 * travels in {@code x-api-key} beside {@code anthropic-version}. The answer's {@code content}
 * blocks are read back into the loop's OpenAI-shaped message.
 *
 * <p>Cache breakpoints are placed as a coding agent places them, because Anthropic caches only up
 * to a marked block: one on the system prompt (the same for every step of a case) and one on the
 * last turn, so each step reads the previous step's prefix from the cache and writes its own.
 */
final class AnthropicMessagesCodec implements WireCodec {
  static final AnthropicMessagesCodec INSTANCE = new AnthropicMessagesCodec();
  /** The API version every request names; the Messages API refuses a request without one. */
  static final String VERSION = "2023-06-01";
  /**
   * The Messages API has no default output limit; mini's requests set none, so the client asks
   * for this many unless {@code params} or the options say otherwise.
   */
  static final int DEFAULT_MAX_TOKENS = 4096;

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private AnthropicMessagesCodec() {}

  @Override
  public String path() {
    return "/messages";
  }

  @Override
  public UsageFormat usageFormat(UsageFormat configured) {
    return configured == UsageFormat.AUTO ? UsageFormat.ANTHROPIC : configured;
  }

  @Override
  public void authenticate(HttpRequest.Builder request, Optional<String> key) {
    key.ifPresent(k -> request.header("x-api-key", k));
    request.header("anthropic-version", VERSION);
  }

  @Override
  public ObjectNode body(PoolModel model, List<? extends JsonNode> messages,
      List<? extends JsonNode> tools, RequestOptions options) {
    ObjectNode body = F.objectNode();
    body.put("model", ChatRequestBody.apiModel(model));
    body.put("max_tokens", options.maxTokens().orElse(DEFAULT_MAX_TOKENS));
    ArrayNode system = F.arrayNode();
    ArrayNode turns = F.arrayNode();
    for (JsonNode m : messages) {
      String role = m.path("role").asText();
      switch (role) {
        case "system" -> system.addAll(textBlocks(m.get("content")));
        case "assistant" -> append(turns, "assistant", assistantBlocks(m));
        case "tool" -> append(turns, "user", List.of(toolResult(m)));
        default -> append(turns, "user", textBlocks(m.get("content")));
      }
    }
    if (!system.isEmpty()) {
      markLast(system);
      body.set("system", system);
    }
    if (!turns.isEmpty()) {
      markLast((ArrayNode) turns.get(turns.size() - 1).get("content"));
    }
    body.set("messages", turns);
    if (!tools.isEmpty()) {
      ArrayNode out = body.putArray("tools");
      for (JsonNode t : tools) {
        JsonNode fn = t.path("function");
        ObjectNode tool = out.addObject().put("name", fn.path("name").asText());
        if (fn.hasNonNull("description")) {
          tool.put("description", fn.get("description").asText());
        }
        tool.set("input_schema", fn.has("parameters")
            ? fn.get("parameters") : F.objectNode().put("type", "object"));
      }
      if (options.parallelToolCalls().map(p -> !p).orElse(false)) {
        body.putObject("tool_choice").put("type", "auto").put("disable_parallel_tool_use", true);
      }
    }
    body.put("temperature", options.temperature());
    if (options.extraBody() != null) {
      Iterator<Map.Entry<String, JsonNode>> it = options.extraBody().fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        body.set(e.getKey(), e.getValue());
      }
    }
    RequestShape shape = model.request();
    shape.params().forEach((k, v) -> body.set(k, Json.MAPPER.valueToTree(v)));
    body.remove(shape.dropParams());
    return body;
  }

  @Override
  public Answer decode(ObjectNode root) throws MalformedAnswer {
    if (!(root.get("content") instanceof ArrayNode blocks)) {
      throw new MalformedAnswer("unexpected response shape (no content blocks)");
    }
    List<String> text = new ArrayList<>();
    ArrayNode calls = F.arrayNode();
    for (JsonNode b : blocks) {
      switch (b.path("type").asText()) {
        case "text" -> text.add(b.path("text").asText());
        case "tool_use" -> {
          ObjectNode call = calls.addObject().put("id", b.path("id").asText())
              .put("type", "function");
          call.putObject("function").put("name", b.path("name").asText())
              .put("arguments", b.path("input").toString());
        }
        default -> {
          // thinking blocks are billed in output_tokens but are not the agent's answer
        }
      }
    }
    ObjectNode message = F.objectNode().put("role", "assistant")
        .put("content", String.join("\n", text));
    if (!calls.isEmpty()) {
      message.set("tool_calls", calls);
    }
    return new Answer(message, finishReason(root.path("stop_reason").asText("")));
  }

  /** Anthropic's stop reasons in OpenAI's words, the loop's one vocabulary. */
  private static String finishReason(String stopReason) {
    return switch (stopReason) {
      case "end_turn", "stop_sequence" -> "stop";
      case "tool_use" -> "tool_calls";
      case "max_tokens" -> "length";
      default -> stopReason;
    };
  }

  /** Consecutive turns of one role become one turn: all tool results follow their tool uses. */
  private static void append(ArrayNode turns, String role, List<ObjectNode> blocks) {
    if (blocks.isEmpty()) {
      return;
    }
    JsonNode last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
    ArrayNode content = last != null && role.equals(last.path("role").asText())
        ? (ArrayNode) last.get("content")
        : turns.addObject().put("role", role).putArray("content");
    content.addAll(blocks);
  }

  private static List<ObjectNode> assistantBlocks(JsonNode m) {
    List<ObjectNode> out = new ArrayList<>(textBlocks(m.get("content")));
    for (JsonNode c : m.path("tool_calls")) {
      JsonNode fn = c.path("function");
      out.add(F.objectNode().put("type", "tool_use").put("id", c.path("id").asText())
          .put("name", fn.path("name").asText())
          .set("input", arguments(fn.get("arguments"))));
    }
    return out;
  }

  /** A tool call's arguments as the object {@code tool_use.input} must be. */
  private static JsonNode arguments(JsonNode args) {
    if (args == null || args.isNull()) {
      return F.objectNode();
    }
    if (args.isObject()) {
      return args;
    }
    try {
      JsonNode parsed = Json.MAPPER.readTree(args.asText());
      return parsed instanceof ObjectNode ? parsed : F.objectNode().set("value", parsed);
    } catch (JsonProcessingException notJson) {
      // the model wrote arguments that are not JSON; they are sent back as it wrote them
      return F.objectNode().put("raw_arguments", args.asText());
    }
  }

  private static ObjectNode toolResult(JsonNode m) {
    return F.objectNode().put("type", "tool_result")
        .put("tool_use_id", m.path("tool_call_id").asText())
        .put("content", MessageContent.text(m.get("content")));
  }

  /** Text blocks of an OpenAI content (mini's cache marks dropped: this codec places its own). */
  private static List<ObjectNode> textBlocks(JsonNode content) {
    String text = MessageContent.text(content);
    if (text.isEmpty()) {
      return List.of();
    }
    return List.of(F.objectNode().put("type", "text").put("text", text));
  }

  private static void markLast(ArrayNode blocks) {
    if (!blocks.isEmpty()) {
      ((ObjectNode) blocks.get(blocks.size() - 1)).putObject("cache_control")
          .put("type", "ephemeral");
    }
  }
}
