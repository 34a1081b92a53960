package io.twinrouter.orchestrator.cli;

import io.twinrouter.bank.LoadedBank;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.InputException;
import io.twinrouter.console.ProgressBar;
import io.twinrouter.gateway.MeteredCalls;
import io.twinrouter.gateway.GatewaySettings;
import io.twinrouter.gateway.MeteringGateway;
import io.twinrouter.gateway.ProxyRouter;
import io.twinrouter.gateway.Upstream;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterCheck;
import io.twinrouter.scoring.http.EvaluationRoutes;
import io.twinrouter.scoring.service.RowRouting;
import io.twinrouter.scoring.service.ServedBank;
import io.twinrouter.scoring.service.StaticEvaluations;
import io.twinrouter.scoring.statictrack.Prediction;
import io.twinrouter.scoring.statictrack.PredictionLines;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code twinrouter static route}: asks a router for every row of a bank (the router protocol,
 * router-visible context only) and writes a prediction file that {@code static score} reads.
 */
@Command(
    name = "route",
    mixinStandardHelpOptions = true,
    description = {
      "Asks a router for every row of a question bank and writes a prediction file: "
          + "{\"id\", \"tier\"} per row (with the router's \"rationale\" when it gave one), or "
          + "{\"id\", \"error\"} where the router timed out, failed, answered garbage or named a "
          + "model outside the pool.",
      "The router is a built-in name (always-low, random, round-robin, heuristic, oracle, knn, "
          + "...), java:CLASS, or an http:// URL speaking the router protocol. It is asked once "
          + "with the first row before the others; when nothing answers (connection refused, no "
          + "answer in time, HTTP 401/403/404/405) the command says so and exits 2."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:written (router errors are error rows)",
        "1:written, but every row is an error row",
        "2:bad input, or a router that does not answer (with --server: a bank, router or option"
            + " the service refuses)"})
public final class StaticRouteCommand implements Callable<Integer> {
  @CommandLine.Mixin StaticCommand.BankOptions bankOptions;

  @Option(names = "--router", required = true, paramLabel = "NAME|URL",
      description = "The router: a built-in name, java:CLASS, an http:// URL, or proxy:URL (a"
          + " routing proxy; the gateway answers its upstream calls with a canned completion and"
          + " the model it asked for is the prediction).")
  String router;

  @CommandLine.Mixin GatewayOptions gateway = new GatewayOptions();

  @Option(names = "--router-name", paramLabel = "NAME",
      description = "The router's name on stderr's summary (letters, digits, . _ -); give the same"
          + " name to static score --label and gap --predictions NAME=FILE. Default: a built-in's"
          + " own name; http-PORT for a URL.")
  String routerName;

  @Option(names = "--out", required = true, paramLabel = "FILE",
      description = "The prediction file to write (JSONL, in bank row order).")
  Path out;

  @Option(names = "--concurrency", defaultValue = "16", paramLabel = "N",
      description = "Router calls in flight at once (default ${DEFAULT-VALUE}).")
  int concurrency;

  @CommandLine.Mixin RouterTimeoutOption routerTimeout = new RouterTimeoutOption();

  /** The earlier name of --router-timeout, in milliseconds; kept so scripts keep working. */
  @Option(names = "--timeout-ms", paramLabel = "MS", hidden = true)
  Long timeoutMs;

  @Option(names = "--server", paramLabel = "URL",
      description = "Route on a running 'twinrouter serve' at URL instead of here: the same "
          + "prediction file, byte for byte, and the same exit status. The service must serve this"
          + " very bank file (matched by SHA-256); it calls the router itself, from where it runs,"
          + " and only on the hosts of twinrouter.http.router-hosts (default loopback). Not with "
          + "java:CLASS routers.")
  URI server;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private java.io.PrintWriter err() {
    return spec.commandLine().getErr();
  }

