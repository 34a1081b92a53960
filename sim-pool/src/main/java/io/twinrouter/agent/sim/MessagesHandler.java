package io.twinrouter.agent.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.twinrouter.agent.model.MessageContent;
import io.twinrouter.common.Json;
import io.twinrouter.config.UsageFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /v1/messages}: the simulated pool behind Anthropic's Messages API, so the model
 * client's second wire format is tested offline against a server that refuses what Anthropic
 * refuses. Written from Anthropic's documentation (the pages are cited in docs/providers.md:
 * "Using the Messages API", the Messages API reference, "Prompt caching", "Errors"):
 *
 * <ul>
 *   <li>the key comes in {@code x-api-key} and every request names an {@code anthropic-version};
 *   <li>{@code max_tokens} is required; the system prompt is the top-level {@code system}, and a
 *       {@code system} role inside {@code messages} is refused;
 *   <li>an assistant's {@code tool_use} blocks carry an object {@code input}; each must be
 *       answered by a {@code tool_result} block in the next user turn, and a result must answer
 *       a tool use of the turn before;
 *   <li>at most 4 blocks carry {@code cache_control};
 *   <li>an answer is {@code {"type": "message", "content": [text and tool_use blocks],
 *       "stop_reason", "usage"}} with Anthropic's usage ({@code input_tokens} without the cache
 *       reads and writes; writes split in {@code cache_creation} by TTL: 1 hour when a block asked
 *       for {@code "ttl": "1h"}, else 5 minutes);
 *   <li>an error is {@code {"type": "error", "error": {"type", "message"}}} with Anthropic's error
 *       types, and a {@code request-id} header.
 * </ul>
 *
 * The request is translated into the chat-completions conversation the pool's policy plays, so a
 * seed gives the same agent under both APIs.
 */
final class MessagesHandler implements HttpHandler {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final int MAX_CACHE_BREAKPOINTS = 4;

  private final ChatCompletionsHandler chat;
  private final SimPoolOptions options;

  MessagesHandler(ChatCompletionsHandler chat, SimPoolOptions options) {
    this.chat = chat;
    this.options = options;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try {
      SimAnswer answer = serve(ex);
      PersonaErrors.word(UsageFormat.ANTHROPIC, answer).withHeader("request-id", "req_sim_" + Long.toHexString(System.nanoTime()))
          .send(ex);
    } finally {
      ex.close();
    }
  }

