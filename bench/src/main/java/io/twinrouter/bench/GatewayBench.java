package io.twinrouter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.twinrouter.agent.model.ModelClient;
import io.twinrouter.agent.model.ModelClientSettings;
import io.twinrouter.agent.model.ModelTurn;
import io.twinrouter.agent.model.RequestOptions;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.PoolModel;
import io.twinrouter.gateway.MeteredCalls;
import io.twinrouter.gateway.MeteringGateway;
import io.twinrouter.gateway.StepMarker;
import io.twinrouter.gateway.Upstream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The metering gateway's overhead per forwarded call: the same request through the model client
 * straight to a loopback model, and through the gateway (step marker found and removed, the call
 * forwarded with the model client, metered, attributed and logged) to the same model, one after
 * the other in the same process, in alternating order. The model answers a fixed completion at
 * once, so the difference of each pair is the gateway's own time plus one loopback hop.
 */
public final class GatewayBench {
  static {
    // The loopback model is a JDK server too, started before the gateway's class sets this:
    // without TCP_NODELAY each answer waits ~40 ms for a delayed ACK, on both sides of the pair.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private GatewayBench() {}

  public static void run(ModelPool lockedPool, ModelClientSettings settings, int calls,
      int messages, int messageChars, PrintStream out) throws Exception {
    try (LoopbackModel model = LoopbackModel.start()) {
      ModelPool direct = lockedPool.withBaseUrl(model.baseUrl());
      ModelClient client = ModelClient.create(settings);
      try (MeteringGateway gateway = MeteringGateway.start(direct, Upstream.forwarding(client),
          MeteredCalls.inMemory(MeteredCalls.Attribution.REQUIRED), 0, 64 << 20)) {
        ModelPool viaGateway = lockedPool.withBaseUrl(gateway.baseUrl());
        PoolModel toModel = direct.models().get(0);
        PoolModel toGateway = viaGateway.models().get(0);
        ArrayNode conversation = conversation(messages, messageChars);
        int warmUp = Math.min(calls, 500);
        long[][] warm = measure(warmUp, client, toModel, toGateway, gateway, conversation);
        long[][] timed = measure(calls, client, toModel, toGateway, gateway, conversation);
        long[] overhead = new long[calls];
        for (int i = 0; i < calls; i++) {
          overhead[i] = timed[1][i] - timed[0][i];
        }
        out.printf("gateway overhead: %d calls after %d warm-up pairs, a conversation of %d"
            + " messages of %d chars (%d KiB), one call at a time%n", calls, warm[0].length,
            messages, messageChars, conversation.toString().length() / 1024);
        out.printf("%-36s %9s %9s %9s %9s%n", "", "p50 ms", "p90 ms", "p99 ms", "max ms");
        print("direct (model client -> model)", timed[0], out);
        print("through the gateway", timed[1], out);
        print("overhead per call (pairwise)", overhead, out);
        out.printf("through / direct: %.2fx at p50, %.2fx at p99; %d calls metered, $%.6f%n",
            pct(timed[1], 50) / pct(timed[0], 50), pct(timed[1], 99) / pct(timed[0], 99),
            gateway.ledger().calls(), gateway.ledger().costUsd());
        // wall times on a busy machine are mostly waits for a core; the CPU the process spends
        // per call is not, and the gateway's share of it is what it costs to be in the path
        int n = Math.min(calls, 1000);
        long c0 = JvmReadings.processCpuNanos();
        for (int i = 0; i < n; i++) {
          direct(client, toModel, conversation);
        }
        long c1 = JvmReadings.processCpuNanos();
        for (int i = 0; i < n; i++) {
          through(client, toGateway, gateway, conversation);
        }
        long c2 = JvmReadings.processCpuNanos();
        out.printf("process CPU per call: direct %.0f us, through the gateway %.0f us: the gateway"
            + " costs %.0f us of CPU per forwarded call (%d calls each)%n", (c1 - c0) / 1e3 / n,
            (c2 - c1) / 1e3 / n, ((c2 - c1) - (c1 - c0)) / 1e3 / n, n);
      }
    }
  }

  /** [0]: direct latencies, [1]: through the gateway, in nanoseconds, pair by pair. */
  private static long[][] measure(int n, ModelClient client, PoolModel toModel,
      PoolModel toGateway, MeteringGateway gateway, ArrayNode conversation) {
    long[][] t = new long[2][n];
    for (int i = 0; i < n; i++) {
      if (i % 2 == 0) {
        t[0][i] = direct(client, toModel, conversation);
        t[1][i] = through(client, toGateway, gateway, conversation);
      } else {
        t[1][i] = through(client, toGateway, gateway, conversation);
        t[0][i] = direct(client, toModel, conversation);
      }
    }
    return t;
  }

  private static long direct(ModelClient client, PoolModel model, ArrayNode conversation) {
    List<JsonNode> messages = new ArrayList<>();
    conversation.forEach(messages::add);
    long t0 = System.nanoTime();
    call(client, model, messages);
    return System.nanoTime() - t0;
  }

  private static long through(ModelClient client, PoolModel model, MeteringGateway gateway,
      ArrayNode conversation) {
    ArrayNode marked = conversation.deepCopy();
    String token = gateway.ledger().open("bench", 0);
    StepMarker.place(marked, token);
    List<JsonNode> messages = new ArrayList<>();
    marked.forEach(messages::add);
    long t0 = System.nanoTime();
    call(client, model, messages);
    long elapsed = System.nanoTime() - t0;
    if (gateway.ledger().close(token).size() != 1) {
      throw new IllegalStateException("the gateway did not attribute the call");
    }
    return elapsed;
  }

  private static void call(ModelClient client, PoolModel model, List<JsonNode> messages) {
    if (!(client.complete(model, messages, List.of(), RequestOptions.miniDefaults())
        instanceof ModelTurn)) {
      throw new IllegalStateException("the loopback model refused a call");
    }
  }

  private static ArrayNode conversation(int messages, int chars) {
    ArrayNode m = JsonNodeFactory.instance.arrayNode();
    m.addObject().put("role", "system").put("content", "You are a helpful assistant.");
    String filler = "ls -la && cat src/module.py | head -50 # ".repeat(chars / 40 + 1)
        .substring(0, chars);
    for (int i = 1; i < messages; i++) {
      m.addObject().put("role", i % 2 == 1 ? "user" : "assistant").put("content", i + filler);
    }
    return m;
  }

  private static double pct(long[] nanos, double p) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    int i = (int) Math.min(s.length - 1, Math.max(0, Math.ceil(s.length * p / 100.0) - 1));
    return s[i] / 1e6;
  }

