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
          "--out", out.toString(), "--concurrency", "8", "--router-timeout", "2s");
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
        "--router", url, "--out", dir.resolve("out.jsonl").toString(), "--router-timeout", "2s"));
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

  /**
   * {@code --server}: the service routes with the same code, so the file, stdout and exit status
   * are the local command's, byte for byte; the service's refusals are exit 2 in its words.
   */
  @Test
  void routeWithServerWritesWhatItWritesLocally() throws Exception {
    // served with the parity fixtures' token rule: a router's answers do not depend on it
    ServeCommandTest.Serving serving = ServeCommandTest.serve("--port", "0",
        "--bank", "b1=" + ServeCommandTest.FIXTURES.resolve("bank1.jsonl"), "--tokenizer", ServeCommandTest.RULE);
    String url = "http://127.0.0.1:" + serving.server().port();
    // a tier by row id, a rationale on some rows, garbage (an error row) on others
    HttpServer mixed = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    mixed.createContext("/route", exchange -> {
      try (exchange) {
        String id = JSON.readTree(exchange.getRequestBody().readAllBytes()).get("row_id").asText();
        int h = Math.floorMod(id.hashCode(), 7);
        String answer = h == 0 ? "<html>oops</html>"
            : "{\"tier\": \"" + List.of("low", "mid", "mid_high", "high").get(h % 4) + "\""
                + (h == 3 ? ", \"rationale\": \"row " + id + "\"" : "") + "}";
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
      }
    });
    mixed.start();
    HttpServer garbage = router("/route", "<html>not a decision</html>");
    try {
      // exit 0 with error rows and rationales, then exit 1 when every call failed
      Map<String, Integer> statuses = new java.util.LinkedHashMap<>();
      statuses.put("http://127.0.0.1:" + mixed.getAddress().getPort() + "/route", 0);
      statuses.put("http://127.0.0.1:" + garbage.getAddress().getPort() + "/route", 1);
      for (String routerUrl : statuses.keySet()) {
        ServeCommandTest.Run local = route(routerUrl, "--concurrency", "4", "--router-name", "mine");
        assertEquals(statuses.get(routerUrl), local.status(), local.err());
        byte[] written = Files.readAllBytes(dir.resolve("out.jsonl"));
        assertTrue(new String(written, StandardCharsets.UTF_8).contains("\"error\""));
        Files.delete(dir.resolve("out.jsonl"));
        ServeCommandTest.Run remote = route(routerUrl, "--concurrency", "4", "--router-name", "mine",
            "--server", url);
        assertEquals(local.status(), remote.status(), remote.err());
        assertEquals(local.out(), remote.out());
        assertEquals(new String(written, StandardCharsets.UTF_8),
            Files.readString(dir.resolve("out.jsonl")), routerUrl);
        assertTrue(remote.err().contains("routed by " + url + " (bank 'b1')"), remote.err());
        assertTrue(remote.err().contains("twinrouter: mine: wrote "), remote.err());
      }

      // the router check before the run: the service's 400, in its words
      Files.delete(dir.resolve("out.jsonl"));
      int port;
      try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      ServeCommandTest.Run refused = route("http://127.0.0.1:" + port + "/route", "--server", url);
      assertEquals(2, refused.status(), refused.err());
      assertTrue(refused.err().contains("answered 400: field 'router': router 'http-" + port
          + "' does not answer: cannot connect to router"), refused.err());
      assertFalse(Files.exists(dir.resolve("out.jsonl")));
      // a host off the service's allowlist: never called, and the message says where to change it
      ServeCommandTest.Run offList = route("http://router.invalid/route", "--server", url);
      assertEquals(2, offList.status(), offList.err());
      assertTrue(offList.err().contains("is not in twinrouter.http.router-hosts [loopback]")
          && offList.err().contains("leave out --server"), offList.err());
      // what the service cannot do is refused before anything is sent
      ServeCommandTest.Run java = route("java:com.example.Router", "--server", url);
      assertEquals(2, java.status(), java.err());
      assertTrue(java.err().contains("java: routers run only in this process"), java.err());
      ServeCommandTest.Run wide = route("heuristic", "--concurrency", "1000", "--server", url);
      assertEquals(2, wide.status(), wide.err());
      assertTrue(wide.err().contains("--concurrency: the service runs at most 256"), wide.err());
      Path other = Files.writeString(dir.resolve("other.jsonl"), "{}\n");
      ServeCommandTest.Run unserved = ServeCommandTest.cli("static", "route", "--bank", other.toString(),
          "--router", "heuristic", "--out", dir.resolve("out.jsonl").toString(), "--server", url);
      assertEquals(2, unserved.status(), unserved.err());
      assertTrue(unserved.err().contains("does not serve " + other), unserved.err());
      assertFalse(Files.exists(dir.resolve("out.jsonl")));
    } finally {
      mixed.stop(0);
      garbage.stop(0);
      serving.server().close();
    }
    assertEquals(0, serving.status().get(30, java.util.concurrent.TimeUnit.SECONDS));
  }
}