  private SimAnswer serve(HttpExchange ex) throws IOException {
    if (!ex.getRequestMethod().equals("POST")) {
      return invalid(405, "use POST /v1/messages");
    }
    String key = ex.getRequestHeaders().getFirst("x-api-key");
    if (options.requiredApiKey().isPresent() && (key == null || !MessageDigest.isEqual(
        key.getBytes(StandardCharsets.UTF_8),
        options.requiredApiKey().get().getBytes(StandardCharsets.UTF_8)))) {
      return SimAnswer.error(401, "authentication_error", "authentication_error",
          "invalid x-api-key");
    }
    if (ex.getRequestHeaders().getFirst("anthropic-version") == null) {
      return invalid(400, "anthropic-version: header is required");
    }
    byte[] body = HttpJson.readBody(ex, options.maxBodyBytes());
    if (body == null) {
      return SimAnswer.error(413, "request_too_large", "request_too_large",
          "Request exceeds the maximum allowed number of bytes.");
    }
    JsonNode request;
    try {
      request = Json.MAPPER.readTree(new String(body, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      return invalid(400, "request body is not valid JSON: " + e.getOriginalMessage());
    }
    if (request == null || !request.isObject()) {
      return invalid(400, "request body must be a JSON object");
    }
    if (!request.path("max_tokens").canConvertToInt() || request.path("max_tokens").asInt() < 1) {
      return invalid(400, "max_tokens: Field required");
    }
    ObjectNode translated = F.objectNode();
    translated.set("model", request.get("model"));
    ArrayNode messages = translated.putArray("messages");
    String refused = translate(request, messages);
    if (refused != null) {
      return invalid(400, refused);
    }
    if (request.path("tools").isArray()) {
      ArrayNode tools = translated.putArray("tools");
      for (JsonNode t : request.get("tools")) {
        if (!t.path("input_schema").isObject()) {
          return invalid(400, "tools." + t.path("name").asText() + ".input_schema: Field required");
        }
        ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
        fn.put("name", t.path("name").asText()).set("parameters", t.get("input_schema"));
        if (t.has("description")) {
          fn.set("description", t.get("description"));
        }
      }
    }
    SimAnswer answer = chat.answer(translated, UsageFormat.ANTHROPIC);
    return answer.status() == 200 && answer.body() != null
        ? SimAnswer.ok(message(answer.body(), asksForOneHour(request)))
        : answer;
  }

  /**
   * The chat-completions conversation of an Anthropic request; the reason Anthropic would refuse
   * it, or null.
   */
  private static String translate(JsonNode request, ArrayNode out) {
    int breakpoints = 0;
    JsonNode system = request.get("system");
    if (system != null && !system.isNull()) {
      breakpoints += marks(system);
      out.addObject().put("role", "system").put("content", MessageContent.text(system));
    }
    JsonNode turns = request.get("messages");
    if (turns == null || !turns.isArray() || turns.isEmpty()) {
      return "messages: at least one message is required";
    }
    Set<String> openToolUses = new HashSet<>();
    for (int i = 0; i < turns.size(); i++) {
      JsonNode turn = turns.get(i);
      String role = turn.path("role").asText();
      if (!role.equals("user") && !role.equals("assistant")) {
        return "messages." + i + ".role: Input should be 'user' or 'assistant' (the system"
            + " prompt goes in the top-level system parameter)";
      }
      if (i == 0 && !role.equals("user")) {
        return "messages: the first message must use the \"user\" role";
      }
      JsonNode content = turn.get("content");
      breakpoints += marks(content);
      List<JsonNode> blocks = new ArrayList<>();
      if (content != null && content.isTextual()) {
        blocks.add(F.objectNode().put("type", "text").put("text", content.asText()));
      } else if (content != null && content.isArray()) {
        content.forEach(blocks::add);
      } else {
        return "messages." + i + ".content: Field required";
      }
      String problem = role.equals("assistant")
          ? assistant(i, blocks, out, openToolUses) : user(i, blocks, out, openToolUses);
      if (problem != null) {
        return problem;
      }
    }
    if (breakpoints > MAX_CACHE_BREAKPOINTS) {
      return "A maximum of " + MAX_CACHE_BREAKPOINTS + " blocks with cache_control may be"
          + " provided. Found " + breakpoints + ".";
    }
    return null;
  }

  private static String assistant(int i, List<JsonNode> blocks, ArrayNode out,
      Set<String> openToolUses) {
    if (!openToolUses.isEmpty()) {
      return "messages." + i + ": tool_use ids were found without tool_result blocks"
          + " immediately after: " + openToolUses;
    }
    ObjectNode m = out.addObject().put("role", "assistant");
    List<String> text = new ArrayList<>();
    ArrayNode calls = F.arrayNode();
    for (JsonNode b : blocks) {
      if (b.path("type").asText().equals("text")) {
        text.add(b.path("text").asText());
      } else if (b.path("type").asText().equals("tool_use")) {
        if (!b.path("input").isObject()) {
          return "messages." + i + ".content: tool_use.input: Input should be a valid dictionary";
        }
        openToolUses.add(b.path("id").asText());
        ObjectNode call = calls.addObject().put("id", b.path("id").asText()).put("type", "function");
        call.putObject("function").put("name", b.path("name").asText())
            .put("arguments", b.get("input").toString());
      }
    }
    m.put("content", String.join("\n", text));
    if (!calls.isEmpty()) {
      m.set("tool_calls", calls);
    }
    return null;
  }

  private static String user(int i, List<JsonNode> blocks, ArrayNode out,
      Set<String> openToolUses) {
    List<String> text = new ArrayList<>();
    for (JsonNode b : blocks) {
      String type = b.path("type").asText();
      if (type.equals("tool_result")) {
        String id = b.path("tool_use_id").asText();
        if (!openToolUses.remove(id)) {
          return "messages." + i + ".content: unexpected `tool_use_id` found in `tool_result`"
              + " blocks: " + id + ". Each `tool_result` block must have a corresponding"
              + " `tool_use` block in the previous message.";
        }
        out.addObject().put("role", "tool").put("tool_call_id", id)
            .put("content", MessageContent.text(b.get("content")));
      } else if (type.equals("text")) {
        text.add(b.path("text").asText());
      }
    }
    if (!openToolUses.isEmpty()) {
      return "messages." + i + ": tool_use ids were found without tool_result blocks"
          + " immediately after: " + openToolUses;
    }
    if (!text.isEmpty()) {
      out.addObject().put("role", "user").put("content", String.join("\n", text));
    }
    return null;
  }

  /** The blocks of a content or system value that carry a cache breakpoint. */
  private static int marks(JsonNode content) {
    int n = 0;
    if (content != null && content.isArray()) {
      for (JsonNode b : content) {
        n += b.has("cache_control") ? 1 : 0;
      }
    }
    return n;
  }

  private static boolean asksForOneHour(JsonNode request) {
    List<JsonNode> blocks = new ArrayList<>();
    request.path("system").forEach(blocks::add);
    request.path("messages").forEach(t -> t.path("content").forEach(blocks::add));
    return blocks.stream().anyMatch(b -> "1h".equals(b.path("cache_control").path("ttl").asText()));
  }

  /** A chat completion rewritten as Anthropic's message object. */
  private static ObjectNode message(ObjectNode completion, boolean oneHour) {
    JsonNode m = completion.path("choices").path(0).path("message");
    ObjectNode out = F.objectNode()
        .put("id", "msg_" + completion.path("id").asText().replace("chatcmpl-", ""))
        .put("type", "message").put("role", "assistant");
    out.set("model", completion.get("model"));
    ArrayNode content = out.putArray("content");
    String text = m.path("content").asText("");
    if (!text.isEmpty()) {
      content.addObject().put("type", "text").put("text", text);
    }
    for (JsonNode c : m.path("tool_calls")) {
      JsonNode input;
      try {
        input = Json.MAPPER.readTree(c.path("function").path("arguments").asText());
      } catch (JsonProcessingException e) {
        input = null;
      }
      content.addObject().put("type", "tool_use").put("id", c.path("id").asText())
          .put("name", c.path("function").path("name").asText())
          // Anthropic's input is always an object: a policy's malformed arguments arrive as an
          // object without the command, which the agent reads as the same format error
          .set("input", input instanceof ObjectNode ? input
              : F.objectNode().put("unparsed", c.path("function").path("arguments").asText()));
    }
    out.put("stop_reason", m.has("tool_calls") ? "tool_use" : "end_turn");
    out.putNull("stop_sequence");
    JsonNode usage = completion.get("usage");
    if (usage != null) {
      out.set("usage", anthropicUsage(usage, oneHour));
    }
    return out;
  }

  /**
   * Anthropic's usage object; the preflight probe's answer comes in OpenAI's fields and is
   * reworded.
   */
  private static ObjectNode anthropicUsage(JsonNode u, boolean oneHour) {
    long input = u.has("input_tokens") ? u.path("input_tokens").asLong()
        : u.path("prompt_tokens").asLong();
    long output = u.has("output_tokens") ? u.path("output_tokens").asLong()
        : u.path("completion_tokens").asLong();
    long write = u.path("cache_creation_input_tokens").asLong();
    ObjectNode out = F.objectNode().put("input_tokens", input)
        .put("cache_creation_input_tokens", write)
        .put("cache_read_input_tokens", u.path("cache_read_input_tokens").asLong());
    out.putObject("cache_creation")
        .put("ephemeral_5m_input_tokens", oneHour ? 0 : write)
        .put("ephemeral_1h_input_tokens", oneHour ? write : 0);
    out.put("output_tokens", output);
    return out;
  }

  private static SimAnswer invalid(int status, String message) {
    return SimAnswer.error(status, "invalid_request_error", "invalid_request_error", message);
  }
}
