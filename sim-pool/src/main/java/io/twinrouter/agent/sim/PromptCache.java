package io.twinrouter.agent.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.agent.model.MessageContent;
import io.twinrouter.config.PoolModel;
import java.time.Duration;
import java.util.List;

/**
 * The simulated providers' prompt cache, read off the request itself rather than kept in memory.
 *
 * <p>A real provider's cache lives on the provider: a client that crashes and resumes its
 * conversation within the TTL still reads the prefix it sent before. A simulated pool started by
 * the run dies with the run, so an in-memory cache would bill the first call of every resumed case
 * at full price. Instead, the pool recognises its own earlier answers in the conversation (their
 * tool-call ids are a hash of seed, task, turn and model; an answer without a tool call is
 * recomputed), so it knows which model answered at which turn. The requested model's cache holds
 * the prompt of its latest answer that the conversation kept, if that is no older than the TTL.
 *
 * <p>Time is the conversation's own, not the wall clock: each turn lasts the pool's mean latency
 * plus {@link #ACTION_TIME} for running the action. A request's usage is so a pure function of the
 * request, the same in every process, under any load, and before and after a crash. Deviations
 * from a real provider, chosen for reproducible bills: a resume after a pause longer than the TTL
 * still reads the cache; a call whose answer the client dropped (a format error) leaves nothing
 * behind; prefixes are not shared across conversations.
 */
final class PromptCache {
  /** Simulated time between a model's answer and the next request, besides the answer itself. */
  static final Duration ACTION_TIME = Duration.ofSeconds(1);

  private final long seed;
  private final SimPolicy policy;
  private final long ttlMillis;
  private final long turnMillis;

  PromptCache(long seed, SimPolicy policy, Duration ttl, Duration meanLatency) {
    this.seed = seed;
    this.policy = policy;
    this.ttlMillis = ttl.toMillis();
    this.turnMillis = meanLatency.toMillis() + ACTION_TIME.toMillis();
  }

  /**
   * How many prompt tokens of this request the model's cache holds.
   *
   * @param messageTokens each message's token count, in order
   * @param overheadTokens the prompt tokens outside the messages (reply priming, tools)
   */
  long cachedTokens(
      TaskScript script, PoolModel model, List<JsonNode> messages, int[] messageTokens,
      long overheadTokens) {
    int n = messages.size();
    int[] turnAt = new int[n + 1]; // SimPolicy.turn of messages[0, i)
    int assistants = 0;
    int users = 0;
    for (int i = 0; i < n; i++) {
      turnAt[i] = assistants + Math.max(0, users - 1);
      String role = messages.get(i).path("role").asText();
      if ("assistant".equals(role)) {
        assistants++;
      } else if ("user".equals(role)) {
        users++;
      }
    }
    turnAt[n] = assistants + Math.max(0, users - 1);
    for (int i = n - 1; i >= 0; i--) {
      if (!"assistant".equals(messages.get(i).path("role").asText())
          || !answeredBy(script, model, messages, i, turnAt[i])) {
        continue;
      }
      if ((long) (turnAt[n] - turnAt[i]) * turnMillis > ttlMillis) {
        return 0; // its latest answer has expired, and every earlier one with it
      }
      long cached = overheadTokens;
      for (int k = 0; k < i; k++) {
        cached += messageTokens[k];
      }
      return cached;
    }
    return 0;
  }

  /** True when the assistant message at {@code i} is this pool's answer by {@code model}. */
  private boolean answeredBy(
      TaskScript script, PoolModel model, List<JsonNode> messages, int i, int turn) {
    JsonNode answer = messages.get(i);
    JsonNode calls = answer.path("tool_calls");
    if (calls.isArray() && !calls.isEmpty()) {
      String expected = "call_" + SimResponse.id(seed, script.task(), turn, model.modelId());
      return expected.equals(calls.get(0).path("id").asText());
    }
    // No id to read: the answer this model gives to that prefix must be this very text.
    SimPolicy.Reply reply =
        policy.next(script, model.tier(), model.modelId(), messages.subList(0, i));
    return !reply.hasToolCall()
        && reply.content().equals(MessageContent.text(answer.get("content")));
  }
}
