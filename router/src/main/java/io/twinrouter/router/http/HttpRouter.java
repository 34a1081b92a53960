package io.twinrouter.router.http;

import io.twinrouter.common.Failures;
import io.twinrouter.router.DecisionParser;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterContext;
import io.twinrouter.router.RouterDecision;
import io.twinrouter.router.RouterException;
import io.twinrouter.router.RouterJson;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A router reached over HTTP: every call POSTs the {@link RouterContext} as JSON and reads a
 * decision back ({@code docs/router-protocol.md}). All HTTP routers share one JDK {@link
 * HttpClient} (HTTP/1.1, keep-alive connection pool), and {@link #selectAsync} is non-blocking, so
 * n concurrent calls cost n pooled connections, not n threads.
 *
 * <p>The timeout covers the whole call, connection to last body byte. The answer is read up to
 * {@link Options#maxResponseBytes()}. A bearer token, when configured, is sent as {@code
 * Authorization} and never appears in messages, logs or {@link #toString()}.
 */
public final class HttpRouter implements Router {

  /** Answers larger than this are refused by default (1 MiB). */
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 1 << 20;

  /**
   * @param timeout the select timeout of one call
   * @param bearerToken sent as {@code Authorization: Bearer ...}, or null for none
   */
  public record Options(Duration timeout, int maxResponseBytes, String bearerToken) {
    public Options {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the router timeout must be positive, got " + timeout);
      }
      if (maxResponseBytes <= 0) {
        throw new IllegalArgumentException("maxResponseBytes must be positive");
      }
    }

    public static Options withTimeout(Duration timeout) {
      return new Options(timeout, DEFAULT_MAX_RESPONSE_BYTES, null);
    }

    @Override
    public String toString() {
      return "Options[timeout=" + timeout + ", maxResponseBytes=" + maxResponseBytes
          + ", bearerToken=" + (bearerToken == null ? "none" : "***") + "]";
    }
  }

  private static final class SharedClient {
    static final HttpClient INSTANCE =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  private final URI uri;
  private final Options options;
  private final HttpClient client;
  private final BoundedBodyHandler bodyHandler;

  public HttpRouter(URI uri, Options options) {
    this(uri, options, SharedClient.INSTANCE);
  }

  public HttpRouter(URI uri, Options options, HttpClient client) {
    String scheme = uri.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException("a router URL must be http:// or https://, got " + uri);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("a router URL needs a host: " + uri);
    }
    this.uri = uri;
    this.options = options;
    this.client = client;
    this.bodyHandler = new BoundedBodyHandler(options.maxResponseBytes());
  }

  /** The JDK client every HTTP router uses unless given another. */
  public static HttpClient sharedClient() {
    return SharedClient.INSTANCE;
  }

  public URI uri() {
    return uri;
  }

  public Options options() {
    return options;
  }

  /**
   * The label of a router given by URL alone: {@code http-PORT}. Short, so it fits leaderboard
   * columns and run ids; a run that needs a stable name across ports gives {@code --router-name}.
   */
  @Override
  public String name() {
    return defaultLabel(uri);
  }

  /** {@code http-PORT} (the scheme's default port when the URL names none). */
  public static String defaultLabel(URI uri) {
    return "http-" + port(uri);
  }

  private static int port(URI uri) {
    return uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
  }

  @Override
  public RouterDecision select(RouterContext ctx) throws RouterException {
    try {
      return selectAsync(ctx, options.timeout()).toCompletableFuture().get();
    } catch (ExecutionException e) {
      throw Router.unwrap(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RouterException(
          RouterException.Kind.TRANSPORT, "interrupted while waiting for router " + uri);
    }
  }

  /** Non-blocking; the executor is not needed (the HTTP client completes the stage). */
  @Override
  public CompletionStage<RouterDecision> selectAsync(RouterContext ctx, Executor executor) {
    return selectAsync(ctx, options.timeout());
  }

  /** One call with its own timeout instead of the configured one. */
  public CompletionStage<RouterDecision> selectAsync(RouterContext ctx, Duration timeout) {
    HttpRequest request = request(RouterJson.contextBytes(ctx), timeout);
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    CompletableFuture<RouterDecision> decided = new CompletableFuture<>();
    send(request, ctx, start, deadline, timeout, true, decided);
    return decided;
  }

  private HttpRequest request(byte[] body, Duration timeout) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (options.bearerToken() != null && !options.bearerToken().isEmpty()) {
      request.header("Authorization", "Bearer " + options.bearerToken());
    }
    return request.build();
  }

  /**
   * Sends once; a connection that breaks before any answer (typically a keep-alive connection
   * the router closed while idle) is retried once on a fresh one, within the same deadline.
   */
  private void send(
      HttpRequest request,
      RouterContext ctx,
      long start,
      long deadline,
      Duration timeout,
      boolean mayRetry,
      CompletableFuture<RouterDecision> decided) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      decided.completeExceptionally(
          transportFailure(new TimeoutException("deadline passed"), timeout));
      return;
    }
    client
        .sendAsync(request, bodyHandler)
        .orTimeout(left, TimeUnit.NANOSECONDS)
        .whenComplete(
            (response, failure) -> {
              long elapsed = System.nanoTime() - start;
              if (failure != null) {
                RouterException e = transportFailure(failure, timeout);
                if (mayRetry && brokenConnection(e)) {
                  send(request, ctx, start, deadline, timeout, false, decided);
                } else {
                  decided.completeExceptionally(e);
                }
                return;
              }
              try {
                decided.complete(answer(response, ctx).withDecisionNanos(elapsed));
              } catch (RouterException e) {
                decided.completeExceptionally(e);
              }
            });
  }

  private static boolean brokenConnection(RouterException e) {
    return e.kind() == RouterException.Kind.TRANSPORT
        && e.getCause() instanceof IOException
        && !(e.getCause() instanceof ConnectException);
  }

  private RouterDecision answer(HttpResponse<byte[]> response, RouterContext ctx)
      throws RouterException {
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      String raw = new String(response.body(), StandardCharsets.UTF_8);
      throw new RouterException(
          RouterException.Kind.HTTP_STATUS,
          "router " + uri + " answered HTTP " + status + ": " + oneLine(raw, 200),
          raw,
          null,
          status);
    }
    try {
      return DecisionParser.parse(response.body(), ctx);
    } catch (RouterException e) {
      throw new RouterException(
          e.kind(), "router " + uri + ": " + e.getMessage(), e.answerExcerpt(), null);
    }
  }

  private RouterException transportFailure(Throwable failure, Duration timeout) {
    Throwable t = Failures.cause(failure);
    // the body handler's failure may arrive wrapped in an IOException by the client
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BoundedBodyHandler.TooLargeException tl) {
        return new RouterException(
            RouterException.Kind.MALFORMED, "router " + uri + ": " + tl.getMessage(), null, tl);
      }
    }
    if (t instanceof HttpTimeoutException || t instanceof TimeoutException) {
      return new RouterException(
          RouterException.Kind.TIMEOUT,
          "router " + uri + " did not answer within " + seconds(timeout),
          null,
          t);
    }
    if (t instanceof ConnectException) {
      return new RouterException(
          RouterException.Kind.TRANSPORT, "cannot connect to router " + uri + ": " + refusal(t), null, t);
    }
    if (t instanceof IOException) {
      return new RouterException(
          RouterException.Kind.TRANSPORT, "router " + uri + ": " + describe(t), null, t);
    }
    return new RouterException(
        RouterException.Kind.TRANSPORT, "router " + uri + ": " + describe(t), null, t);
  }

  /**
   * The JDK client reports a refused connection as a {@link ConnectException} without a message
   * whose cause is a {@code ClosedChannelException}: say what happened instead of naming those.
   */
  private String refusal(Throwable t) {
    String msg = t.getMessage();
    if (msg == null || msg.isBlank() || msg.toLowerCase(java.util.Locale.ROOT).contains("refused")) {
      return "connection refused (is the router running and listening on " + uri.getHost() + ":"
          + port(uri) + "?)";
    }
    return msg;
  }

  private static String describe(Throwable t) {
    String msg = t.getMessage();
    if (msg == null && t.getCause() != null) {
      msg = t.getCause().toString();
    }
    return msg == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + msg;
  }

  private static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + " s" : (ms / 1000.0) + " s";
  }

  private static String oneLine(String s, int max) {
    String flat = s.replaceAll("\\s+", " ").strip();
    return flat.length() <= max ? flat : flat.substring(0, max) + "...";
  }

  @Override
  public String toString() {
    return "HttpRouter[" + uri + "]";
  }
}
