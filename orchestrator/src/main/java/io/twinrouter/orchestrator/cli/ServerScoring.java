package io.twinrouter.orchestrator.cli;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.bank.BundledBank;
import io.twinrouter.bank.tokens.TokenCountCache;
import io.twinrouter.console.InputException;
import io.twinrouter.scoring.json.PythonJsonWriter;
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

/**
 * {@code static score --server URL}: the same job sent to a running {@code twinrouter serve},
 * which keeps its banks loaded and tokenized. The bank is found on the service by its file's
 * SHA-256, so the service scores exactly the bytes this command was given, and only when it
 * counts tokens the way this command would. The answer is the summary {@code static score --json}
 * prints, byte for byte.
 */
final class ServerScoring {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final URI server;
  private final HttpClient http;
  private final Optional<String> token;

  ServerScoring(URI server, Optional<String> token) {
    String text = server.toString();
    this.server = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    if (!"http".equals(this.server.getScheme()) && !"https".equals(this.server.getScheme())) {
      throw new InputException("--server: expected an http:// URL of 'twinrouter serve', got "
          + server);
    }
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    this.token = token.filter(t -> !t.isBlank());
  }

  /** The name under which the service serves the bank in {@code file}, checked as said above. */
  String bankName(Path file, String tokenizers) throws IOException, InterruptedException {
    String sha = TokenCountCache.sha256Hex(BundledBank.isBundled(file)
        ? BundledBank.bytes() : readBank(file));
    JsonNode banks = JSON.readTree(send(get("/v1/static/banks"))).path("banks");
    JsonNode sameBytes = null;
    for (JsonNode bank : banks) {
      if (sha.equals(bank.path("sha256").asText())) {
        sameBytes = bank;
        if (tokenizers.equals(bank.path("tokenizers").asText())) {
          return bank.path("name").asText();
        }
      }
    }
    if (sameBytes != null) {
      throw new InputException("--server: " + server + " serves " + file + " as '"
          + sameBytes.path("name").asText() + "' but counts tokens by "
          + sameBytes.path("tokenizers").asText() + ", this command by " + tokenizers);
    }
    throw new InputException("--server: " + server + " does not serve " + file + " (sha256 "
        + sha + "); start it with 'twinrouter serve --bank NAME=" + file + "'");
  }

  /**
   * The summary of the predictions in {@code predictions} on the served bank, as the bytes the
   * service wrote, with {@code shard} set to {@code shard} when the service's file has another
   * name.
   */
  byte[] score(String bank, Path predictions, String label, long seed, Integer sample,
      String shard) throws IOException, InterruptedException {
    StringBuilder query = new StringBuilder("?label=").append(encode(label))
        .append("&seed=").append(seed);
    if (sample != null) {
      query.append("&sample=").append(sample);
    }
    byte[] body;
    try {
      body = Files.readAllBytes(predictions);
    } catch (NoSuchFileException e) {
      throw new InputException(predictions + ": prediction file not found", e);
    }
    HttpRequest request = request("/v1/static/banks/" + encode(bank) + "/score" + query)
        .header("Content-Type", "application/x-ndjson")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    byte[] summary = send(request);
    ObjectNode parsed = (ObjectNode) JSON.readTree(summary);
    if (shard.equals(parsed.path("shard").asText())) {
      return summary;
    }
    parsed.put("shard", shard);
    return PythonJsonWriter.write(parsed).getBytes(StandardCharsets.UTF_8);
  }

  /** A summary's bytes as a tree, for the table view. */
  static JsonNode parse(byte[] summary) throws IOException {
    return JSON.readTree(summary);
  }

  private HttpRequest get(String path) {
    return request(path).GET().build();
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + path)).timeout(TIMEOUT);
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return b;
  }

  /** The body of a 200; a 4xx is the user's input (exit 2), anything else a failure. */
  private byte[] send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (ConnectException e) {
      throw new InputException("--server: nothing answers at " + server
          + " (is 'twinrouter serve' running?)", e);
    }
    int status = response.statusCode();
    if (status == 200) {
      return response.body();
    }
    String detail = errorText(response.body());
    if (status >= 400 && status < 500) {
      throw new InputException("--server: " + request.method() + " " + request.uri().getPath()
          + " answered " + status + ": " + detail);
    }
    throw new IOException(request.method() + " " + request.uri() + " answered " + status + ": "
        + detail);
  }

  private static String errorText(byte[] body) {
    try {
      JsonNode error = JSON.readTree(body);
      if (error != null && error.has("detail")) {
        return error.path("detail").asText();
      }
    } catch (IOException e) {
      // not the service's JSON error body: show it as text
    }
    return new String(body, StandardCharsets.UTF_8).strip();
  }

  private static byte[] readBank(Path file) throws IOException {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InputException(file + ": question bank not found", e);
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
