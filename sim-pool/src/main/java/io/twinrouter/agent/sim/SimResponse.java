package io.twinrouter.agent.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.UsageFormat;
import java.util.List;

/**
 * Builds a chat-completion body from a simulated reply, with usage the way the pool's providers
 * report it through an OpenAI-compatible gateway: {@code prompt_tokens} and {@code
 * completion_tokens} counted with cl100k; {@code prompt_tokens_details.cached_tokens} for the
 * cached prefix; and, for a model whose {@code cache_control_style} is {@code anthropic} (the
 * client marks the last message, so everything after the cached prefix is written to the cache),
 * {@code prompt_tokens_details.cache_write_tokens} = the uncached rest. Other models cache
 * automatically and report no writes. Normalised as {@code openai_compat} (live-track spec 3.2)
 * these give: input = prompt - read - write, read = cached, write = as reported.
 */
final class SimResponse {
  private SimResponse() {}

  static ObjectNode build(
      PoolModel model,
      SimPolicy.Reply reply,
      int step,
      SimTask task,
      long seed,
      PromptTokens prompt,
      long cachedTokens,
      boolean omitUsage,
      UsageFormat persona) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    String id = id(seed, task, step, model.modelId());
    ObjectNode message = f.objectNode().put("role", "assistant").put("content", reply.content());
    if (persona == UsageFormat.DEEPSEEK) {
      // DeepSeek's reasoning models answer with their reasoning beside the content
      message.put("reasoning_content", "(simulated reasoning of step " + step + ")");
    }
    if (reply.hasToolCall()) {
      ObjectNode call = message.putArray("tool_calls").addObject();
      call.put("id", "call_" + id).put("type", "function");
      call.putObject("function").put("name", "bash").put("arguments", reply.rawArguments());
    }
    ObjectNode root =
        f.objectNode()
            .put("id", "chatcmpl-" + id)
            .put("object", "chat.completion")
            .put("created", System.currentTimeMillis() / 1000)
            .put("model", model.modelId())
            .put("system_fingerprint", "twinrouter-sim-" + model.tier().wireName());
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.set("message", message);
    choice.put("finish_reason", reply.hasToolCall() ? "tool_calls" : "stop");
    if (!omitUsage) {
      root.set("usage", usage(model, prompt.total(), cachedTokens, message, persona));
    }
    return root;
  }

  /**
   * The answer's id, also its tool call's: the same answer gets the same id in every process,
   * which lets the prompt cache recognise which model gave an earlier answer.
   */
  static String id(long seed, SimTask task, int step, String modelId) {
    return Draw.hex(seed + "|" + task.instanceId() + "|" + step + "|" + modelId, 24);
  }

  /** A request's prompt tokens: each message's, and the rest (reply priming, tools). */
  record PromptTokens(int[] perMessage, long overhead) {
    static PromptTokens of(List<JsonNode> messages, JsonNode tools) {
      int[] per = new int[messages.size()];
      for (int i = 0; i < per.length; i++) {
        per[i] = TokenCounter.message(messages.get(i));
      }
      return new PromptTokens(per, TokenCounter.REPLY_PRIMING + TokenCounter.tools(tools));
    }

    long total() {
      long t = overhead;
      for (int n : perMessage) {
        t += n;
      }
      return t;
    }
  }

  private static ObjectNode usage(PoolModel model, long prompt, long cached, JsonNode answer,
      UsageFormat persona) {
    long completion = TokenCounter.message(answer) - TokenCounter.PER_MESSAGE
        - TokenCounter.count("assistant");
    long write = "anthropic".equals(model.cacheControlStyle()) ? prompt - cached : 0;
    return Persona.usage(persona, prompt - cached - write, cached, write, completion,
        model.rates());
  }

}
