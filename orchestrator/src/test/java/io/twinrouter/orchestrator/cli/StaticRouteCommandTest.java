package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code static route} against a router served on loopback: it writes a prediction file with a
 * tier per row and the failure's text where the router answered garbage or too late, and that
 * file scores as the reference scores the same tiers and error rows.
 */
class StaticRouteCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void writesAPredictionFileThatScoresLikeTheReference() throws Exception {
    Map<String, String> tiers = new HashMap<>();
    for (String line : Files.readAllLines(ServeCommandTest.FIXTURES.resolve("predictions_bank1_mixed.jsonl"))) {
      if (!line.isBlank()) {
        JsonNode p = JSON.readTree(line);
        tiers.put(p.get("id").asText(), p.has("tier") ? p.get("tier").asText() : null);
      }
    }
    List<String> seen = new CopyOnWriteArrayList<>();
    ExecutorService threads = Executors.newCachedThreadPool();
    HttpServer router = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    router.createContext("/", exchange -> {
      try (exchange) {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        seen.add(body);
        String id = JSON.readTree(body).get("row_id").asText();
        String tier = tiers.get(id);
        String answer = tier != null ? "{\"tier\": \"" + tier + "\"}" : "<html>oops</html>";
        if (tier == null && id.hashCode() % 2 == 0) {
          Thread.sleep(6000); // past the timeout
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream os = exchange.getResponseBody()) {
          os.write(bytes);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    router.setExecutor(threads);
    router.start();
    Path out = dir.resolve("routed.jsonl");
    try {
      ServeCommandTest.Run r = ServeCommandTest.cli("static", "route",
          "--bank", ServeCommandTest.FIXTURES.resolve("bank1.jsonl").toString(),
          "--router", "http://127.0.0.1:" + router.getAddress().getPort() + "/",
          "--out", out.toString(), "--concurrency", "8", "--timeout-ms", "2000");
      assertEquals(0, r.status(), r.err());
      assertTrue(r.err().contains("9 router errors"), r.err());
    } finally {
      router.stop(0);
      threads.shutdownNow();
    }
    // every row asked (the HTTP router retries a call whose connection broke), never with its label
    assertEquals(tiers.keySet(), new java.util.HashSet<>(seen.stream().map(b -> {
      try {
        return JSON.readTree(b).get("row_id").asText();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).toList()));
    seen.forEach(body -> assertFalse(body.contains("target_tier"), body));
    List<String> lines = Files.readAllLines(out);
    assertEquals(56, lines.size());
    int errors = 0;
    for (String line : lines) {
      JsonNode p = JSON.readTree(line);
      String expected = tiers.get(p.get("id").asText());
      if (expected == null) {
        errors++;
        String text = p.get("error").asText();
        assertTrue(text.contains("not JSON") || text.contains("did not answer within"), text);
      } else {
        assertEquals(expected, p.get("tier").asText(), line);
      }
    }
    assertEquals(9, errors);

    ServeCommandTest.Run scored = ServeCommandTest.cli("static", "score",
        "--bank", ServeCommandTest.FIXTURES.resolve("bank1.jsonl").toString(),
        "--predictions", out.toString(), "--label", "mixed", "--tokenizer", ServeCommandTest.RULE, "--json");
    assertEquals(0, scored.status(), scored.err());
    JsonNode expected = JSON.readTree(Files.readString(ServeCommandTest.FIXTURES.resolve("expected_bank1_mixed.json"))
        .replace("NaN", "null"));
    JsonNode actual = JSON.readTree(scored.out().replace("NaN", "null"));
    assertEquals(expected.get("scores_v2"), actual.get("scores_v2"));
    assertEquals(expected.get("router_accounting"), actual.get("router_accounting"));
    assertEquals(expected.get("api_errors"), actual.get("api_errors"));
  }

  @Test
  void anUnknownRouterIsExit2() {
    ServeCommandTest.Run r = ServeCommandTest.cli("static", "route",
        "--bank", ServeCommandTest.FIXTURES.resolve("bank1.jsonl").toString(),
        "--router", "nonsense", "--out", dir.resolve("x.jsonl").toString());
    assertEquals(2, r.status());
    assertTrue(r.err().contains("unknown router 'nonsense'"), r.err());
    assertFalse(Files.exists(dir.resolve("x.jsonl")));
  }
}
