package io.twinrouter.router;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.router.catalog.Routers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The check before a run, against real routers on 127.0.0.1: nothing listening, a wrong path
 * and a router too slow to answer stop the run with one plain message; a router that answers,
 * even with garbage, passes (its answers become the run's error rows). And the names routers
 * carry in run ids and reports.
 */
class RouterCheckTest {
  private static final RouterEnvironment ENV =
      RouterEnvironment.of(Contexts.SETTINGS).withSelectTimeout(Duration.ofMillis(500));
  private static final AtomicReference<String> probed = new AtomicReference<>();
  private static LoopbackServer server;

  @BeforeAll
  static void start() throws IOException {
    server = new LoopbackServer(4)
        .route("/route", ex -> {
          probed.set(new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
          LoopbackServer.respond(ex, 200, "{\"tier\":\"low\"}");
        })
        .answer("/garbage", 200, "<html>not a decision</html>")
        .answer("/crash", 500, "{\"error\":\"boom\"}")
        .route("/slow", ex -> {
          try {
            Thread.sleep(2000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          LoopbackServer.respond(ex, 200, "{\"tier\":\"low\"}");
        });
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Router http(String url) {
    return Routers.byName(url, ENV);
  }

  private static RouterContext probe() {
    return RouterCheck.liveProbe(Contexts.SETTINGS.pool(), Contexts.SETTINGS);
  }

  @Test
  void aRefusedConnectionReadsPlainly() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RouterCheck.answers(http("http://127.0.0.1:" + port + "/route"), probe()));
    assertTrue(e.getMessage().startsWith("router 'http-" + port + "' does not answer: cannot connect"
        + " to router http://127.0.0.1:" + port + "/route: connection refused (is the router running"
        + " and listening on 127.0.0.1:" + port + "?)"), e.getMessage());
    assertFalse(e.getMessage().contains("Exception"), e.getMessage());
  }

  @Test
  void aWrongPathIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RouterCheck.answers(http(server.uri("/").toString()), probe()));
    assertTrue(e.getMessage().contains("answered HTTP 404"), e.getMessage());
    assertTrue(e.getMessage().contains("check the URL's path"), e.getMessage());
  }

  @Test
  void aRouterPastItsTimeoutDoesNotAnswer() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RouterCheck.answers(http(server.uri("/slow").toString()), probe()));
    assertTrue(e.getMessage().contains("did not answer within 0.5 s"), e.getMessage());
  }

  @Test
  void aRouterThatAnswersPassesEvenWithGarbageOrAServerError() {
    assertDoesNotThrow(() -> RouterCheck.answers(http(server.uri("/garbage").toString()), probe()));
    assertDoesNotThrow(() -> RouterCheck.answers(http(server.uri("/crash").toString()), probe()));
    assertDoesNotThrow(() -> RouterCheck.answers(Routers.byName("round-robin", ENV), probe()));
    RouterCheck.answers(http(server.uri("/route").toString()), probe());
    assertTrue(probed.get().contains("\"instance_id\":\"" + RouterCheck.PROBE_INSTANCE + "\""), probed.get());
  }

  @Test
  void aUrlRouterIsNamedByItsPortAndAGivenNameWins() {
    assertEquals("http-8765", http("http://127.0.0.1:8765/route").name());
    assertEquals("http-80", http("http://localhost/route").name());
    assertEquals("uncommon", Routers.byName("http://127.0.0.1:8765/route", "uncommon", ENV).name());
    assertEquals("heuristic", Routers.byName("heuristic", null, ENV).name());
    assertEquals("mine", Routers.byName("heuristic", "mine", ENV).name());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Routers.byName("heuristic", "my router/1", ENV));
    assertTrue(e.getMessage().startsWith("router name 'my router/1' must be"), e.getMessage());
  }
}