  private static void print(String name, long[] nanos, PrintStream out) {
    out.printf("%-36s %9.3f %9.3f %9.3f %9.3f%n", name, pct(nanos, 50), pct(nanos, 90),
        pct(nanos, 99), pct(nanos, 100));
  }

  /** A model on loopback that answers every chat request with the same short completion. */
  private static final class LoopbackModel implements AutoCloseable {
    private static final byte[] ANSWER = ("{\"id\":\"bench\",\"object\":\"chat.completion\","
        + "\"model\":\"bench\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":"
        + "{\"role\":\"assistant\",\"content\":\"THOUGHT: done\\n```bash\\necho ok\\n```\"}}],"
        + "\"usage\":{\"prompt_tokens\":1200,\"completion_tokens\":40,\"total_tokens\":1240}}")
        .getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService threads;

    private LoopbackModel(HttpServer server, ExecutorService threads) {
      this.server = server;
      this.threads = threads;
    }

    static LoopbackModel start() throws IOException {
      HttpServer server = HttpServer.create(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
      ExecutorService threads = Executors.newFixedThreadPool(4);
      server.setExecutor(threads);
      server.createContext("/", ex -> {
        try {
          ex.getRequestBody().readAllBytes();
          ex.getResponseHeaders().set("Content-Type", "application/json");
          ex.sendResponseHeaders(200, ANSWER.length);
          try (OutputStream o = ex.getResponseBody()) {
            o.write(ANSWER);
          }
        } finally {
          ex.close();
        }
      });
      server.start();
      return new LoopbackModel(server, threads);
    }

    String baseUrl() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    @Override
    public void close() {
      server.stop(0);
      threads.shutdownNow();
    }
  }
}
