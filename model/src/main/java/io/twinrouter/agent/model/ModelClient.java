package io.twinrouter.agent.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.common.Json;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.UsageFormat;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A blocking model client for the wire formats of {@link WireCodec}: OpenAI-compatible chat
 * completions (vLLM, LiteLLM, OpenRouter, the simulated pool) and Anthropic's Messages API.
 * Thread-safe; one instance serves every case of a run (run it on a dedicated blocking
 * dispatcher).
 *
 * <p>Each call: strip the agent-only {@code extra} keys, place the Anthropic cache marks when the
 * pool model asks for them, send with the model's key, retry transient failures
 * with exponential backoff and jitter (honouring {@code Retry-After}), normalise the usage into
 * the four buckets and price it with the model's locked rates. The key is read from the
 * environment at call time and never appears in a log line, an exception or a returned value.
 */
public final class ModelClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelClient.class);
  private static final Set<Integer> RETRYABLE_4XX = Set.of(408, 409, 425, 429);
  private static final int DETAIL_CHARS = 300;

  private final ModelClientSettings settings;
  private final EndpointLimiter limiter;
  private final Function<String, String> environment;
  private final HttpClient http;
  private final ObjectMapper json = Json.MAPPER;
  private final AtomicReference<ModelSetupException> setupMistake = new AtomicReference<>();

  /**
   * @param limiter shared by every client of a run, so the per-endpoint cap holds run-wide
   * @param environment looks up environment variables (the API keys); {@code System::getenv} in
   *     production
   */
  public ModelClient(
      ModelClientSettings settings, EndpointLimiter limiter, Function<String, String> environment) {
    this.settings = settings;
    this.limiter = limiter;
    this.environment = environment;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(min(settings.requestTimeout(), Duration.ofSeconds(10)))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** A client with its own limiter sized from the settings, keys from the process environment. */
  public static ModelClient create(ModelClientSettings settings) {
    return new ModelClient(
        settings, new EndpointLimiter(settings.maxConcurrentPerEndpoint()), System::getenv);
  }

  public ModelClientSettings settings() {
    return settings;
  }

  /**
   * One model call, blocking until an answer, a refusal, or the retry budget is spent.
   *
   * @param messages the conversation in OpenAI format; an {@code extra} key on a message is
   *     dropped before sending (mini keeps its bookkeeping there)
   * @param tools OpenAI function schemas; omitted from the request when empty
   * @throws ModelUnavailableException after {@code max-retries} retries of transient failures
   * @throws ModelSetupException when the provider refuses for a set-up mistake, and on every call
   *     after one
   */
  public ModelOutcome complete(
      PoolModel model, List<? extends JsonNode> messages, List<? extends JsonNode> tools,
      RequestOptions options) {
    ModelSetupException earlier = setupMistake.get();
    if (earlier != null) {
      // the run is stopping: no further call is sent, to any model
      throw earlier;
    }
    ModelOutcome outcome = send(model, messages, tools, options);
    if (outcome instanceof ModelRequestRejected r && r.isSetupMistake()) {
      ModelSetupException stop = new ModelSetupException(r.modelId(), r.httpStatus(),
          "model " + r.modelId() + ": HTTP " + r.httpStatus() + " from "
              + stripTrailingSlash(model.baseUrl()) + ": " + r.detail());
      setupMistake.compareAndSet(null, stop);
      throw setupMistake.get();
    }
    return outcome;
  }

  /**
   * The set-up mistake a provider answered (a bad key, no credit, an unknown model, a refused
   * parameter), after which this client sends nothing more; empty while there was none.
   */
  public Optional<ModelSetupException> setupMistake() {
    return Optional.ofNullable(setupMistake.get());
  }

  private ModelOutcome send(
      PoolModel model, List<? extends JsonNode> messages, List<? extends JsonNode> tools,
      RequestOptions options) {
    if (model.baseUrl() == null || model.baseUrl().isBlank()) {
      throw new IllegalArgumentException("pool model " + model.modelId() + " has no base URL");
    }
    String baseUrl = stripTrailingSlash(model.baseUrl());
    Optional<String> key = apiKey(model);
    WireCodec codec = WireCodec.of(model.request().api());
    HttpRequest request = buildRequest(model, codec, baseUrl, key, messages, tools, options);
    List<RetryRecord> failures = new ArrayList<>();
    List<UnusableResponse> unusable = new ArrayList<>();
    long startNanos = System.nanoTime();
    double startedAt = epochSeconds();
    for (int attempt = 1; ; attempt++) {
      Attempt result = attempt(model, codec, baseUrl, request, key);
      if (result.outcome != null) {
        return finish(result.outcome, failures, unusable, startedAt, startNanos);
      }
      if (result.paid != null) {
        unusable.add(result.paid);
      }
      if (attempt > settings.maxRetries()) {
        failures.add(new RetryRecord(attempt, result.cause, 0));
        throw new ModelUnavailableException(
            model.modelId(),
            "model " + model.modelId() + " at " + baseUrl + " unavailable after " + attempt
                + " attempts; last: " + result.cause,
            failures,
            result.error);
      }
      long waitMs = waitMillis(attempt, result.retryAfterMs);
      failures.add(new RetryRecord(attempt, result.cause, waitMs));
      LOG.warn(
          "model {} at {}: attempt {} failed ({}), retrying in {} ms",
          model.modelId(), baseUrl, attempt, result.cause, waitMs);
      sleep(model, waitMs, failures);
    }
  }

  private ModelOutcome finish(ModelOutcome outcome, List<RetryRecord> failures,
      List<UnusableResponse> unusable, double startedAt, long startNanos) {
    if (outcome instanceof ModelRequestRejected r) {
      return new ModelRequestRejected(r.modelId(), r.httpStatus(), r.detail(), failures);
    }
    ModelTurn t = (ModelTurn) outcome;
    long latencyMs = (System.nanoTime() - startNanos) / 1_000_000;
    return new ModelTurn(
        t.modelId(), t.provider(), t.message(), t.content(), t.toolCalls(), t.finishReason(),
        t.usage(), t.costUsd(), startedAt, epochSeconds(), latencyMs, failures, t.rawResponse(),
        t.ledger().withUnusableBefore(unusable));
  }

  /**
   * The outcome of one attempt: an outcome, or a transient failure to retry ({@code paid} when the
   * provider answered 200 with something unusable, which it may have billed).
   */
  private record Attempt(ModelOutcome outcome, String cause, long retryAfterMs, Throwable error,
      UnusableResponse paid) {
    static Attempt transientFailure(String cause, long retryAfterMs, Throwable error) {
      return new Attempt(null, cause, retryAfterMs, error, null);
    }
  }

  private Attempt attempt(PoolModel model, WireCodec codec, String baseUrl, HttpRequest request,
      Optional<String> key) {
    HttpResponse<String> response;
    try (EndpointLimiter.Permit permit = limiter.acquire(baseUrl)) {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException e) {
      return Attempt.transientFailure("ConnectTimeout", -1, e);
    } catch (HttpTimeoutException e) {
      return Attempt.transientFailure("Timeout after " + settings.requestTimeout(), -1, e);
    } catch (ConnectException e) {
      return Attempt.transientFailure("ConnectionError: connection refused", -1, e);
    } catch (IOException e) {
      return Attempt.transientFailure(
          "ConnectionError: " + e.getClass().getSimpleName(), -1, redacted(e, key));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelUnavailableException(
          model.modelId(), "interrupted while calling model " + model.modelId(), List.of(), null);
    }
    int status = response.statusCode();
    if (status == 200) {
      AnswerReader.Read read =
          AnswerReader.read(model, codec, usageFormat(model), response, key);
      if (read instanceof AnswerReader.Usable u) {
        return new Attempt(u.turn(), null, -1, null, null);
      }
      UnusableResponse paid = ((AnswerReader.Unusable) read).paid();
      return new Attempt(null, paid.cause(), -1, null, paid);
    }
    String detail = errorDetail(response.body(), key);
    if (status >= 300 && status < 400) {
      // a redirect means a misconfigured base URL: retrying cannot help
      throw new ModelUnavailableException(
          model.modelId(),
          "model " + model.modelId() + " at " + baseUrl + ": HTTP " + status + " redirect to "
              + response.headers().firstValue("Location").orElse("?") + "; fix the base URL",
          List.of(new RetryRecord(1, "HTTP " + status, 0)),
          null);
    }
    if (RETRYABLE_4XX.contains(status) || status >= 500 || status < 200) {
      return Attempt.transientFailure(
          "HTTP " + status + (detail.isEmpty() ? "" : ": " + detail),
          ResponseHeaders.retryAfterMillis(response), null);
    }
    if (status >= 400) {
      return new Attempt(
          new ModelRequestRejected(model.modelId(), status, detail, List.of()), null, -1, null,
          null);
    }
    return Attempt.transientFailure("unexpected response shape: HTTP " + status, -1, null);
  }

  /** The model's own usage format, else the run-wide fallback of older configurations. */
  private UsageFormat usageFormat(PoolModel model) {
    return model.usageFormat() != UsageFormat.AUTO
        ? model.usageFormat() : settings.defaultUsageFormat();
  }

  private HttpRequest buildRequest(
      PoolModel model,
      WireCodec codec,
      String baseUrl,
      Optional<String> key,
      List<? extends JsonNode> messages,
      List<? extends JsonNode> tools,
      RequestOptions options) {
    ObjectNode body = codec.body(model, messages, tools, options);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl + codec.path()))
            .timeout(settings.requestTimeout())
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    options.extraHeaders().forEach(b::header);
    model.request().resolvedHeaders(environment).forEach(b::header);
    codec.authenticate(b, key);
    return b.build();
  }

  private Optional<String> apiKey(PoolModel model) {
    String env = model.apiKeyEnv();
    if (env == null || env.isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(environment.apply(env)).filter(k -> !k.isEmpty());
  }

  /** Exponential backoff with 50-100 % jitter; a Retry-After wins, both capped at backoff-max. */
  long waitMillis(int failedAttempt, long retryAfterMs) {
    long max = settings.backoffMax().toMillis();
    if (retryAfterMs >= 0) {
      return Math.min(retryAfterMs, max);
    }
    long base = settings.backoffBase().toMillis();
    long exp = base << Math.min(failedAttempt - 1, 30);
    long capped = exp < 0 ? max : Math.min(exp, max);
    return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
  }


  private String errorDetail(String body, Optional<String> key) {
    String detail = body == null ? "" : body.strip();
    try {
      JsonNode root = json.readTree(detail);
      JsonNode msg = root == null ? null : root.path("error").get("message");
      if (msg != null && msg.isTextual()) {
        detail = msg.asText();
      } else if (root != null && root.path("error").isTextual()) {
        detail = root.path("error").asText();
      }
    } catch (JsonProcessingException notJson) {
      // keep the raw body start
    }
    if (detail.length() > DETAIL_CHARS) {
      detail = detail.substring(0, DETAIL_CHARS) + "...";
    }
    return redact(detail, key);
  }

  /** Replaces the key wherever a provider echoed it back. */
  static String redact(String text, Optional<String> key) {
    if (text == null || key.isEmpty() || key.get().length() < 4) {
      return text;
    }
    return text.replace(key.get(), "[redacted]");
  }

  private static Throwable redacted(IOException e, Optional<String> key) {
    String msg = e.getMessage();
    if (msg == null || key.isEmpty() || !msg.contains(key.get())) {
      return e;
    }
    return new IOException(e.getClass().getSimpleName() + ": " + redact(msg, key));
  }

  private static void sleep(PoolModel model, long ms, List<RetryRecord> failures) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelUnavailableException(
          model.modelId(), "interrupted while backing off from model " + model.modelId(), failures, e);
    }
  }

  private static String stripTrailingSlash(String url) {
    String u = url.strip();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static double epochSeconds() {
    return System.currentTimeMillis() / 1000.0;
  }

  @Override
  public void close() {
    // java.net.http.HttpClient gained close() only in Java 21; its threads are daemons on 17.
  }
}
