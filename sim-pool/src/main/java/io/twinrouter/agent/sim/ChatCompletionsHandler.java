package io.twinrouter.agent.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.twinrouter.agent.model.MessageContent;
import io.twinrouter.agent.model.ModelPreflight;
import io.twinrouter.common.Json;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.UsageFormat;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code POST /v1/chat/completions}: the OpenAI chat-completions protocol for the pool's models.
 * The request's {@code model} selects the tier's behaviour, the conversation selects the task and
 * the step; the answer is one assistant turn with a {@code bash} tool call (or a mistake) and
 * real cl100k usage with prompt caching.
 */
final class ChatCompletionsHandler implements HttpHandler {
  private static final ObjectMapper JSON = Json.MAPPER;

  private final ModelPool pool;
  private final TaskIndex tasks;
  private final SimPolicy policy;
  private final PromptCache cache;
  private final FaultPlan faults;
  private final SimPoolOptions options;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicLong requests = new AtomicLong();

  ChatCompletionsHandler(
      ModelPool pool, TaskIndex tasks, SimPolicy policy, PromptCache cache, FaultPlan faults,
      SimPoolOptions options) {
    this.pool = pool;
    this.tasks = tasks;
    this.policy = policy;
    this.cache = cache;
    this.faults = faults;
    this.options = options;
  }

  int maxInFlight() {
    return maxInFlight.get();
  }

  long requests() {
    return requests.get();
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    requests.incrementAndGet();
    // A request stops counting as in flight before its answer's first byte leaves: once the
    // client has read the answer it may send its next request at once, and a count released
    // only after the write would see both (the endpoint limit test then read 4 of 3 under load).
    AtomicBoolean released = new AtomicBoolean();
    Runnable release = () -> {
      if (released.compareAndSet(false, true)) {
        inFlight.decrementAndGet();
      }
    };
    ex.setStreams(null, new FilterOutputStream(ex.getResponseBody()) {
      @Override
      public void write(int b) throws IOException {
        release.run();
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        release.run();
        out.write(b, off, len);
      }
    });
    try {
      serve(ex);
    } finally {
      release.run();
      ex.close();
    }
  }

