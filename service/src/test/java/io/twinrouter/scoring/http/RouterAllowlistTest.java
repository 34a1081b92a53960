package io.twinrouter.scoring.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.bank.BundledBank;
import io.twinrouter.scoring.service.ServedBank;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service calls only routers on the hosts of {@code twinrouter.http.router-hosts}, follows no
 * redirect, and quotes a router's answer only in bounded excerpts. Every router here is served on
 * loopback; the refused URLs are loopback too, so a broken check would still send nothing away.
 */
class RouterAllowlistTest {
  static TestService byDefault;
  /** A service whose allowlist names one host only, so that 127.0.0.2 is outside it. */
  static TestService narrowed;

  @BeforeAll
  static void start() throws Exception {
    ServedBank bank = ServedBank.of("bundled", BundledBank.load(TestService.FIXTURE_TOKENS));
    byDefault = TestService.start(TestService.settings(Optional.empty(), 1 << 20), () -> List.of(bank));
    narrowed = TestService.start(
        TestService.settings(Optional.empty(), 1 << 20).withRouterHosts(List.of("127.0.0.1")), () -> List.of(bank));
    byDefault.awaitReady();
    narrowed.awaitReady();
  }

  @AfterAll
  static void stop() {
    byDefault.close();
    narrowed.close();
  }

  static String evaluate(TestService svc, String router) throws Exception {
    var r = svc.post("/v1/static/banks/bundled/evaluations", "application/json",
        "{\"router\": " + JsonSupport.MAPPER.writeValueAsString(router) + ", \"timeout_ms\": 2000}");
    return r.statusCode() + " " + r.body();
  }

  static JsonNode awaitJob(TestService svc, String startAnswer) throws Exception {
    assertTrue(startAnswer.startsWith("202 "), startAnswer);
    String id = JsonSupport.MAPPER.readTree(startAnswer.substring(4)).get("id").asText();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      JsonNode job = TestService.json(svc.get("/v1/jobs/" + id));
      if (!"running".equals(job.get("status").asText())) {
        return job;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("job " + id + " did not finish");
  }

  @Test
  void aRouterOutsideTheAllowlistIsRefusedWith400NamingTheSetting() throws Exception {
    try (LoopbackRouter router = new LoopbackRouter(ctx -> LoopbackRouter.Answer.json("{\"tier\": \"low\"}"))) {
      int port = Integer.parseInt(router.url().replaceAll(".*:(\\d+)/.*", "$1"));
      for (String url : List.of(
          "http://127.0.0.2:" + port + "/route",
          "http://localhost:" + port + "/route",
          "http://127.0.0.1@127.0.0.2:" + port + "/route",
          "HTTPS://127.0.0.2:" + port + "/route")) {
        var r = narrowed.post("/v1/static/banks/bundled/evaluations", "application/json",
            "{\"router\": \"" + url + "\"}");
        assertEquals("bad_request", TestService.assertError(400, r), url);
        assertTrue(r.body().contains("twinrouter.http.router-hosts"), url + ": " + r.body());
      }
      assertEquals(List.of(), router.requests, "a refused router was called");
    }
  }

  @Test
  void aLoopbackRouterIsCalledUnderTheDefaultAllowlist() throws Exception {
    try (LoopbackRouter router = new LoopbackRouter(ctx -> LoopbackRouter.Answer.json("{\"tier\": \"low\"}"))) {
      for (String url : List.of(router.url(), router.url().replace("127.0.0.1", "localhost"))) {
        JsonNode job = awaitJob(byDefault, evaluate(byDefault, url));
        assertEquals("done", job.get("status").asText(), job.toString());
        assertEquals(0, job.get("progress").get("errors").asInt(), job.toString());
      }
      assertFalse(router.requests.isEmpty());
    }
  }

  @Test
  void theDefaultAllowlistIsLoopbackOnly() {
    assertEquals(List.of(RouterHosts.LOOPBACK),
        HttpSettings.from(com.typesafe.config.ConfigFactory.load()).routerHosts(), "reference.conf");
    List<String> loopback = List.of(RouterHosts.LOOPBACK);
    for (String host : List.of("127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "[::1]", "::1")) {
      assertTrue(RouterHosts.allowed(host, loopback), host);
    }
    for (String host : List.of("10.0.0.1", "192.168.1.1", "169.254.169.254", "127.0.0.1.example.org",
        "localhost.example.org", "2130706433", "[::ffff:127.0.0.1]", "0.0.0.0", "127.0.0.256")) {
      assertFalse(RouterHosts.allowed(host, loopback), host);
    }
  }

  @Test
  void aRedirectIsNotFollowed() throws Exception {
    try (LoopbackRouter target = new LoopbackRouter(ctx -> LoopbackRouter.Answer.json("{\"tier\": \"low\"}"));
        RedirectingServer redirect = new RedirectingServer(target.url())) {
      JsonNode job = awaitJob(byDefault, evaluate(byDefault, redirect.url()));
      assertEquals("done", job.get("status").asText(), job.toString());
      int rows = job.get("progress").get("done").asInt();
      assertEquals(rows, job.get("progress").get("errors").asInt(), "every row is an error: " + job);
      assertTrue(job.get("summary").get("errors").get(0).get("error").asText().contains("HTTP 307"), job.toString());
      assertEquals(List.of(), target.requests, "the redirect was followed");
    }
  }

  @Test
  void aHugeAnswerIsQuotedOnlyInABoundedExcerpt() throws Exception {
    String huge = "m".repeat(200_000);
    try (LoopbackRouter router = new LoopbackRouter(ctx -> LoopbackRouter.Answer.json("{\"model_id\": \"" + huge + "\"}"))) {
      String start = evaluate(byDefault, router.url());
      JsonNode job = awaitJob(byDefault, start);
      String id = job.get("id").asText();
      for (String path : List.of("/v1/jobs/" + id, "/v1/jobs/" + id + "/events")) {
        var r = byDefault.get(path);
        assertFalse(r.body().contains("m".repeat(2_000)), path + " echoes the answer: " + r.body().length() + " chars");
      }
      assertTrue(job.get("summary").get("errors").get(0).get("error").asText().contains("chars cut"), job.toString());
    }
  }

  /** A loopback server that answers every request with 307 to another URL. */
  static final class RedirectingServer implements AutoCloseable {
    private final com.sun.net.httpserver.HttpServer server;

    RedirectingServer(String location) throws java.io.IOException {
      server = com.sun.net.httpserver.HttpServer.create(
          new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 16);
      server.createContext("/", exchange -> {
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(307, -1);
        exchange.close();
      });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/route";
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