  @Override
  public Integer call() throws Exception {
    if (concurrency < 1 || concurrency > 1024) {
      throw new InputException("--concurrency: must be in 1..1024, got " + concurrency);
    }
    if (timeoutMs != null && timeoutMs < 1) {
      throw new InputException("--timeout-ms: must be positive, got " + timeoutMs);
    }
    if (timeoutMs != null && routerTimeout.timeout != null) {
      throw new InputException("--timeout-ms is the earlier name of --router-timeout: give one");
    }
    TwinrouterSettings settings =
        gateway.apply(routerTimeout.apply(TwinrouterSettings.load()), router);
    Duration timeout = timeoutMs != null ? Duration.ofMillis(timeoutMs) : settings.liveTrack().selectTimeout();
    if (server != null) {
      if (ProxyRouter.isProxy(router)) {
        throw new InputException("--server: a proxy: router is evaluated here, through this"
            + " process's gateway; leave out --server");
      }
      return routeOnServer(timeout);
    }
    if (ProxyRouter.isProxy(router)) {
      GatewaySettings g = GatewaySettings.from(settings.raw());
      try (MeteringGateway canned = MeteringGateway.start(settings.pool(), Upstream.canned(),
          MeteredCalls.inMemory(MeteredCalls.Attribution.REQUIRED), g.port(), g.maxBodyBytes())) {
        err().println("gateway: " + canned.baseUrl() + " (the proxy's upstream; canned answers,"
            + " no model is called)");
        err().flush();
        return route(settings, timeout, new ProxyRouter(router, g.proxyModel(),
            canned.ledger(), settings.pool(), timeout, RouterNameOption.checked(routerName)));
      } catch (IOException e) {
        throw new InputException("--gateway-port: cannot listen on 127.0.0.1:" + g.port() + ": "
            + e.getMessage(), e);
      }
    }
    return route(settings, timeout, null);
  }

  /** Routes every row with {@code given} (a proxy router), else with the router named. */
  private int route(TwinrouterSettings settings, Duration timeout, Router given)
      throws Exception {
    StaticEvaluations statics = new StaticEvaluations(settings);
    LoadedBank loaded = bankOptions.load(settings.staticTrack(), err());
    ServedBank bank = ServedBank.of(loaded.name(), loaded);
    Router chosen = given;
    try {
      if (chosen == null) {
        chosen = statics.router(router, RouterNameOption.checked(routerName), bank, timeout);
      }
    } catch (IllegalArgumentException e) {
      throw new InputException("--router: " + e.getMessage(), e);
    }
    try {
      RouterCheck.answers(chosen, statics.context(bank, 0));
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
    }
    ExecutorService workers = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
    Prediction[] answers;
    long start = System.nanoTime();
    try (ProgressBar bar = new ProgressBar("routing " + loaded.name(), bank.rows())) {
      answers = new RowRouting(statics, workers)
          .routeAll(bank, chosen, concurrency, (done, errors) -> bar.update(done, errors + " errors"))
          .toCompletableFuture().get();
    } finally {
      workers.shutdownNow();
    }
    write(PredictionLines.jsonl(bank.bank(), answers));
    int errors = PredictionLines.errors(answers);
    return finish(chosen.name(), answers.length, errors,
        errors == answers.length ? ((Prediction.Failed) answers[0]).error() : null, start);
  }

  /** The job sent to a running service; see {@link ServerRouting}. */
  private int routeOnServer(Duration timeout) throws IOException, InterruptedException {
    // what the service cannot do is refused here, before the bank is hashed
    if (router.strip().startsWith("java:")) {
      throw new InputException("--server: java: routers run only in this process; leave out "
          + "--server to use one");
    }
    if (concurrency > EvaluationRoutes.MAX_CONCURRENCY) {
      throw new InputException("--concurrency: the service runs at most "
          + EvaluationRoutes.MAX_CONCURRENCY + " calls at once per job, got " + concurrency);
    }
    if (timeout.toMillis() > Integer.MAX_VALUE) {
      throw new InputException("--router-timeout: the service takes at most " + Integer.MAX_VALUE
          + " ms, got " + timeout.toMillis());
    }
    String label = RouterNameOption.checked(routerName);
    ServerClient service = ServerClient.of(server);
    // a router's answers do not depend on token counts: any tokenizers will do
    String bank = service.bankName(bankOptions.bank, Optional.empty());
    long start = System.nanoTime();
    ServerRouting.Routed routed = new ServerRouting(service)
        .route(bank, router, label, concurrency, timeout);
    err().printf("twinrouter: routed by %s (bank '%s')%n", server, bank);
    write(routed.jsonl());
    return finish(routed.router(), routed.rows(), routed.errors(), routed.firstError(), start);
  }

  /** The summary on stderr and the exit status: 1 when every call failed, as the help says. */
  private int finish(String routerName, int rows, int errors, String firstError, long start) {
    double seconds = (System.nanoTime() - start) / 1e9;
    err().printf("twinrouter: %s: wrote %s: %d rows, %d router errors, %.1f s (%.0f calls/s)%n",
        routerName, out, rows, errors, seconds, rows / seconds);
    if (errors == rows) {
      err().printf("twinrouter: every router call failed; the first error: %s%n", firstError);
      err().flush();
      return 1;
    }
    err().flush();
    return 0;
  }

  /** Written beside the target and moved into place: an interrupted run leaves no partial file. */
  private void write(byte[] jsonl) throws IOException {
    Path dir = out.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + out.getFileName(), ".tmp");
    try {
      Files.write(tmp, jsonl);
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