  private void serve(HttpExchange ex) throws IOException {
    if (!ex.getRequestMethod().equals("POST")) {
      refuse(ex, 405, "invalid_request_error", "method_not_allowed",
          "use POST /v1/chat/completions");
      return;
    }
    if (options.requiredApiKey().isPresent() && !authorized(ex, options.requiredApiKey().get())) {
      refuse(ex, 401, "authentication_error", "invalid_api_key",
          "missing or wrong API key (send Authorization: Bearer <key>)");
      return;
    }
    byte[] body = HttpJson.readBody(ex, options.maxBodyBytes());
    if (body == null) {
      refuse(ex, 413, "invalid_request_error", "request_too_large",
          "request body exceeds " + options.maxBodyBytes() + " bytes");
      return;
    }
    JsonNode request;
    try {
      request = JSON.readTree(new String(body, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      refuse(ex, 400, "invalid_request_error", "invalid_json",
          "request body is not valid JSON: " + e.getOriginalMessage());
      return;
    }
    answer(request, null).send(ex);
  }

  /** A refusal before the request is read, in the server's persona's words. */
  private void refuse(HttpExchange ex, int status, String type, String code, String message)
      throws IOException {
    PersonaErrors.word(options.persona(), SimAnswer.error(status, type, code, message)).send(ex);
  }

  /**
   * The answer to a parsed chat-completions request, with usage in {@code persona}'s words; null
   * for the model's own persona: its {@code usage-format} when the pool names one (so one pool
   * mixes providers), else the server's. The Messages endpoint calls it with the request it
   * translated and Anthropic's persona.
   */
  SimAnswer answer(JsonNode request, UsageFormat wirePersona) {
    // refusals before the model is known are worded as the server's persona
    UsageFormat early = wirePersona != null ? wirePersona : options.persona();
    if (request == null || !request.isObject() || !request.path("model").isTextual()) {
      return PersonaErrors.word(early, SimAnswer.error(400, "invalid_request_error",
          "missing_model", "field model must be a string naming a pool model"));
    }
    if (request.path("stream").asBoolean(false)) {
      return PersonaErrors.word(early, SimAnswer.error(400, "invalid_request_error",
          "stream_unsupported",
          "the simulated pool answers whole completions only; send stream=false"));
    }
    String requested = request.get("model").asText();
    Optional<PoolModel> model =
        pool.models().stream()
            .filter(m -> m.modelId().equals(requested) || requested.equals(m.apiModel()))
            .findFirst();
    if (model.isEmpty()) {
      return PersonaErrors.word(early, SimAnswer.error(404, "invalid_request_error",
          "model_not_found",
          "The model `" + requested + "` does not exist; this pool serves " + pool.modelIds()));
    }
    UsageFormat persona = wirePersona != null ? wirePersona
        : model.get().usageFormat() != UsageFormat.AUTO ? model.get().usageFormat()
        : options.persona();
    return PersonaErrors.word(persona, play(request, model.get(), persona));
  }

  /** The answer of a known pool model, in {@code persona}'s usage words. */
  private SimAnswer play(JsonNode request, PoolModel m, UsageFormat persona) {
    JsonNode messagesNode = request.get("messages");
    if (messagesNode == null || !messagesNode.isArray() || messagesNode.isEmpty()) {
      return SimAnswer.error(400, "invalid_request_error", "missing_messages",
          "field messages must be a non-empty array");
    }
    List<JsonNode> messages = new ArrayList<>();
    messagesNode.forEach(messages::add);
    for (int i = 0; i < messages.size(); i++) {
      if (!messages.get(i).isObject() || !messages.get(i).path("role").isTextual()) {
        return SimAnswer.error(400, "invalid_request_error", "invalid_message",
            "messages[" + i + "] must be an object with a string role");
      }
    }
    if (persona == UsageFormat.DEEPSEEK
        && messages.stream().anyMatch(msg -> msg.has("reasoning_content"))) {
      // as DeepSeek's reasoning-model guide says: its own reasoning_content is refused on input
      return SimAnswer.error(400, "invalid_request_error", "invalid_request_error",
          "The reasoning_content is an intermediate result for display purposes only and will"
              + " not be included in the context for inference; remove it from your input");
    }
    Optional<FaultPlan.Fault> fault = faults.next();
    if (fault.isPresent() && fault.get().kind() == FaultPlan.Kind.STATUS) {
      return fault(fault.get());
    }
    if (fault.isPresent() && fault.get().kind() == FaultPlan.Kind.NOT_JSON) {
      return SimAnswer.NOT_JSON;
    }
    Optional<TaskScript> script = tasks.find(messages);
    if (script.isEmpty() && isPreflightProbe(messages)) {
      return SimAnswer.ok(probeAnswer(m, messages, request.get("tools")));
    }
    if (script.isEmpty()) {
      return SimAnswer.error(400, "invalid_request_error", "unknown_task",
          "no task of this pool matches the conversation: a system or user message must contain"
              + " a known problem_statement verbatim (e.g. inside <pr_description>)");
    }
    SimPolicy.Reply reply = policy.next(script.get(), m.tier(), m.modelId(), messages);
    int step = SimPolicy.turn(messages);
    simulateLatency(script.get().task().instanceId(), step, m.modelId());
    SimResponse.PromptTokens prompt = SimResponse.PromptTokens.of(messages, request.get("tools"));
    long cached = cache.cachedTokens(script.get(), m, messages, prompt.perMessage(), prompt.overhead());
    ObjectNode response =
        SimResponse.build(m, reply, step, script.get().task(),
            options.seed(), prompt, cached,
            fault.isPresent() && fault.get().kind() == FaultPlan.Kind.NO_USAGE, persona);
    if (persona == UsageFormat.LITELLM && response.has("usage")) {
      // LiteLLM's proxy states the USD it billed in a header (docs.litellm.ai, response headers)
      JsonNode u = response.get("usage");
      long read = u.path("cache_read_input_tokens").asLong();
      long write = u.path("cache_creation_input_tokens").asLong();
      return SimAnswer.ok(response).withHeader("x-litellm-response-cost",
          Double.toString(m.rates().costUsd(u.path("prompt_tokens").asLong() - read - write,
              read, write, u.path("completion_tokens").asLong())));
    }
    return SimAnswer.ok(response);
  }

  private static boolean isPreflightProbe(List<JsonNode> messages) {
    return messages.size() == 1
        // the content may come as blocks (a model with Anthropic cache marks)
        && ModelPreflight.PROBE.equals(MessageContent.text(messages.get(0).get("content")).strip());
  }

  /** What a provider answers a short prompt: "ok", with usage, nothing read from a cache. */
  private static ObjectNode probeAnswer(PoolModel m, List<JsonNode> messages, JsonNode tools) {
    long prompt = SimResponse.PromptTokens.of(messages, tools).total();
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "chatcmpl-preflight").put("object", "chat.completion").put("model", m.modelId());
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0).put("finish_reason", "stop");
    choice.putObject("message").put("role", "assistant").put("content", "ok");
    root.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", 1)
        .put("total_tokens", prompt + 1);
    return root;
  }

  /** Constant-time comparison, so response timing does not leak the key. */
  private static boolean authorized(HttpExchange ex, String key) {
    String header = ex.getRequestHeaders().getFirst("Authorization");
    return header != null
        && MessageDigest.isEqual(
            header.getBytes(StandardCharsets.UTF_8),
            ("Bearer " + key).getBytes(StandardCharsets.UTF_8));
  }

  private static SimAnswer fault(FaultPlan.Fault f) {
    // error bodies as OpenAI's error codes page words them
    SimAnswer a = switch (f.status()) {
      case 401 -> SimAnswer.error(401, "authentication_error", "invalid_api_key",
          "Incorrect API key provided (simulated: the key was revoked mid-run)");
      case 402 -> SimAnswer.error(402, "insufficient_quota", "insufficient_quota",
          "You exceeded your current quota (simulated: the credit ran out mid-run)");
      case 403 -> SimAnswer.error(403, "permission_error", "forbidden",
          "Access to this model is forbidden (simulated)");
      default -> SimAnswer.error(f.status(),
          f.status() == 429 ? "rate_limit_error" : "server_error", "injected_fault",
          "simulated provider fault (HTTP " + f.status() + ")");
    };
    Duration retryAfter = f.retryAfter();
    if (retryAfter != null) {
      long ms = retryAfter.toMillis();
      a = a.withHeader(
          "Retry-After", ms % 1000 == 0 ? Long.toString(ms / 1000) : Double.toString(ms / 1000.0));
    }
    return a;
  }

  private void simulateLatency(String instanceId, int step, String modelId) {
    long mean = options.meanLatency().toMillis();
    if (mean <= 0) {
      return;
    }
    double factor = 0.5 + Draw.uniform(options.seed(), instanceId, step, modelId, "latency");
    try {
      Thread.sleep(Math.round(mean * factor));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
