package io.twinrouter.scoring.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Health, auth, unknown paths and methods: the service's frame, over real HTTP on loopback. */
class ServiceBasicsTest {

  static String rawRequest(int port, String request) throws java.io.IOException {
    try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void healthIs503WhileLoadingThen200() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (TestService svc = TestService.start(TestService.settings(Optional.empty(), 1024), () -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return List.of();
    })) {
      var loading = svc.get("/health");
      assertEquals(503, loading.statusCode(), loading.body());
      assertEquals("loading", TestService.json(loading).get("status").asText());
      release.countDown();
      svc.awaitReady();
      assertEquals("ok", TestService.json(svc.get("/health")).get("status").asText());
    }
  }

  @Test
  void failedBankLoadingKeepsHealthAt503WithTheReason() throws Exception {
    try (TestService svc = TestService.start(TestService.settings(Optional.empty(), 1024), () -> {
      throw new IllegalArgumentException("bank.jsonl line 3: field 'benchmark' is missing");
    })) {
      var r = svc.get("/health");
      for (int i = 0; i < 100 && "loading".equals(TestService.json(r).get("status").asText()); i++) {
        Thread.sleep(20);
        r = svc.get("/health");
      }
      assertEquals(503, r.statusCode());
      assertEquals("failed", TestService.json(r).get("status").asText());
      assertEquals("bank.jsonl line 3: field 'benchmark' is missing", TestService.json(r).get("detail").asText());
    }
  }

  @Test
  void withATokenEveryRouteButHealthNeedsIt() throws Exception {
    try (TestService svc = TestService.start(TestService.settings(Optional.of("s3cret"), 1024), List::of)) {
      svc.awaitReady();
      for (String path : List.of("/v1/static/banks", "/openapi.yaml", "/v1/jobs/x", "/v1/static/banks/b/prefixes", "/nowhere")) {
        var noToken = svc.client.send(
            java.net.http.HttpRequest.newBuilder(svc.uri(path)).GET().build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals("unauthorized", TestService.assertError(401, noToken), path);
        assertTrue(noToken.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertTrue(!noToken.body().contains("s3cret"));
        var wrong = svc.client.send(
            java.net.http.HttpRequest.newBuilder(svc.uri(path)).header("Authorization", "Bearer s3cre").GET().build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(401, wrong.statusCode(), path);
      }
      var health = svc.client.send(
          java.net.http.HttpRequest.newBuilder(svc.uri("/health")).GET().build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode());
      assertEquals(200, svc.get("/v1/static/banks").statusCode());
    }
  }

  @Test
  void withoutATokenNothingIsRequired() throws Exception {
    try (TestService svc = TestService.start(TestService.settings(Optional.empty(), 1024), List::of)) {
      svc.awaitReady();
      var r = svc.client.send(
          java.net.http.HttpRequest.newBuilder(svc.uri("/v1/static/banks")).GET().build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      assertEquals(0, TestService.json(r).get("banks").size());
    }
  }

  @Test
  void unknownThingsAre404AndWrongMethods405AsJson() throws Exception {
    try (TestService svc = TestService.start(TestService.settings(Optional.empty(), 1024), List::of)) {
      svc.awaitReady();
      assertEquals("not_found", TestService.assertError(404, svc.get("/v2/nothing")));
      assertEquals("unknown_bank", TestService.assertError(404, svc.get("/v1/static/banks/nope/prefixes")));
      assertEquals("unknown_job", TestService.assertError(404, svc.get("/v1/jobs/nope")));
      assertEquals("unknown_job", TestService.assertError(404, svc.get("/v1/jobs/nope/events")));
      assertEquals("method_not_allowed", TestService.assertError(405, svc.post("/health", "application/json", "{}")));
      assertEquals("bad_request", TestService.assertError(400, svc.get("/v1/static/banks/nope/prefixes?limit=abc")));
      assertEquals("bad_request", TestService.assertError(400, svc.get("/v1/static/banks/nope/prefixes?limit=0")));
      // too malformed to route: answered before the routes, still as JSON
      String raw = rawRequest(svc.server.port(), "GET /v1/static/banks/%ZZ/prefixes HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assertTrue(raw.startsWith("HTTP/1.1 400"), raw);
      assertTrue(raw.contains("Content-Type: application/json") && raw.contains("\"error\":\"bad_request\""), raw);
    }
  }
}
