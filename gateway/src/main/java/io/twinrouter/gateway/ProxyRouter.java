package io.twinrouter.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.agent.model.ChatRequestBody;
import io.twinrouter.agent.model.MessageContent;
import io.twinrouter.agent.model.ModelTurn;
import io.twinrouter.agent.model.RequestOptions;
import io.twinrouter.common.Failures;
import io.twinrouter.common.Json;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.PoolModel;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterContext;
import io.twinrouter.router.RouterDecision;
import io.twinrouter.router.RouterException;
import io.twinrouter.router.RouterException.Kind;
import io.twinrouter.router.Track;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * {@code --router proxy:URL}: a routing proxy as deployed (an OpenAI-compatible server that picks
 * a model and calls it upstream), evaluated through the {@link MeteringGateway} it is pointed at.
 * Each decision sends the step's chat request to the proxy, with the step's marker ({@link
 * StepMarker}); the model the proxy chose is the one whose answer, metered by the gateway, the
 * proxy passed back. The decision time is the proxy's own: its whole answer time less the time
 * its upstream calls spent at the gateway.
 *
 * <p>Live track: the step's outcome ({@link ProxiedStep}) waits for the agent's model call,
 * which {@link #take}s it instead of calling a model: the router's decision and the step's turn
 * come from the same record. Static track: the gateway answers with a canned completion and only
 * the decision counts.
 */
public final class ProxyRouter implements Router {

  /** The router-name prefix: {@code proxy:http://127.0.0.1:4000/v1}. */
  public static final String PREFIX = "proxy:";

  private final URI endpoint;
  private final String proxyModel;
  private final MeteredCalls ledger;
  private final ModelPool pool;
  private final Duration timeout;
  private final String label;
  private final HttpClient http;
  /**
   * Live steps answered and not yet taken, keyed by the identity of the last message tree of the
   * step's conversation: the case's loop hands the model call the very trees it gave the router,
   * one conversation per case, so the key is the step's own and costs no hashing.
   */
  private final Map<JsonNode, ProxiedStep> answered =
      Collections.synchronizedMap(new IdentityHashMap<>());

  public ProxyRouter(String name, String proxyModel, MeteredCalls ledger, ModelPool pool,
      Duration timeout, String label) {
    this.endpoint = endpoint(name);
    if (proxyModel == null || proxyModel.isBlank()) {
      throw new IllegalArgumentException("--router " + name + ": give --proxy-model NAME, the"
          + " model name the proxy expects");
    }
    this.proxyModel = proxyModel;
    this.ledger = ledger;
    this.pool = pool;
    this.timeout = timeout;
    this.label = label == null ? defaultLabel(name) : label;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout
            : Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  public static boolean isProxy(String routerName) {
    return routerName != null && routerName.strip().startsWith(PREFIX);
  }

  /** {@code proxy-PORT}, the label of a proxy router not named otherwise. */
  public static String defaultLabel(String name) {
    URI uri = endpoint(name);
    int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    return "proxy-" + port;
  }

  /** The proxy's chat-completions URL: the base URL given after {@code proxy:} plus the path. */
  public static URI endpoint(String name) {
    String url = name.strip().substring(PREFIX.length()).strip();
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--router " + name + ": not a URL: " + e.getMessage(), e);
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new IllegalArgumentException("--router " + name + ": give the proxy's OpenAI base"
          + " URL, e.g. proxy:http://127.0.0.1:6060/v1");
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
    return path.endsWith("/chat/completions") ? uri : uri.resolve(path + "/chat/completions");
  }

  @Override
  public boolean callsModels() {
    return true; // the proxy's answer is the step's model call, metered by the gateway
  }

  @Override
  public String name() {
    return label;
  }

  @Override
  public RouterDecision select(RouterContext ctx) throws RouterException {
    try {
      return selectAsync(ctx, Runnable::run).toCompletableFuture().join();
    } catch (CompletionException e) {
      throw Router.unwrap(e);
    }
  }

  @Override
  public CompletionStage<RouterDecision> selectAsync(RouterContext ctx, Executor executor) {
    String caseId = ctx.track() == Track.STATIC ? ctx.rowId() : ctx.instanceId();
    String token = ledger.open(caseId, ctx.stepIndex());
    ObjectNode body = ChatRequestBody.named(proxyModel, ctx.messages(), ctx.tools(),
        RequestOptions.miniDefaults());
    try {
      StepMarker.place((ArrayNode) body.get("messages"), token);
    } catch (IllegalArgumentException e) {
      ledger.close(token);
      return CompletableFuture.failedFuture(new RouterException(Kind.UNSUPPORTED,
          "proxy " + endpoint + ": " + e.getMessage()));
    }
    HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
        .header("Content-Type", "application/json").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
        .build();
    long sent = System.nanoTime();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
        .handle((response, error) -> {
          List<GatewayCall> calls = ledger.close(token);
          try {
            return conclude(ctx, response, error, calls, System.nanoTime() - sent);
          } catch (RouterException e) {
            throw new CompletionException(e);
          }
        });
  }

  /**
   * The outcome a live step's router call left for the step's model call; null when there is
   * none (the decision failed or timed out).
   */
  public ProxiedStep take(JsonNode lastMessage) {
    return answered.remove(lastMessage);
  }

  private RouterDecision conclude(RouterContext ctx, HttpResponse<String> response,
      Throwable error, List<GatewayCall> calls, long elapsedNanos) throws RouterException {
    if (error != null) {
      Throwable cause = Failures.cause(error);
      if (cause instanceof HttpTimeoutException) {
        throw new RouterException(Kind.TIMEOUT, "proxy " + endpoint + " did not answer within "
            + timeout.toMillis() / 1000.0 + " s");
      }
      throw new RouterException(Kind.TRANSPORT, "cannot reach proxy " + endpoint + ": "
          + cause.getClass().getSimpleName() + ": " + cause.getMessage(), null, cause);
    }
    int status = response.statusCode();
    if (calls.isEmpty()) {
      throw new RouterException(Kind.NOT_IN_POOL, "proxy " + endpoint + " answered (HTTP "
          + status + ") without calling any pool model through the gateway: its answer did not"
          + " come through the gateway and is not metered", response.body(), null);
    }
    long upstreamNanos = calls.stream().mapToLong(GatewayCall::gatewayNanos).sum();
    long ownNanos = Math.max(0, elapsedNanos - upstreamNanos);
    if (status / 100 != 2) {
      GatewayCall last = calls.get(calls.size() - 1);
      if (last.turn() == null && ctx.track() == Track.LIVE) {
        // the model failed, not the proxy: the step's model call fails as a direct one would
        answered.put(lastMessage(ctx), new ProxiedStep(last.outcome(), last.failure()));
        return decision(last, calls, ownNanos);
      }
      throw new RouterException(Kind.HTTP_STATUS, "proxy " + endpoint + " answered HTTP "
          + status, response.body(), null, status);
    }
    JsonNode message = answerMessage(response.body());
    GatewayCall answering = null;
    for (GatewayCall c : calls) {
      if (c.turn() != null && sameAnswer(c.turn().message(), message)) {
        answering = c;
      }
    }
    if (answering == null) {
      throw new RouterException(Kind.NOT_IN_POOL, "proxy " + endpoint + ": its answer is none of"
          + " the " + calls.size() + " answer(s) the gateway gave it ("
          + calls.stream().map(GatewayCall::modelId).toList() + "): it did not come through the"
          + " gateway", response.body(), null);
    }
    if (ctx.track() == Track.LIVE) {
      List<ModelTurn> others = new ArrayList<>();
      for (GatewayCall c : calls) {
        if (c != answering && c.turn() != null) {
          others.add(c.turn());
        }
      }
      answered.put(lastMessage(ctx),
          new ProxiedStep(answering.turn().withOtherCalls(others), null));
    }
    return decision(answering, calls, ownNanos);
  }

  private RouterDecision decision(GatewayCall answering, List<GatewayCall> calls, long ownNanos) {
    PoolModel model = pool.byId(answering.modelId()).orElseThrow();
    String rationale = "proxy " + endpoint + " answered with " + model.modelId()
        + (calls.size() > 1 ? " after " + calls.size() + " upstream calls "
            + calls.stream().map(GatewayCall::modelId).toList() : "");
    return new RouterDecision(model.modelId(), model.tier(), rationale, ownNanos);
  }

  private JsonNode answerMessage(String body) throws RouterException {
    try {
      JsonNode message = Json.MAPPER.readTree(body).path("choices").path(0).path("message");
      if (message.isObject()) {
        return message;
      }
    } catch (Exception e) {
      // reported below
    }
    throw new RouterException(Kind.MALFORMED, "proxy " + endpoint + ": the answer is not a chat"
        + " completion (no choices[0].message)", body, null);
  }

  /** The same text and the same tool calls: proxies may re-encode an answer, not change it. */
  static boolean sameAnswer(JsonNode a, JsonNode b) {
    return text(a.get("content")).equals(text(b.get("content")))
        && toolCalls(a).equals(toolCalls(b));
  }

  private static String text(JsonNode content) {
    return content == null || content.isNull() ? ""
        : MessageContent.text(content);
  }

  private static List<String> toolCalls(JsonNode message) {
    List<String> out = new ArrayList<>();
    for (JsonNode c : message.path("tool_calls")) {
      JsonNode args = c.path("function").path("arguments");
      out.add(c.path("function").path("name").asText("") + "("
          + (args.isTextual() ? args.asText() : args.toString()) + ")");
    }
    return out;
  }

  private static JsonNode lastMessage(RouterContext ctx) {
    return ctx.messages().get(ctx.messages().size() - 1);
  }
}
