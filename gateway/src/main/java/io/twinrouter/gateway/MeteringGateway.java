package io.twinrouter.gateway;

import com.sun.net.httpserver.HttpServer;
import io.twinrouter.config.ModelPool;
import java.io.IOException;
import io.twinrouter.agent.model.serve.LoopbackHttp;

/**
 * The metering gateway: an OpenAI-compatible server on 127.0.0.1 that a routing proxy calls as
 * its upstream. It serves every pool model under its model id and api-model, answers each call
 * through an {@link Upstream} (the model's real endpoint with the real key, which the proxy never
 * sees, or a canned completion) and records it in a {@link MeteredCalls}: model, usage, cost,
 * latency and the step it belongs to.
 *
 * <p>The JDK's server, as the simulated pool uses: each call holds a request thread while its
 * model answers (the model client blocks), so the pool of threads grows with the calls in flight.
 */
public final class MeteringGateway implements AutoCloseable {
  private static final int MAX_THREADS = 512;

  private final HttpServer server;
  private final MeteredCalls ledger;

  private MeteringGateway(HttpServer server, MeteredCalls ledger) {
    this.server = server;
    this.ledger = ledger;
  }

  /**
   * Listens on 127.0.0.1:{@code port} (0: a free port).
   *
   * @throws IOException when the port cannot be bound
   */
  public static MeteringGateway start(ModelPool pool, Upstream upstream, MeteredCalls ledger,
      int port, int maxBodyBytes) throws IOException {
    HttpServer server = LoopbackHttp.bind(port, "gateway", MAX_THREADS);
    server.createContext("/v1/chat/completions",
        new ChatForwarding(pool, upstream, ledger, maxBodyBytes));
    server.createContext("/v1/models", new GatewayModels(pool));
    server.createContext("/", ex -> {
      try {
        ChatForwarding.error(ex, 404, "invalid_request_error", "not_found",
            "the gateway serves POST /v1/chat/completions and GET /v1/models");
      } finally {
        ex.close();
      }
    });
    server.start();
    return new MeteringGateway(server, ledger);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The OpenAI-compatible base URL a proxy is given, {@code http://127.0.0.1:<port>/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  public MeteredCalls ledger() {
    return ledger;
  }

  @Override
  public void close() {
    LoopbackHttp.stop(server);
    ledger.close();
  }
}
