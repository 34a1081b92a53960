package io.twinrouter.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.agent.model.EndpointLimiter;
import io.twinrouter.agent.model.ModelClient;
import io.twinrouter.agent.model.ModelClientSettings;
import io.twinrouter.agent.model.ModelOutcome;
import io.twinrouter.agent.model.ModelTurn;
import io.twinrouter.agent.model.RequestOptions;
import io.twinrouter.agent.sim.SimPoolOptions;
import io.twinrouter.agent.sim.SimPoolServer;
import io.twinrouter.agent.sim.SimTask;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.Tier;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Model calls per second against the simulated pool over loopback HTTP: the {@link ModelClient}
 * (body building, endpoint limit, parsing, usage normalisation, pricing) next to a baseline, the
 * bare JDK client posting the same request bytes. Requests are the real conversations of every
 * task, recorded step by step first, so the pool does its full work (task lookup, policy, cl100k
 * counts, prompt cache) in both phases.
 */
public final class ModelClientBench {
  private ModelClientBench() {}

  private record Recorded(PoolModel model, List<ObjectNode> messages, String body) {}

  public static void run(
      ModelPool lockedPool, List<SimTask> tasks, SimPoolOptions options, ModelClientSettings settings,
      int requests, int concurrency, PrintStream out) throws Exception {
    ModelClientSettings s = settings.withMaxConcurrentPerEndpoint(Math.max(concurrency, 1));
    try (SimPoolServer server = SimPoolServer.start(lockedPool, tasks, options)) {
      ModelPool pool = lockedPool.withBaseUrl(server.baseUrl());
      ModelClient client = new ModelClient(s, new EndpointLimiter(concurrency), System::getenv);
      List<Recorded> workload = record(client, pool, tasks);
      HttpClient bare = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI chat = URI.create(server.baseUrl() + "/chat/completions");
      Phase warm = measure(Math.min(requests, 100), concurrency, workload, r -> bareCall(bare, chat, r));
      Phase baseline = measure(requests, concurrency, workload, r -> bareCall(bare, chat, r));
      Phase measured = measure(requests, concurrency, workload, r -> clientCall(client, r));
      out.printf("model client vs the simulated pool: %d tasks, %d distinct requests, %d requests per"
          + " phase, concurrency %d (warm-up %d)%n", tasks.size(), workload.size(), requests,
          concurrency, warm.latenciesMs.length);
      out.printf("%-34s %10s %10s %10s%n", "phase", "calls/s", "mean ms", "p95 ms");
      baseline.print("bare JDK client, same bytes", out);
      measured.print("ModelClient.complete", out);
      out.printf("ModelClient / baseline: %.2fx the time per call%n",
          measured.meanMs() / baseline.meanMs());
    }
  }

  /** Drives every task to submission with the high tier, keeping each request. */
  private static List<Recorded> record(ModelClient client, ModelPool pool, List<SimTask> tasks) {
    PoolModel high = pool.forTier(Tier.HIGH).orElse(pool.models().get(0));
    List<Recorded> out = new ArrayList<>();
    JsonNodeFactory f = JsonNodeFactory.instance;
    for (SimTask t : tasks) {
      List<ObjectNode> messages = new ArrayList<>();
      messages.add(f.objectNode().put("role", "system").put("content", "You are a helpful assistant."));
      messages.add(f.objectNode().put("role", "user")
          .put("content", "<pr_description>\n" + t.problemStatement() + "\n</pr_description>"));
      for (int step = 0; step < 40; step++) {
        PoolModel m = pool.models().get(step % pool.models().size());
        out.add(new Recorded(m, List.copyOf(messages), body(m, messages)));
        ModelOutcome o = client.complete(high, messages, List.of(), RequestOptions.miniDefaults());
        if (!(o instanceof ModelTurn turn)) {
          break;
        }
        messages.add(turn.message());
        String args = turn.toolCalls().isEmpty() ? "" : turn.toolCalls().get(0).arguments();
        if (args.contains("COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT")) {
          break;
        }
        messages.add(turn.toolCalls().isEmpty()
            ? f.objectNode().put("role", "user").put("content", "Tool call error: no tool calls")
            : f.objectNode().put("role", "tool").put("tool_call_id", turn.toolCalls().get(0).id())
                .put("content", "<returncode>0</returncode>\n<output>\nok\n</output>"));
      }
    }
    return out;
  }

  private static String body(PoolModel m, List<ObjectNode> messages) {
    ObjectNode b = JsonNodeFactory.instance.objectNode().put("model", m.modelId());
    b.putArray("messages").addAll(messages);
    b.put("temperature", 0.0);
    return b.toString();
  }

  private static void bareCall(HttpClient http, URI chat, Recorded r) throws Exception {
    HttpResponse<String> resp = http.send(
        HttpRequest.newBuilder(chat).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(r.body, StandardCharsets.UTF_8)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() != 200) {
      throw new IllegalStateException("simulated pool answered HTTP " + resp.statusCode());
    }
  }

  private static void clientCall(ModelClient client, Recorded r) {
    if (!(client.complete(r.model, r.messages, List.of(), RequestOptions.miniDefaults()) instanceof ModelTurn)) {
      throw new IllegalStateException("the simulated pool refused a recorded request");
    }
  }

  private interface Call {
    void run(Recorded r) throws Exception;
  }

  private record Phase(double seconds, double[] latenciesMs) {
    double meanMs() {
      return Arrays.stream(latenciesMs).average().orElse(0);
    }

    void print(String name, PrintStream out) {
      double[] sorted = latenciesMs.clone();
      Arrays.sort(sorted);
      double p95 = sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)];
      out.printf("%-34s %10.1f %10.2f %10.2f%n", name, latenciesMs.length / seconds, meanMs(), p95);
    }
  }

  private static Phase measure(int requests, int concurrency, List<Recorded> workload, Call call)
      throws Exception {
    double[] latencies = new double[requests];
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    long start = System.nanoTime();
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < concurrency; w++) {
        workers.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
            long t0 = System.nanoTime();
            call.run(workload.get(i % workload.size()));
            latencies[i] = (System.nanoTime() - t0) / 1e6;
          }
          return null;
        }));
      }
      for (Future<?> w : workers) {
        w.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return new Phase((System.nanoTime() - start) / 1e9, latencies);
  }
}
