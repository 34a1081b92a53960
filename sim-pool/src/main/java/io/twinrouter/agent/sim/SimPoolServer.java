package io.twinrouter.agent.sim;

import com.sun.net.httpserver.HttpServer;
import io.twinrouter.agent.model.serve.LoopbackHttp;
import io.twinrouter.config.ModelPool;
import java.io.IOException;
import java.util.List;

/**
 * The simulated model pool: an OpenAI-compatible server on 127.0.0.1 answering for every model
 * of a pool, one behaviour per tier, over the tasks it was given. Agents reach it over HTTP
 * exactly as they would reach a real provider ({@code baseUrl()} ends in {@code /v1}).
 */
public final class SimPoolServer implements AutoCloseable {
  // A provider answers any number of calls at once; the simulated latency holds a thread per
  // call, so the pool grows to this many (a run of 200 cases at once needs 200) and shrinks back.
  private static final int MAX_THREADS = 512;

  private final HttpServer server;
  private final ChatCompletionsHandler chat;
  private final FaultPlan faults;
  private final int taskCount;

  private SimPoolServer(
      HttpServer server, ChatCompletionsHandler chat, FaultPlan faults,
      int taskCount) {
    this.server = server;
    this.chat = chat;
    this.faults = faults;
    this.taskCount = taskCount;
  }

  public static SimPoolServer start(ModelPool pool, List<SimTask> tasks, SimPoolOptions options)
      throws IOException {
    TaskIndex index = new TaskIndex(tasks);
    FaultPlan faults = new FaultPlan(options.failRate(), options.seed());
    if (options.failAfterCalls() >= 0) {
      faults.failAfter(options.failAfterCalls(), options.failAfterStatus());
    }
    SimPolicy policy = new SimPolicy(options.seed());
    PromptCache cache =
        new PromptCache(options.seed(), policy, options.cacheTtl(), options.meanLatency());
    ChatCompletionsHandler chat =
        new ChatCompletionsHandler(pool, index, policy, cache, faults, options);
    HttpServer server = LoopbackHttp.bind(options.port(), "sim-pool", MAX_THREADS);
    server.createContext("/v1/chat/completions", chat);
    server.createContext("/v1/messages", new MessagesHandler(chat, options));
    server.createContext("/v1/models", new ModelsHandler(pool));
    server.createContext("/", new NotFoundHandler());
    server.start();
    return new SimPoolServer(server, chat, faults, index.size());
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The OpenAI-compatible base URL, {@code http://127.0.0.1:<port>/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  /** Faults to inject into the next answers (tests of clients' retry paths). */
  public FaultPlan faults() {
    return faults;
  }

  public int taskCount() {
    return taskCount;
  }

  /** The most chat requests ever served at the same time. */
  public int maxConcurrentRequests() {
    return chat.maxInFlight();
  }

  public long chatRequests() {
    return chat.requests();
  }

  @Override
  public void close() {
    LoopbackHttp.stop(server);
  }
}
