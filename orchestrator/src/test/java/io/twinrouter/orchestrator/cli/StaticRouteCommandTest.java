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

  /** A router on loopback answering every context with {@code answer} at {@code path}. */
  static HttpServer router(String path, String answer) throws java.io.IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext(path, exchange -> {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
      }
    });
    server.start();
    return server;
  }

  ServeCommandTest.Run route(String url, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("static", "route",
        "--bank", ServeCommandTest.FIXTURES.resolve("bank1.jsonl").toString(),
        "--router", url, "--out", dir.resolve("out.jsonl").toString(), "--timeout-ms", "2000"));
    args.addAll(List.of(more));
    return ServeCommandTest.cli(args.toArray(String[]::new));
  }

  @Test
  void aRouterThatDoesNotAnswerIsExit2WithAPlainMessage() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    ServeCommandTest.Run refused = route("http://127.0.0.1:" + port + "/route");
    assertEquals(2, refused.status(), refused.err());
    assertTrue(refused.err().contains("router 'http-" + port + "' does not answer: cannot connect to router"
        + " http://127.0.0.1:" + port + "/route: connection refused"), refused.err());
    assertFalse(refused.err().contains("ClosedChannelException"), refused.err());
    assertFalse(Files.exists(dir.resolve("out.jsonl")));

    HttpServer server = router("/route", "{\"tier\": \"low\"}");
    try {
      ServeCommandTest.Run noPath = route("http://127.0.0.1:" + server.getAddress().getPort() + "/");
      assertEquals(2, noPath.status(), noPath.err());
      assertTrue(noPath.err().contains("answered HTTP 404") && noPath.err().contains("e.g. /route"), noPath.err());
      ServeCommandTest.Run badName = route("http://127.0.0.1:" + server.getAddress().getPort() + "/route",
          "--router-name", "my router");
      assertEquals(2, badName.status(), badName.err());
      assertTrue(badName.err().contains("--router-name: router name 'my router' must be"), badName.err());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void rationalesAreCopiedAndTheNameLabelsTheSummary() throws Exception {
    HttpServer server = router("/route", "{\"tier\": \"mid\", \"rationale\": \"steady \\\"step\\\"\"}");
    try {
      ServeCommandTest.Run r = route("http://127.0.0.1:" + server.getAddress().getPort() + "/route",
          "--router-name", "uncommon");
      assertEquals(0, r.status(), r.err());
      assertTrue(r.err().contains("twinrouter: uncommon: wrote "), r.err());
    } finally {
      server.stop(0);
    }
    List<String> lines = Files.readAllLines(dir.resolve("out.jsonl"));
    assertEquals(56, lines.size());
    for (String line : lines) {
      JsonNode p = JSON.readTree(line);
      assertEquals("mid", p.get("tier").asText(), line);
      assertEquals("steady \"step\"", p.get("rationale").asText(), line);
    }
    // the rationale never changes the score: the file scores like one without it
    ServeCommandTest.Run scored = ServeCommandTest.cli("static", "score",
        "--bank", ServeCommandTest.FIXTURES.resolve("bank1.jsonl").toString(),
        "--predictions", dir.resolve("out.jsonl").toString(), "--tokenizer", ServeCommandTest.RULE, "--json");
    assertEquals(0, scored.status(), scored.err());
  }

  @Test
  void everyCallFailedIsExit1() throws Exception {
    HttpServer server = router("/route", "<html>not a decision</html>");
    try {
      ServeCommandTest.Run r = route("http://127.0.0.1:" + server.getAddress().getPort() + "/route");
      assertEquals(1, r.status(), r.err());
      assertTrue(r.err().contains("56 rows, 56 router errors"), r.err());
      assertTrue(r.err().contains("every router call failed; the first error: router http://127.0.0.1:"), r.err());
      assertEquals(56, Files.readAllLines(dir.resolve("out.jsonl")).size(), "the error rows are written all the same");
    } finally {
      server.stop(0);
    }
  }
}
