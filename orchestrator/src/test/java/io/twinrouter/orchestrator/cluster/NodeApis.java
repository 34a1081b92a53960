package io.twinrouter.orchestrator.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** The HTTP APIs of a test cluster's nodes (node i on 127.0.0.(2+i)): what each says of one live run. */
final class NodeApis {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int[] ports;
  private final String runId;

  /** The address node {@code i} of a test cluster binds, its HTTP API included. */
  static String host(int i) {
    return "127.0.0." + (2 + i);
  }

  NodeApis(int[] ports, String runId) {
    this.ports = ports.clone();
    this.runId = runId;
  }

  /** {@code GET /v1/live/runs/{id}} on node {@code i}; empty unless it answers 200. */
  Optional<JsonNode> run(int i) {
    return get(i, "");
  }

  /** {@code GET /v1/live/runs/{id}/score} on node {@code i}; empty unless it answers 200. */
  Optional<JsonNode> score(int i) {
    return get(i, "/score");
  }

  /** Node {@code i}'s run shows progress: the run is going and has billed steps. */
  boolean showsProgress(int i) {
    return run(i).map(r -> "running".equals(r.path("run").path("status").asText())
        && r.path("run").path("steps").asLong() > 0).orElse(false);
  }

  /**
   * {@code GET /v1/live/runs/{id}/events} on node {@code i} of a finished run: the whole stream
   * (one {@code case} event per case, then {@code done}), which ends by itself.
   */
  String events(int i) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(
            URI.create("http://" + host(i) + ":" + ports[i] + "/v1/live/runs/" + runId + "/events"))
        .timeout(Duration.ofSeconds(30)).GET().build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError("node " + i + ": events answered " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  /** Waits (up to {@code limit}) for node {@code i}'s score, which exists once the run is over. */
  JsonNode awaitScore(int i, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<JsonNode> score = score(i);
      if (score.isPresent()) {
        return score.get();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("node " + i + " (HTTP port " + ports[i] + ") has no score for "
        + runId + " after " + limit);
  }

  private Optional<JsonNode> get(int i, String suffix) {
    HttpRequest request = HttpRequest.newBuilder(
            URI.create("http://" + host(i) + ":" + ports[i] + "/v1/live/runs/" + runId + suffix))
        .timeout(Duration.ofSeconds(10)).GET().build();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // not listening yet, killed, or the registry is moving
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
