package io.twinrouter.orchestrator.cli;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.twinrouter.bank.BundledBank;
import io.twinrouter.bank.tokens.TokenCountCache;
import io.twinrouter.console.InputException;
import io.twinrouter.scoring.http.HttpSettings;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The CLI's connection to a running {@code twinrouter serve}, as the {@code --server} options
 * use it: requests with the bearer token of {@code TWINROUTER_API_TOKEN}, the service's errors
 * turned into the CLI's (a 4xx is the user's input, exit 2), and the bank found by its file's
 * SHA-256, so the service works on exactly the bytes the command was given.
 */
final class ServerClient {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final URI server;
  private final HttpClient http;
  private final Optional<String> token;

  /** A client of the service at {@code server}, with the token the environment gives. */
  static ServerClient of(URI server) {
    return new ServerClient(server, Optional.ofNullable(System.getenv(HttpSettings.TOKEN_ENV)));
  }

  ServerClient(URI server, Optional<String> token) {
    String text = server.toString();
    this.server = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    if (!"http".equals(this.server.getScheme()) && !"https".equals(this.server.getScheme())) {
      throw new InputException("--server: expected an http:// URL of 'twinrouter serve', got "
          + server);
    }
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    this.token = token.filter(t -> !t.isBlank());
  }

  URI server() {
    return server;
  }

  /**
   * The name under which the service serves the bank in {@code file}; with {@code tokenizers},
   * only a bank whose tokens are counted that way (a summary depends on it, a router's answers
   * do not).
   */
  String bankName(Path file, Optional<String> tokenizers)
      throws IOException, InterruptedException {
    String sha = TokenCountCache.sha256Hex(BundledBank.isBundled(file)
        ? BundledBank.bytes() : readBank(file));
    JsonNode banks = parse(send(get("/v1/static/banks"))).path("banks");
    JsonNode sameBytes = null;
    for (JsonNode bank : banks) {
      if (sha.equals(bank.path("sha256").asText())) {
        sameBytes = bank;
        if (tokenizers.isEmpty() || tokenizers.get().equals(bank.path("tokenizers").asText())) {
          return bank.path("name").asText();
        }
      }
    }
    if (sameBytes != null) {
      throw new InputException("--server: " + server + " serves " + file + " as '"
          + sameBytes.path("name").asText() + "' but counts tokens by "
          + sameBytes.path("tokenizers").asText() + ", this command by " + tokenizers.get());
    }
    throw new InputException("--server: " + server + " does not serve " + file + " (sha256 "
        + sha + "); start it with 'twinrouter serve --bank NAME=" + file + "'");
  }

  HttpRequest get(String path) {
    return request(path).GET().build();
  }

  HttpRequest.Builder request(String path) {
    return untimed(path).timeout(TIMEOUT);
  }

  /** A request without a time limit, for a stream that lasts as long as the job it follows. */
  HttpRequest.Builder untimed(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + path));
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return b;
  }

  /** The body of a 2xx; a 4xx is the user's input (exit 2), anything else a failure. */
  byte[] send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<byte[]> response = exchange(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() / 100 != 2) {
      throw refusal(request, response.statusCode(), response.body());
    }
    return response.body();
  }

  /** The lines of a 2xx body as they arrive (server-sent events); errors as {@link #send}. */
  Stream<String> lines(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<Stream<String>> response = exchange(request, HttpResponse.BodyHandlers.ofLines());
    if (response.statusCode() / 100 != 2) {
      try (Stream<String> body = response.body()) {
        throw refusal(request, response.statusCode(),
            String.join("\n", body.toList()).getBytes(StandardCharsets.UTF_8));
      }
    }
    return response.body();
  }

  private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    try {
      return http.send(request, handler);
    } catch (ConnectException e) {
      throw new InputException("--server: nothing answers at " + server
          + " (is 'twinrouter serve' running?)", e);
    }
  }

  /**
   * What a non-2xx answer means: a 4xx is thrown here as an {@link InputException} in the
   * service's words; anything else is returned as the failure to throw.
   */
  private static IOException refusal(HttpRequest request, int status, byte[] body) {
    String detail = errorText(body);
    if (status >= 400 && status < 500) {
      throw new InputException("--server: " + request.method() + " " + request.uri().getPath()
          + " answered " + status + ": " + detail);
    }
    return new IOException(request.method() + " " + request.uri() + " answered " + status + ": "
        + detail);
  }

  static JsonNode parse(byte[] json) throws IOException {
    return JSON.readTree(json);
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String errorText(byte[] bytes) {
    try {
      JsonNode error = JSON.readTree(bytes);
      if (error != null && error.has("detail")) {
        return error.path("detail").asText();
      }
    } catch (IOException e) {
      // not the service's JSON error body: show it as text
    }
    return new String(bytes, StandardCharsets.UTF_8).strip();
  }

  private static byte[] readBank(Path file) throws IOException {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InputException(file + ": question bank not found", e);
    }
  }
}
