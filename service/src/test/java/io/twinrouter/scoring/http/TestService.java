package io.twinrouter.scoring.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.twinrouter.bank.BankLoader;
import io.twinrouter.bank.tokens.TokenizerSet;
import io.twinrouter.bank.tokens.TokenizerSpec;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.scoring.service.ServedBank;
import io.twinrouter.scoring.service.StaticEvaluations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** A real scoring service on a free loopback port, and a JDK HTTP client to call it. */
final class TestService implements AutoCloseable {
  final ScoringServer server;
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Optional<String> token;

  private TestService(ScoringServer server, Optional<String> token) {
    this.server = server;
    this.token = token;
  }

  static HttpSettings settings(Optional<String> token, long maxBody) {
    return HttpSettings.from(ConfigFactory.load())
        .withAddress("127.0.0.1", 0)
        .withApiToken(token)
        .withMaxBodyBytes(maxBody);
  }

  static final TwinrouterSettings SETTINGS = TwinrouterSettings.load();

  static TestService start(HttpSettings settings, Supplier<List<ServedBank>> banks) throws Exception {
    ScoringServer s = ScoringServer.start(ConfigFactory.load(), settings, new StaticEvaluations(SETTINGS), banks)
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    return new TestService(s, settings.apiToken());
  }

  /** A ready service without a token serving the parity fixtures' bank1. */
  static TestService bank1() throws Exception {
    TestService svc = start(settings(Optional.empty(), 1 << 20), () -> List.of(fixtureBank("bank1.jsonl")));
    svc.awaitReady();
    return svc;
  }

  /** The parity fixtures' token rule, for every tier. */
  static final TokenizerSet FIXTURE_TOKENS = TokenizerSet.uniform(
      new TokenizerSpec.Regex(Pattern.compile("[A-Za-z0-9]+|[^A-Za-z0-9 \\t\\r\\u000B\\f]")));

  static Path fixtures() {
    return Path.of(System.getProperty("twinrouter.testdata")).resolve("fixtures/static-parity");
  }

  /** A parity fixture bank, served under its file's base name ({@code bank1}). */
  static ServedBank fixtureBank(String file) {
    try {
      return ServedBank.of(file.replace(".jsonl", ""), BankLoader.load(fixtures().resolve(file), FIXTURE_TOKENS));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
  }

  HttpRequest.Builder request(String pathAndQuery) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30));
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return b;
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return labelFree(client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString()));
  }

  HttpResponse<String> post(String path, String contentType, String body) throws IOException, InterruptedException {
    return labelFree(client.send(
        request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString()));
  }

  /**
   * Labels stay on the server: no answer of any test may carry one (the OpenAPI document names
   * the fields only to forbid them).
   */
  static HttpResponse<String> labelFree(HttpResponse<String> r) {
    if (!r.uri().getPath().equals("/openapi.yaml") && r.body().contains("target_tier")) {
      throw new AssertionError("a label left the server: " + r.uri() + " -> " + r.body());
    }
    return r;
  }

  static JsonNode json(HttpResponse<String> r) throws IOException {
    return JsonSupport.MAPPER.readTree(r.body());
  }

  /** Asserts the status and the JSON error body, and returns the error code. */
  static String assertError(int status, HttpResponse<String> r) throws IOException {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""), r.body());
    JsonNode body = json(r);
    assertEquals(2, body.size(), r.body());
    if (!body.path("error").isTextual() || !body.path("detail").isTextual()) {
      throw new AssertionError("not an error body: " + r.body());
    }
    return body.get("error").asText();
  }

  /** Polls /health until it answers 200. */
  void awaitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    HttpResponse<String> health;
    while ((health = get("/health")).statusCode() != 200) {
      if (System.nanoTime() > deadline || health.body().contains("\"failed\"")) {
        throw new AssertionError("the service never became ready: " + get("/health").body());
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
