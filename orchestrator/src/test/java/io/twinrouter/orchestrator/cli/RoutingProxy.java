package io.twinrouter.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.PoolModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The example routing proxy ({@code examples/routing_proxy/proxy.py}, Python standard library)
 * as a real server on loopback: it picks a model by its own rule, calls its upstream (the
 * gateway) and logs its choices, one JSON line per answered request.
 */
final class RoutingProxy implements AutoCloseable {
  static final Path SCRIPT = Path.of("..", "examples", "routing_proxy", "proxy.py");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final String url;
  private final Path log;

  private RoutingProxy(Process process, String url, Path log) {
    this.process = process;
    this.url = url;
    this.log = log;
  }

  /** Starts the proxy in {@code mode} with the pool's models, cheapest first, as its choices. */
  static RoutingProxy start(int gatewayPort, ModelPool pool, String mode, Path log)
      throws IOException {
    String models = pool.models().stream()
        .sorted((a, b) -> a.tier().compareTo(b.tier()))
        .map(PoolModel::modelId).collect(Collectors.joining(","));
    Process p = new ProcessBuilder("python3", SCRIPT.toString(),
        "--upstream", "http://127.0.0.1:" + gatewayPort + "/v1", "--models", models,
        "--port", "0", "--log", log.toString(), "--mode", mode)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("listening on ")) {
      p.destroy();
      throw new IOException("the routing proxy did not start: " + line);
    }
    return new RoutingProxy(p, line.substring("listening on ".length()).strip(), log);
  }

  /** A port nothing listens on now, for the gateway the proxy is told about before it starts. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** {@code proxy:<base URL>}. */
  String routerName() {
    return "proxy:" + url;
  }

  /** The proxy's own log of its choices. */
  List<JsonNode> choices() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    if (Files.exists(log)) {
      for (String line : Files.readAllLines(log)) {
        if (!line.isBlank()) {
          out.add(JSON.readTree(line));
        }
      }
    }
    return out;
  }

  /** The first user message as the proxy logged it, without a step marker the agent added. */
  static String withoutMarker(String text) {
    return text.replaceAll("\n\n\\[twinrouter-step:[0-9a-f]{32}\\]", "");
  }

  @Override
  public void close() {
    process.destroy();
  }
}
