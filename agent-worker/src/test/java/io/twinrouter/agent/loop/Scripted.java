package io.twinrouter.agent.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinrouter.agent.model.ModelTurn;
import io.twinrouter.agent.model.ToolCall;
import io.twinrouter.agent.model.Usage;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.Tier;
import io.twinrouter.router.AvailableModel;
import io.twinrouter.router.RouterContext;
import io.twinrouter.router.RouterDecision;
import io.twinrouter.sandbox.ExecResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Scripted stand-ins for the outside world of a case (a model endpoint, a sandbox, a router):
 * test doubles of external services, each recording what it was asked.
 */
public final class Scripted {

  private static final ObjectMapper RAW = new ObjectMapper();

  private Scripted() {}

  /** A model answering from a script, one entry per call; records every request. */
  public static final class Model implements ChatModel {
    public final List<String> modelIds = Collections.synchronizedList(new ArrayList<>());
    public final List<List<JsonNode>> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<Object> script;
    private final AtomicInteger next = new AtomicInteger();

    /** Each entry is a {@link ModelTurn} or an {@link Exception} to throw. The last one repeats. */
    public Model(Object... script) {
      this.script = List.of(script);
    }

    @Override
    public ModelTurn complete(PoolModel model, List<JsonNode> messages, List<JsonNode> tools)
        throws Exception {
      modelIds.add(model.modelId());
      requests.add(messages);
      Object entry = script.get(Math.min(next.getAndIncrement(), script.size() - 1));
      if (entry instanceof Exception e) {
        throw e;
      }
      // Stamped with the model that answered and priced at its rates, as the model client does.
      ModelTurn t = (ModelTurn) entry;
      return new ModelTurn(model.modelId(), t.provider(), t.message(), t.content(), t.toolCalls(),
          t.finishReason(), t.usage(), t.usage() == null ? 0 : t.usage().costUsd(model.rates()),
          t.startedAt(), t.finishedAt(), t.latencyMs(), t.retries(), t.rawResponse());
    }
  }

  /** A sandbox answering commands by a function; records commands and whether it was closed. */
  public static final class Sandbox implements Shell, ShellOpener {
    public final List<String> commands = Collections.synchronizedList(new ArrayList<>());
    public volatile boolean closed;
    public volatile int opened;
    /** How long opening takes (a container starting). */
    public volatile long openDelayMs;
    private final Function<String, ExecResult> behaviour;

    public Sandbox(Function<String, ExecResult> behaviour) {
      this.behaviour = behaviour;
    }

    @Override
    public Shell open(CaseTask task) throws InterruptedException {
      Thread.sleep(openDelayMs);
      opened++;
      return this;
    }

    @Override
    public ExecResult exec(String command, Duration timeout) {
      commands.add(command);
      return behaviour.apply(command);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  /** A router answering from a function of the request; records every request. */
  public static final class Router implements RouteChooser {
    public final List<RouterContext> requests = Collections.synchronizedList(new ArrayList<>());
    private final Function<RouterContext, CompletionStage<RouterDecision>> behaviour;

    public Router(Function<RouterContext, CompletionStage<RouterDecision>> behaviour) {
      this.behaviour = behaviour;
    }

    public static Router always(String modelId) {
      return new Router(r -> CompletableFuture.completedFuture(decide(r, modelId, "always")));
    }

    /**
     * A decision for {@code modelId} with the tier the context gives it, as the router module's
     * routers answer; a model outside the pool gets the low tier (the case rejects it anyway).
     */
    public static RouterDecision decide(RouterContext ctx, String modelId, String rationale) {
      Tier tier = ctx.model(modelId).map(AvailableModel::tier).orElse(Tier.LOW);
      return new RouterDecision(modelId, tier, rationale, 0);
    }

    @Override
    public CompletionStage<RouterDecision> choose(RouterContext request) {
      requests.add(request);
      return behaviour.apply(request);
    }
  }

  // --- building model answers ---

  public static Map<String, Object> usage(long prompt, long cached, long completion) {
    Map<String, Object> u = new LinkedHashMap<>();
    u.put("prompt_tokens", prompt);
    u.put("completion_tokens", completion);
    u.put("prompt_tokens_details", Map.of("cached_tokens", cached));
    return u;
  }

  /** The buckets of a {@link #usage} map, as the model client would normalise them. */
  static Usage buckets(Map<String, Object> usage) {
    if (usage == null) {
      return null;
    }
    long prompt = ((Number) usage.get("prompt_tokens")).longValue();
    long cached = ((Number) ((Map<?, ?>) usage.get("prompt_tokens_details")).get("cached_tokens")).longValue();
    return new Usage(prompt - cached, cached, 0, ((Number) usage.get("completion_tokens")).longValue(),
        RAW.valueToTree(usage));
  }

  /** An assistant answer with one bash tool call per command. */
  public static ModelTurn bash(String thought, Map<String, Object> usage, String... commands) {
    List<Map<String, Object>> calls = new ArrayList<>();
    for (int i = 0; i < commands.length; i++) {
      String args = "{\"command\": " + quote(commands[i]) + "}";
      calls.add(toolCall("call_" + i, "bash", args));
    }
    return answer(thought, calls, usage);
  }

  public static Map<String, Object> toolCall(String id, String name, String arguments) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("id", id);
    c.put("type", "function");
    c.put("function", Map.of("name", name, "arguments", arguments));
    return c;
  }

  public static ModelTurn answer(String content, List<Map<String, Object>> toolCalls,
      Map<String, Object> usage) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("role", "assistant");
    m.put("content", content);
    if (!toolCalls.isEmpty()) {
      m.put("tool_calls", toolCalls);
    }
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("choices", List.of(Map.of("message", m)));
    if (usage != null) {
      response.put("usage", usage);
    }
    List<ToolCall> calls = new ArrayList<>();
    for (Map<String, Object> c : toolCalls) {
      Map<?, ?> fn = (Map<?, ?>) c.get("function");
      calls.add(new ToolCall(String.valueOf(c.get("id")), String.valueOf(fn.get("name")),
          String.valueOf(fn.get("arguments"))));
    }
    // The model is stamped when the script answers (Model#complete).
    return new ModelTurn("", "openai_compat", RAW.valueToTree(m), content, calls, "",
        buckets(usage), 0, 1000.0, 1000.25, 250, List.of(), RAW.valueToTree(response));
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
