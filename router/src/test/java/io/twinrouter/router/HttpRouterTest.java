package io.twinrouter.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.config.Tier;
import io.twinrouter.router.http.HttpRouter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP router protocol against real routers on 127.0.0.1. */
class HttpRouterTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static LoopbackServer server;
  private static final AtomicReference<JsonNode> lastBody = new AtomicReference<>();
  private static final AtomicReference<String> lastAuth = new AtomicReference<>();
  private static final AtomicReference<String> lastContentType = new AtomicReference<>();
  private static final CountDownLatch release = new CountDownLatch(1);

  @BeforeAll
  static void start() throws IOException {
    server =
        new LoopbackServer(16)
            .answer("/by-model", 200,
                "{\"model_id\":\"minimax/minimax-m2.7\",\"rationale\":\"cheap enough\"}")
            .answer("/by-tier", 200, "{\"tier\":\"high\"}")
            .answer("/both", 200,
                "{\"model_id\":\"google/gemini-3-flash-preview\",\"tier\":\"mid_high\","
                    + "\"extra\":[1,2]}")
            .answer("/both-disagree", 200,
                "{\"model_id\":\"deepseek/deepseek-v3.2\",\"tier\":\"high\"}")
            .answer("/outside-pool", 200, "{\"model_id\":\"openai/gpt-9\"}")
            .answer("/unknown-tier", 200, "{\"tier\":\"ultra\"}")
            .answer("/garbage", 200, "<html>I am not JSON</html>")
            .answer("/array", 200, "[\"high\"]")
            .answer("/empty", 200, "")
            .answer("/nothing", 200, "{\"rationale\":\"forgot the answer\"}")
            .answer("/number-model", 200, "{\"model_id\":3}")
            .answer("/http-500", 500, "{\"error\":\"boom\",\"detail\":\"router crashed\"}")
            .route(
                "/echo",
                ex -> {
                  lastBody.set(RouterJson.mapper().readTree(ex.getRequestBody().readAllBytes()));
                  lastAuth.set(ex.getRequestHeaders().getFirst("Authorization"));
                  lastContentType.set(ex.getRequestHeaders().getFirst("Content-Type"));
                  LoopbackServer.respond(ex, 200, "{\"tier\":\"low\"}");
                })
            .route(
                "/slow",
                ex -> {
                  try {
                    release.await(20, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  LoopbackServer.respond(ex, 200, "{\"tier\":\"low\"}");
                })
            .route(
                "/huge",
                ex -> {
                  ex.getRequestBody().readAllBytes();
                  ex.sendResponseHeaders(200, 0); // chunked: no Content-Length to refuse early
                  try (OutputStream out = ex.getResponseBody()) {
                    byte[] chunk = new byte[64 * 1024];
                    java.util.Arrays.fill(chunk, (byte) ' ');
                    for (int i = 0; i < 40; i++) {
                      out.write(chunk);
                    }
                  } catch (IOException expected) {
                    // the client hangs up once the answer is too large
                  }
                });
  }

  @AfterAll
  static void stop() {
    release.countDown();
    server.close();
  }

  private static HttpRouter router(String path) {
    return new HttpRouter(server.uri(path), HttpRouter.Options.withTimeout(TIMEOUT));
  }

  private static RouterException failure(String path) {
    return assertThrows(RouterException.class, () -> router(path).select(Contexts.live(3)));
  }

  @Test
  void answerByModelIdCarriesTierRationaleAndDecisionTime() throws Exception {
    RouterDecision d = router("/by-model").select(Contexts.live(0));
    assertEquals("minimax/minimax-m2.7", d.modelId());
    assertEquals(Tier.MID, d.tier());
    assertEquals("cheap enough", d.rationale());
    assertTrue(d.decisionNanos() > 0);
  }

  @Test
  void answerByTierResolvesToThePoolsModelOfThatTier() throws Exception {
    RouterDecision d = router("/by-tier").select(Contexts.live(0));
    assertEquals("anthropic/claude-opus-4.6", d.modelId());
    assertEquals(Tier.HIGH, d.tier());
    assertNull(d.rationale());
  }

  @Test
  void modelAndTierTogetherMustAgree() throws Exception {
    assertEquals(Tier.MID_HIGH, router("/both").select(Contexts.live(0)).tier());
    RouterException e = failure("/both-disagree");
    assertEquals(RouterException.Kind.MALFORMED, e.kind());
    assertTrue(e.getMessage().contains("is of tier low but the answer says tier high"), e.getMessage());
  }

  @Test
  void aModelOutsideThePoolIsAnError() {
    RouterException e = failure("/outside-pool");
    assertEquals(RouterException.Kind.NOT_IN_POOL, e.kind());
    assertTrue(e.getMessage().contains("model 'openai/gpt-9' is not in the pool"), e.getMessage());
    assertEquals("{\"model_id\":\"openai/gpt-9\"}", e.answerExcerpt());
  }

  @Test
  void anUnknownTierIsAnError() {
    RouterException e = failure("/unknown-tier");
    assertEquals(RouterException.Kind.NOT_IN_POOL, e.kind());
    assertTrue(e.getMessage().contains("unknown tier 'ultra'"), e.getMessage());
  }

  @Test
  void malformedAnswersSayWhatIsWrong() {
    RouterException garbage = failure("/garbage");
    assertEquals(RouterException.Kind.MALFORMED, garbage.kind());
    assertTrue(garbage.getMessage().contains("the answer is not JSON"), garbage.getMessage());
    assertEquals("<html>I am not JSON</html>", garbage.answerExcerpt());
    assertTrue(failure("/array").getMessage().contains("must be a JSON object"));
    assertTrue(failure("/empty").getMessage().contains("an empty body"));
    assertTrue(failure("/nothing").getMessage().contains("neither model_id nor tier"));
    assertTrue(failure("/number-model").getMessage().contains("model_id must be a string, got a number"));
  }

  @Test
  void aNon2xxStatusIsAnErrorWithTheBodyExcerpt() {
    RouterException e = failure("/http-500");
    assertEquals(RouterException.Kind.HTTP_STATUS, e.kind());
    assertTrue(e.getMessage().contains("answered HTTP 500"), e.getMessage());
    assertTrue(e.getMessage().contains("router crashed"), e.getMessage());
  }

  @Test
  void theTimeoutIsEnforced() {
    HttpRouter slow =
        new HttpRouter(server.uri("/slow"), HttpRouter.Options.withTimeout(Duration.ofMillis(300)));
    RouterContext ctx = Contexts.live(1);
    slow.name();
    long start = System.nanoTime();
    RouterException e = assertThrows(RouterException.class, () -> slow.select(ctx));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(RouterException.Kind.TIMEOUT, e.kind());
    assertTrue(e.getMessage().contains("did not answer within 0.3 s"), e.getMessage());
    assertTrue(elapsedMs < 5_000, "gave up after " + elapsedMs + " ms");
  }

  @Test
  void aPerCallTimeoutOverridesTheConfiguredOne() {
    CompletableFuture<RouterDecision> f =
        router("/slow").selectAsync(Contexts.live(1), Duration.ofMillis(200)).toCompletableFuture();
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
    assertEquals(RouterException.Kind.TIMEOUT, Router.unwrap(e).kind());
  }

  @Test
  void aRefusedConnectionIsATransportError() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    HttpRouter closed =
        new HttpRouter(
            URI.create("http://127.0.0.1:" + port + "/route"), HttpRouter.Options.withTimeout(TIMEOUT));
    RouterException e = assertThrows(RouterException.class, () -> closed.select(Contexts.live(0)));
    assertEquals(RouterException.Kind.TRANSPORT, e.kind());
    assertTrue(e.getMessage().startsWith("cannot connect to router http://127.0.0.1:" + port), e.getMessage());
    assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
    assertFalse(e.getMessage().contains("ClosedChannelException"), e.getMessage());
  }

  @Test
  void anOversizedAnswerIsRefused() {
    HttpRouter small =
        new HttpRouter(server.uri("/huge"), new HttpRouter.Options(TIMEOUT, 1 << 20, null));
    RouterException e = assertThrows(RouterException.class, () -> small.select(Contexts.live(0)));
    assertEquals(RouterException.Kind.MALFORMED, e.kind());
    assertTrue(e.getMessage().contains("larger than 1048576 bytes"), e.getMessage());
  }

  @Test
  void theRequestIsTheContextAsJsonWithTheBearerToken() throws Exception {
    RouterContext ctx = Contexts.live(7);
    HttpRouter withToken =
        new HttpRouter(server.uri("/echo"), new HttpRouter.Options(TIMEOUT, 1024, "s3cret"));
    withToken.select(ctx);
    assertEquals("application/json", lastContentType.get());
    assertEquals("Bearer s3cret", lastAuth.get());
    assertEquals(RouterJson.mapper().readTree(RouterJson.contextBytes(ctx)), lastBody.get());
    assertEquals(7, lastBody.get().get("step_index").asInt());
    assertFalse(withToken.toString().contains("s3cret"));
    assertFalse(withToken.options().toString().contains("s3cret"));

    router("/echo").select(ctx);
    assertNull(lastAuth.get());
  }

  @Test
  void manyConcurrentAsyncCallsShareTheClient() throws Exception {
    HttpRouter r = router("/by-tier");
    List<CompletableFuture<RouterDecision>> calls = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      calls.add(r.selectAsync(Contexts.live(i), ForkJoinPool.commonPool()).toCompletableFuture());
    }
    for (CompletableFuture<RouterDecision> c : calls) {
      assertEquals(Tier.HIGH, c.get(30, TimeUnit.SECONDS).tier());
    }
  }

  /**
   * A router that closes an idle keep-alive connection: the next call on it breaks before any
   * answer and is retried once on a fresh connection instead of failing the row or the case.
   */
  @Test
  void aKeptAliveConnectionTheRouterDroppedIsRetriedOnce() throws Exception {
    java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
    try (ServerSocket listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                while (!listener.isClosed()) {
                  try (java.net.Socket s = listener.accept()) {
                    connections.incrementAndGet();
                    java.io.InputStream in = new java.io.BufferedInputStream(s.getInputStream());
                    readRequest(in);
                    byte[] body = "{\"tier\":\"mid\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    s.getOutputStream().write(
                        ("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    s.getOutputStream().write(body);
                    s.getOutputStream().flush();
                    readRequest(in); // a second request on this connection: hang up unanswered
                  } catch (IOException e) {
                    // closed
                  }
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      HttpRouter r =
          new HttpRouter(
              URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/route"),
              HttpRouter.Options.withTimeout(TIMEOUT));
      assertEquals(Tier.MID, r.select(Contexts.live(0)).tier());
      assertEquals(Tier.MID, r.select(Contexts.live(1)).tier());
      assertEquals(Tier.MID, r.select(Contexts.live(2)).tier());
      assertTrue(connections.get() >= 2, "connections: " + connections.get());
    }
  }

  /** Reads one HTTP request (head and Content-Length body); false at end of stream. */
  private static boolean readRequest(java.io.InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int length = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        return false;
      }
      if (b != '\n') {
        line.append((char) b);
        continue;
      }
      String l = line.toString().strip();
      line.setLength(0);
      if (l.isEmpty()) {
        in.readNBytes(length);
        return true;
      }
      if (l.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(l.substring("content-length:".length()).strip());
      }
    }
  }

  @Test
  void urlsAreCheckedWhenTheRouterIsBuilt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new HttpRouter(URI.create("ftp://127.0.0.1/x"), HttpRouter.Options.withTimeout(TIMEOUT)));
    assertTrue(e.getMessage().contains("http:// or https://"));
    assertNotNull(HttpRouter.sharedClient());
  }
}
