package io.twinrouter.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.twinrouter.agent.model.serve.LoopbackHttp;
import com.sun.net.httpserver.HttpHandler;
import io.twinrouter.agent.model.ModelOutcome;
import io.twinrouter.agent.model.ModelRequestRejected;
import io.twinrouter.agent.model.ModelSetupException;
import io.twinrouter.agent.model.ModelTurn;
import io.twinrouter.agent.model.ModelUnavailableException;
import io.twinrouter.agent.model.RequestOptions;
import io.twinrouter.common.Json;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.PoolModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code POST /v1/chat/completions}: finds the pool model the proxy named, the step its marker
 * names, calls the upstream and records the call before answering, so that by the time the proxy
 * has its answer the step's record holds the call. Every refusal is a 4xx with an OpenAI-shaped
 * JSON body ({@code {"error": {"message", "type", "code"}}}), which proxies pass on.
 */
final class ChatForwarding implements HttpHandler {

  /** Request fields the gateway reads itself; every other field is forwarded as it came. */
  private static final Set<String> READ = Set.of("model", "messages", "tools", "temperature",
      "max_tokens", "parallel_tool_calls", "stream");

  private final ModelPool pool;
  private final Upstream upstream;
  private final MeteredCalls ledger;
  private final int maxBodyBytes;

  ChatForwarding(ModelPool pool, Upstream upstream, MeteredCalls ledger, int maxBodyBytes) {
    this.pool = pool;
    this.upstream = upstream;
    this.ledger = ledger;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    long arrived = System.nanoTime();
    try {
      if (!"POST".equals(ex.getRequestMethod())) {
        error(ex, 405, "invalid_request_error", "method_not_allowed",
            "use POST on /v1/chat/completions");
        return;
      }
      ObjectNode body = readBody(ex);
      if (body == null) {
        return;
      }
      String requested = body.path("model").asText("");
      Optional<PoolModel> model = GatewayModels.find(pool, requested);
      if (model.isEmpty()) {
        error(ex, 404, "invalid_request_error", "model_not_found", "model '" + requested
            + "' is not in the pool; the gateway serves " + GatewayModels.names(pool));
        return;
      }
      if (body.path("stream").asBoolean(false)) {
        error(ex, 400, "invalid_request_error", "stream_not_supported",
            "the gateway meters whole answers: send stream=false");
        return;
      }
      if (!(body.get("messages") instanceof ArrayNode messages) || messages.isEmpty()) {
        error(ex, 400, "invalid_request_error", "invalid_messages",
            "field 'messages': a non-empty array is required");
        return;
      }
      String token = StepMarker.take(messages);
      MeteredCalls.OpenStep step = token == null ? null : ledger.find(token).orElse(null);
      if (step == null && refusedUnattributed(ex, token)) {
        return;
      }
      forward(ex, body, model.get(), requested, messages, step, arrived);
    } finally {
      ex.close();
    }
  }

  private void forward(HttpExchange ex, ObjectNode body, PoolModel model, String requested,
      ArrayNode messages, MeteredCalls.OpenStep step, long arrived) throws IOException {
    List<JsonNode> msgs = new ArrayList<>(messages.size());
    messages.forEach(msgs::add);
    List<JsonNode> tools = new ArrayList<>();
    body.path("tools").forEach(tools::add);
    ModelOutcome outcome = null;
    RuntimeException failure = null;
    try {
      outcome = upstream.call(model, msgs, tools, options(body));
    } catch (ModelUnavailableException | ModelSetupException e) {
      failure = e;
    }
    String caseId = step == null ? null : step.caseId;
    int stepIndex = step == null ? -1 : step.stepIndex;
    ledger.record(step, new GatewayCall(caseId, stepIndex, requested, model.modelId(), outcome,
        failure, System.nanoTime() - arrived));
    if (outcome instanceof ModelTurn turn) {
      send(ex, 200, turn.rawResponse().toString());
    } else if (outcome instanceof ModelRequestRejected r) {
      error(ex, r.httpStatus(), "invalid_request_error", "upstream_rejected", r.detail());
    } else if (failure instanceof ModelSetupException s) {
      error(ex, s.httpStatus(), "invalid_request_error", "upstream_setup", s.getMessage());
    } else {
      error(ex, 502, "api_error", "upstream_unavailable",
          failure == null ? "no answer" : failure.getMessage());
    }
  }

  /** Inside a run a call must name a waiting step; on its own the gateway forwards any call. */
  private boolean refusedUnattributed(HttpExchange ex, String token) throws IOException {
    if (token != null) {
      error(ex, 409, "invalid_request_error", "step_closed", "the step marker names no waiting"
          + " step (its proxy has answered already, or the marker was never issued)");
      return true;
    }
    if (ledger.attribution() == MeteredCalls.Attribution.REQUIRED) {
      error(ex, 400, "invalid_request_error", "no_step_marker", "no twinrouter step marker in"
          + " the messages: a routing proxy must forward the agent's messages with their content"
          + " (docs/router-protocol.md, \"Routing proxies\")");
      return true;
    }
    return false;
  }

  /** The request's own knobs; the pool model's {@code params} still apply over them. */
  private static RequestOptions options(ObjectNode body) {
    double temperature = body.path("temperature").isNumber()
        ? body.get("temperature").asDouble() : 0.0;
    OptionalInt maxTokens = body.path("max_tokens").canConvertToInt()
        && body.path("max_tokens").isIntegralNumber()
        ? OptionalInt.of(body.get("max_tokens").asInt()) : OptionalInt.empty();
    Optional<Boolean> parallel = body.path("parallel_tool_calls").isBoolean()
        ? Optional.of(body.get("parallel_tool_calls").asBoolean()) : Optional.empty();
    ObjectNode extra = JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (!READ.contains(f.getKey())) {
        extra.set(f.getKey(), f.getValue());
      }
    }
    return new RequestOptions(temperature, maxTokens, parallel, extra.isEmpty() ? null : extra,
        Map.of());
  }

  private ObjectNode readBody(HttpExchange ex) throws IOException {
    byte[] bytes = LoopbackHttp.readBody(ex, maxBodyBytes);
    if (bytes == null) {
      error(ex, 413, "invalid_request_error", "body_too_large",
          "the request body exceeds " + maxBodyBytes + " bytes");
      return null;
    }
    try {
      JsonNode root = Json.MAPPER.readTree(bytes);
      if (root instanceof ObjectNode o) {
        return o;
      }
      error(ex, 400, "invalid_request_error", "invalid_json", "the body must be a JSON object");
    } catch (JsonProcessingException e) {
      error(ex, 400, "invalid_request_error", "invalid_json",
          "the body is not JSON: " + e.getOriginalMessage());
    }
    return null;
  }

  static void send(HttpExchange ex, int status, String body) throws IOException {
    LoopbackHttp.sendJson(ex, status, body);
  }

  static void error(HttpExchange ex, int status, String type, String code, String message)
      throws IOException {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.putObject("error").put("message", message).put("type", type).put("code", code);
    send(ex, status, root.toString());
  }
}
