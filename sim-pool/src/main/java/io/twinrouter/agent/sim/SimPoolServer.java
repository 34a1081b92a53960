package io.twinrouter.agent.sim;

import com.sun.net.httpserver.HttpServer;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.PoolModel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulated model pool: an OpenAI-compatible server on 127.0.0.1 answering for every model
 * of a pool, one behaviour per tier, over the tasks it was given. Agents reach it over HTTP
 * exactly as they would reach a real provider ({@code baseUrl()} ends in {@code /v1}).
 */
public final class SimPoolServer implements AutoCloseable {
  // A provider answers any number of calls at once; the simulated latency holds a thread per
  // call, so the pool grows to this many (a run of 200 cases at once needs 200) and shrinks back.
  private static final int MAX_THREADS = 512;

  static {
    // Without TCP_NODELAY, Nagle's algorithm and delayed ACKs add tens of milliseconds to every
    // small answer; read once when the JDK server's configuration class loads.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final ChatCompletionsHandler chat;
  private final FaultPlan faults;
  private final int taskCount;

  private SimPoolServer(
      HttpServer server, ExecutorService executor, ChatCompletionsHandler chat, FaultPlan faults,
      int taskCount) {
    this.server = server;
    this.executor = executor;
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
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 1024);
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            MAX_THREADS, MAX_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "sim-pool-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    executor.allowCoreThreadTimeOut(true);
    server.setExecutor(executor);
    server.createContext("/v1/chat/completions", chat);
    server.createContext("/v1/messages", new MessagesHandler(chat, options));
    server.createContext("/v1/models", new ModelsHandler(pool));
    server.createContext("/", new NotFoundHandler());
    server.start();
    return new SimPoolServer(server, executor, chat, faults, index.size());
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
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
