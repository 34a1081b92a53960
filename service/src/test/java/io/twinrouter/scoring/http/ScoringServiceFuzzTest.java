package io.twinrouter.scoring.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.bank.BundledBank;
import io.twinrouter.scoring.service.LiveRuns;
import io.twinrouter.scoring.service.ServedBank;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A seeded mutation fuzzer over every route of the scoring service ({@link ApiRoutes#ENDPOINTS}):
 * valid requests, then their bodies truncated, bytes flipped or spans repeated, values swapped for
 * wrong types, nested thousands deep, past the body limit; path and query parameters empty, huge,
 * negative, non-numeric or oddly encoded; wrong methods and content types. Every answer must be
 * below 500, a 4xx must be JSON, none may hold a label ({@code target_tier}) or take longer than
 * the client's timeout, and afterwards the service answers as before. The gateway has no routes
 * yet, so only the scoring service is fuzzed.
 *
 * <p>Not jqwik: its releases (1.10.1 is the newest) run on JUnit Platform 1.x, and this build runs
 * JUnit 6, whose platform jqwik does not support; a plain seeded loop needs no engine. Seed, count
 * and time: {@code -Dtwinrouter.fuzz.seed}, {@code .cases}, {@code .seconds}; a failure prints the
 * seed and each failing request.
 */
class ScoringServiceFuzzTest {
  static final long SEED = Long.getLong("twinrouter.fuzz.seed", 18L);
  static final int CASES = Integer.getInteger("twinrouter.fuzz.cases", 1500);
  static final Duration BUDGET = Duration.ofSeconds(Long.getLong("twinrouter.fuzz.seconds", 90));
  static final int MAX_BODY = 256 * 1024;
  static final String LABEL = "target_tier";

  static TestService svc;
  static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static String predictionsJsonl;
  static String predictionsArray;
  static String jobId;
  static final String RUN_ID = "fuzz-run";

  @BeforeAll
  static void start() throws Exception {
    ServedBank bank = ServedBank.of("bundled", BundledBank.load(TestService.FIXTURE_TOKENS));
    svc = TestService.start(TestService.settings(Optional.empty(), MAX_BODY), () -> List.of(bank));
    svc.awaitReady();
    JsonNode page = TestService.json(svc.get("/v1/static/banks/bundled/prefixes?offset=0&limit=1000"));
    StringBuilder jsonl = new StringBuilder();
    ArrayNode array = JsonSupport.MAPPER.createArrayNode();
    String[] tiers = {"low", "mid", "mid_high", "high"};
    int i = 0;
    for (JsonNode row : rows(page)) {
      ObjectNode p = JsonSupport.MAPPER.createObjectNode().put("id", row.get("row_id").asText()).put("tier", tiers[i++ % 4]);
      jsonl.append(p).append('\n');
      array.add(p);
    }
    predictionsJsonl = jsonl.toString();
    predictionsArray = array.toString();
    var started = svc.post("/v1/static/banks/bundled/evaluations", "application/json", "{\"router\": \"always-low\"}");
    assertEquals(202, started.statusCode(), started.body());
    jobId = TestService.json(started).get("id").asText();
    svc.server.liveRuns().tell(new LiveRuns.Update(LiveRunsFixture.started(RUN_ID, List.of("a__b-1", "a__b-2"))));
    svc.server.liveRuns().tell(new LiveRuns.Update(LiveRunsFixture.reported(RUN_ID, "a__b-1", true, 0.5, 3)));
    svc.server.liveRuns().tell(new LiveRuns.Update(LiveRunsFixture.givenUp(RUN_ID, "a__b-2", 0.1)));
    svc.server.liveRuns().tell(new LiveRuns.Update(LiveRunsFixture.finished(RUN_ID)));
  }

  private static List<JsonNode> rows(JsonNode page) {
    JsonNode rows = page.has("rows") ? page.get("rows") : page.get("prefixes");
    List<JsonNode> out = new ArrayList<>();
    rows.forEach(out::add);
    if (out.isEmpty()) {
      throw new AssertionError("no rows in " + page);
    }
    return out;
  }

  @AfterAll
  static void stop() {
    if (svc != null) {
      svc.close();
    }
  }

  /** One request the fuzzer sends. */
  record Case(String method, String path, String contentType, byte[] body) {
    String describe() {
      String b = new String(body, StandardCharsets.UTF_8);
      return method + " " + (path.length() > 300 ? path.substring(0, 300) + "..." : path)
          + (contentType == null ? "" : " [" + contentType + "]") + " body(" + body.length + "): "
          + (b.length() > 300 ? b.substring(0, 300) + "..." : b);
    }
  }

  @Test
  void noRouteAnswers5xxHangsOrLeaksALabelAndTheServiceStaysHealthy() throws Exception {
    String before = score(predictionsJsonl);
    Random random = new Random(SEED);
    Mutator mutator = new Mutator(random, MAX_BODY);
    List<String> failures = new ArrayList<>();
    List<String> closed = new ArrayList<>();
    Map<String, Map<Integer, Integer>> statuses = new TreeMap<>();
    long deadline = System.nanoTime() + BUDGET.toNanos();
    int sent = 0;
    for (; sent < CASES && System.nanoTime() < deadline; sent++) {
      ApiRoutes.Endpoint endpoint = ApiRoutes.ENDPOINTS.get(random.nextInt(ApiRoutes.ENDPOINTS.size()));
      Case c = request(endpoint, random, mutator);
      String key = endpoint.method() + " " + endpoint.path();
      try {
        HttpResponse<String> r = send(c);
        statuses.computeIfAbsent(key, k -> new TreeMap<>()).merge(r.statusCode(), 1, Integer::sum);
        String problem = problem(c, r);
        if (problem != null && failures.size() < 30) {
          failures.add(problem + ": " + c.describe() + " -> " + excerpt(r.body()));
        }
      } catch (HttpTimeoutException e) {
        failures.add("no answer within 30 s: " + c.describe());
      } catch (java.io.IOException e) {
        // the server may close the connection on a request it refuses to read (a body past the
        // limit); what matters is that it answers the next one, checked below
        statuses.computeIfAbsent(key, k -> new TreeMap<>()).merge(-1, 1, Integer::sum);
        if (closed.size() < 5) {
          closed.add(e + ": " + c.describe());
        }
      }
    }
    System.out.println("scoring-service fuzz: seed " + SEED + ", " + sent + " requests; statuses per route "
        + "(-1: connection closed): " + statuses + "; closed by the server: " + closed);
    assertEquals(List.of(), failures, "seed " + SEED);
    assertEquals(200, svc.get("/health").statusCode(), "healthy after the run");
    assertEquals(before, score(predictionsJsonl), "scores as before the run");
  }

  private static String score(String predictions) throws Exception {
    var r = svc.post("/v1/static/banks/bundled/score?label=fuzz", "application/x-ndjson", predictions);
    assertEquals(200, r.statusCode(), r.body());
    return r.body();
  }

  /** What is wrong with an answer, or null. */
  static String problem(Case c, HttpResponse<String> r) {
    int status = r.statusCode();
    if (status >= 500) {
      return "HTTP " + status;
    }
    if (!c.path().startsWith("/openapi.yaml") && r.body().contains(LABEL)) {
      return "a label in the answer";
    }
    String type = r.headers().firstValue("Content-Type").orElse("");
    if (status >= 400 && !c.method().equals("HEAD") && !type.startsWith("application/json")) {
      return "HTTP " + status + " without a JSON body (" + type + ")";
    }
    return null;
  }

  private static HttpResponse<String> send(Case c) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + svc.server.port() + c.path()))
        .timeout(Duration.ofSeconds(30));
    if (c.contentType() != null) {
      b.header("Content-Type", c.contentType());
    }
    HttpRequest.BodyPublisher body = c.body().length == 0 && !c.method().equals("POST")
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(c.body());
    return client.send(b.method(c.method(), body).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
  private static final List<String> CONTENT_TYPES = List.of("application/json", "application/x-ndjson",
      "text/plain", "application/json; charset=ISO-8859-1", "x/y", "multipart/form-data; boundary=z",
      "application/x-www-form-urlencoded");

  /** A request for an endpoint: mostly its own method with parameters and body mutated. */
  static Case request(ApiRoutes.Endpoint e, Random random, Mutator m) {
    String method = random.nextInt(10) == 0 ? METHODS.get(random.nextInt(METHODS.size())) : e.method();
    StringBuilder path = new StringBuilder();
    for (String segment : e.path().substring(1).split("/", -1)) {
      path.append('/');
      if (segment.equals("{bank}")) {
        path.append(m.pathParameter("bundled"));
      } else if (segment.equals("{id}")) {
        path.append(m.pathParameter(e.path().contains("/live/") ? RUN_ID : jobId));
      } else {
        path.append(segment);
      }
    }
    if (e.path().endsWith("/prefixes")) {
      path.append(m.query(Map.of("offset", "0", "limit", "10")));
    } else if (e.path().endsWith("/score")) {
      path.append(m.query(Map.of("label", "x", "sample", "5", "seed", "7")));
    } else if (e.path().equals("/v1/gap")) {
      path.append(m.query(Map.of("bank", "bundled", "runs", "")));
    } else if (random.nextInt(8) == 0) {
      path.append(m.query(Map.of("x", "1")));
    }
    byte[] body = new byte[0];
    String type = null;
    if (method.equals("POST") || random.nextInt(10) == 0) {
      String seed;
      if (e.path().endsWith("/score")) {
        boolean lines = random.nextBoolean();
        seed = lines ? predictionsJsonl : predictionsArray;
        type = lines ? "application/x-ndjson" : "application/json";
      } else {
        seed = "{\"router\": \"always-low\", \"concurrency\": 2, \"timeout_ms\": 1000}";
        type = "application/json";
      }
      body = m.body(seed);
      if (random.nextInt(6) == 0) {
        type = random.nextInt(4) == 0 ? null : CONTENT_TYPES.get(random.nextInt(CONTENT_TYPES.size()));
      }
    }
    return new Case(method, path.toString(), type, body);
  }

  static String excerpt(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  /** The mutations, all drawn from one seeded {@link Random}. */
  static final class Mutator {
    private final Random random;
    private final int maxBody;
    private static final List<String> TOKENS = List.of("{", "}", "[", "]", "\"", ":", ",", "null", "true",
        "-1", "1e999", "99999999999999999999999", "\"\\u0000\"", "\\", "\n", "NaN", "\"" + LABEL + "\"",
        "\"id\"", "\"tier\"", "\"router\"", "{\"a\":", "\uD83D\uDE00", "\r\n");
    private static final List<String> PARAMETERS = List.of("", "-1", "0", "1", "2147483648",
        "99999999999999999999", "abc", "1.5", " 1", "1e3", "null", "ü", "%", "..", "../..", "\u0000", "💥",
        "bundled", "always-high", "true");

    Mutator(Random random, int maxBody) {
      this.random = random;
      this.maxBody = maxBody;
    }

    String pathParameter(String valid) {
      return switch (random.nextInt(7)) {
        case 0, 1, 6 -> valid;
        case 2 -> encode(PARAMETERS.get(random.nextInt(PARAMETERS.size())));
        case 3 -> encode(valid + PARAMETERS.get(random.nextInt(PARAMETERS.size())));
        case 4 -> "x".repeat(1 + random.nextInt(6000));
        default -> encode(new String(randomBytes(1 + random.nextInt(40)), StandardCharsets.UTF_8));
      };
    }

    String query(Map<String, String> valid) {
      StringBuilder q = new StringBuilder();
      for (Map.Entry<String, String> p : new TreeMap<>(valid).entrySet()) {
        int pick = random.nextInt(5);
        if (pick == 0) {
          continue; // omitted
        }
        String value = pick == 1 ? p.getValue()
            : pick == 2 ? "9".repeat(1 + random.nextInt(3000))
            : PARAMETERS.get(random.nextInt(PARAMETERS.size()));
        q.append(q.length() == 0 ? '?' : '&').append(p.getKey()).append('=').append(encode(value));
        if (random.nextInt(10) == 0) {
          q.append('&').append(p.getKey()).append('=').append(encode(value)); // repeated
        }
      }
      if (random.nextInt(10) == 0) {
        q.append(q.length() == 0 ? '?' : '&').append("unknown=").append(encode("x".repeat(random.nextInt(100))));
      }
      return q.toString();
    }

    byte[] body(String valid) {
      if (random.nextInt(8) == 0) {
        return valid.getBytes(StandardCharsets.UTF_8);
      }
      if (random.nextInt(4) == 0) {
        // well-formed JSON with one value of the wrong type reaches the routes' own checks
        return wrongType(valid).getBytes(StandardCharsets.UTF_8);
      }
      byte[] b = switch (random.nextInt(5)) {
        case 0 -> wrongType(valid).getBytes(StandardCharsets.UTF_8);
        case 1 -> nested(valid).getBytes(StandardCharsets.UTF_8);
        case 2 -> oversized(valid);
        default -> valid.getBytes(StandardCharsets.UTF_8);
      };
      for (int n = 1 + random.nextInt(3); n > 0 && b.length > 0; n--) {
        b = byteMutation(b);
      }
      return b;
    }

    private byte[] byteMutation(byte[] b) {
      int at = random.nextInt(b.length);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      switch (random.nextInt(6)) {
        case 0 -> out.write(b, 0, at); // truncated
        case 1 -> { // bytes flipped, invalid UTF-8 among them
          byte[] copy = b.clone();
          for (int i = 0; i < 1 + random.nextInt(8); i++) {
            copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
          }
          return copy;
        }
        case 2 -> { // a span deleted
          out.write(b, 0, at);
          int end = Math.min(b.length, at + 1 + random.nextInt(200));
          out.write(b, end, b.length - end);
        }
        case 3 -> { // a span repeated
          int len = Math.min(b.length - at, 1 + random.nextInt(50));
          out.write(b, 0, at + len);
          for (int i = random.nextInt(1000); i > 0 && out.size() < 2 * maxBody; i--) {
            out.write(b, at, len);
          }
          out.write(b, at + len, b.length - at - len);
        }
        default -> { // a token inserted
          out.write(b, 0, at);
          out.writeBytes(TOKENS.get(random.nextInt(TOKENS.size())).getBytes(StandardCharsets.UTF_8));
          out.write(b, at, b.length - at);
        }
      }
      return out.toByteArray();
    }

    /** A value of the first JSON document replaced by one of another type. */
    private String wrongType(String valid) {
      String first = valid.lines().findFirst().orElse(valid);
      try {
        JsonNode tree = JsonSupport.MAPPER.readTree(first);
        ObjectNode target = tree.isObject() ? (ObjectNode) tree
            : tree.isArray() && tree.size() > 0 && tree.get(0).isObject() ? (ObjectNode) tree.get(0) : null;
        if (target == null) {
          return valid;
        }
        List<String> names = new ArrayList<>();
        target.fieldNames().forEachRemaining(names::add);
        String field = names.get(random.nextInt(names.size()));
        switch (random.nextInt(7)) {
          case 0 -> target.putArray(field).add(1).add("x");
          case 1 -> target.putObject(field).put("a", 1);
          case 2 -> target.put(field, random.nextLong());
          case 3 -> target.putNull(field);
          case 4 -> target.put(field, random.nextBoolean());
          case 5 -> target.put(field, "y".repeat(random.nextInt(20_000)));
          default -> target.put(field, 1e308 * 10);
        }
        return valid.replace(first, tree.toString());
      } catch (Exception e) {
        return valid;
      }
    }

    private String nested(String valid) {
      int depth = List.of(100, 1000, 10_000, 60_000).get(random.nextInt(4));
      boolean objects = random.nextBoolean();
      String open = objects ? "{\"a\":" : "[";
      String close = objects ? "}" : "]";
      StringBuilder s = new StringBuilder();
      s.append(open.repeat(depth)).append(random.nextBoolean() ? valid.strip() : "1").append(close.repeat(depth));
      return s.toString();
    }

    private byte[] oversized(String valid) {
      byte[] one = valid.getBytes(StandardCharsets.UTF_8);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      while (out.size() <= maxBody) {
        out.writeBytes(one);
      }
      return out.toByteArray();
    }

    private byte[] randomBytes(int n) {
      byte[] b = new byte[n];
      random.nextBytes(b);
      return b;
    }

    /** Percent-encodes every byte that is not unreserved, so the URI is always well formed. */
    static String encode(String s) {
      StringBuilder out = new StringBuilder();
      for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
        int c = b & 0xff;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
          out.append((char) c);
        } else {
          out.append('%').append(String.format("%02X", c));
        }
      }
      return out.toString();
    }
  }
}
