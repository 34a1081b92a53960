package io.twinrouter.orchestrator.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.twinrouter.bank.BundledBank;
import io.twinrouter.bank.tokens.TokenCountCache;
import io.twinrouter.bank.tokens.TokenizerSet;
import io.twinrouter.config.InputFormatException;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.InputException;
import io.twinrouter.scoring.gap.GapReport;
import io.twinrouter.scoring.gap.GapSources;
import io.twinrouter.scoring.http.HttpSettings;
import io.twinrouter.scoring.http.ScoringServer;
import io.twinrouter.scoring.live.FinishedRun;
import io.twinrouter.scoring.live.RunDirectory;
import io.twinrouter.scoring.service.LiveRuns;
import io.twinrouter.scoring.service.ServedBank;
import io.twinrouter.scoring.service.StaticEvaluations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code twinrouter serve}: the scoring service over HTTP until interrupted. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves static-track scoring over HTTP (Pekko HTTP): the banks' router-visible rows, "
          + "scoring of prediction sets, router evaluations as jobs. Labels never leave the server.",
      "With --runs, also finished live runs: their cases and score.json under /v1/live/runs.",
      "GET /health answers 200 once the banks are loaded; GET /openapi.yaml documents every route.",
      "When TWINROUTER_API_TOKEN is set, every route but /health requires "
          + "'Authorization: Bearer <token>'."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:stopped", "1:the service failed", "2:bad input (a bank, an option)"})
public final class ServeCommand implements Callable<Integer> {
  private static final Pattern BANK_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  @Option(names = "--host", paramLabel = "ADDRESS",
      description = "Address to bind (default twinrouter.http.host, 127.0.0.1: loopback only).")
  String host;

  @Option(names = "--port", paramLabel = "PORT",
      description = "Port to bind (default twinrouter.http.port, 8080; 0 picks a free one).")
  Integer port;

  @Option(names = "--bank", paramLabel = "NAME=FILE",
      description = "A question bank to serve under NAME (letters, digits, . _ -). Repeatable. "
          + "FILE bundled is the bank that ships in the jar; without --bank it is served as bundled.")
  Map<String, Path> banks = new LinkedHashMap<>();

  @Option(names = "--tokenizer", paramLabel = "[TIER=]SPEC",
      description = "Token counting, as for static score: cl100k, hf:PATH or regex:PATTERN, for "
          + "every tier or TIER=SPEC for one. Repeatable. Default: twinrouter.static.tokenizers, "
          + "else cl100k.")
  List<String> tokenizers = new ArrayList<>();

  @Option(names = "--runs", arity = "1..*", paramLabel = "DIR",
      description = "Finished live-run directories (each with its score.json, e.g. from 'live run"
          + " --out DIR' or 'demo') to serve under /v1/live/runs.")
  List<Path> runs = new ArrayList<>();
  @Option(names = "--gap-runs", arity = "1..*", paramLabel = "DIR",
      description = "Live run directories (one per router) that GET /v1/gap and the page /ui/ "
          + "compare with the static track.")
  List<Path> gapRuns = new ArrayList<>();

  @Option(names = "--gap-predictions", paramLabel = "ROUTER=FILE",
      description = "Static predictions of a run's router (by label) for routers that are not "
          + "built in. Repeatable.")
  Map<String, Path> gapPredictions = new LinkedHashMap<>();

  /** Told the running server once the banks are in (tests stop the service through it). */
  java.util.function.Consumer<ScoringServer> onReady = server -> {};

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private java.io.PrintWriter err() {
    return spec.commandLine().getErr();
  }

  @Override
  public Integer call() throws Exception {
    // initialise logging before the actor system's threads log concurrently (else SLF4J warns
    // on stderr that it replayed their first calls)
    org.slf4j.LoggerFactory.getILoggerFactory();
    Config config = ConfigFactory.load();
    TwinrouterSettings settings = TwinrouterSettings.from(config);
    HttpSettings base = HttpSettings.from(config);
    HttpSettings http = base.withAddress(host != null ? host : base.host(), port != null ? port : base.port());
    if (http.port() < 0 || http.port() > 65535) {
      throw new InputException("--port: must be in 0..65535, got " + http.port());
    }
    if (banks.isEmpty()) {
      banks.put(BundledBank.NAME, Path.of(BundledBank.NAME));
    }
    checkBanks();
    TokenizerSet tokens;
    try {
      tokens = TokenizerSet.fromOptions(tokenizers, settings.staticTrack().tokenizers());
    } catch (InputFormatException e) {
      throw new InputException(e.getMessage(), e);
    }
    List<FinishedRun> finishedRuns = readRuns();
    StaticEvaluations statics = new StaticEvaluations(settings);
    CompletableFuture<List<ServedBank>> loaded = new CompletableFuture<>();

    ScoringServer server;
    try {
      server = ScoringServer.start(config, http, statics, () -> load(tokens, statics, loaded),
              gapSources(settings))
          .toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new InputException("cannot listen on " + http.host() + ":" + http.port() + ": "
          + e.getCause().getMessage(), e.getCause());
    }
    finishedRuns.forEach(r -> server.liveRuns().tell(new LiveRuns.LoadFinished(r)));
    String where = "http://" + hostForUrl(server.host()) + ":" + server.port();
    err().printf("twinrouter: listening on %s (%s); loading %d bank(s)...%n", where,
        http.apiToken().isPresent() ? "bearer token required" : "no token: any local client may call",
        banks.size());
    warnIfExposed(http);
    try {
      List<ServedBank> served = loaded.get();
      for (ServedBank b : served) {
        err().printf("twinrouter: bank %s: %d rows, %d trajectories, sha256 %s%s%n",
            b.name(), b.rows(), b.info().trajectories(), b.info().sha256(),
            b.bank().tokenCountsCached() ? " (token counts from the cache)" : "");
      }
      for (FinishedRun r : finishedRuns) {
        err().printf("twinrouter: live run %s (%s): %s/v1/live/runs/%s%n", r.runId(),
            r.routerLabel(), where, r.runId());
      }
      err().printf("twinrouter: ready; GET %s/health, API in %s/openapi.yaml; Ctrl-C stops%n", where, where);
      onReady.accept(server);
    } catch (ExecutionException e) {
      server.close();
      Throwable cause = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
      throw new InputException(cause.getMessage(), cause);
    }
    server.whenTerminated().toCompletableFuture().get();
    return 0;
  }

  /** Every {@code --runs} directory, read before the service starts so bad input fails fast. */
  private List<FinishedRun> readRuns() {
    Map<String, Path> seen = new LinkedHashMap<>();
    List<FinishedRun> out = new ArrayList<>();
    for (Path dir : runs) {
      if (!Files.isDirectory(dir)) {
        throw new InputException("--runs " + dir + ": not a directory");
      }
      FinishedRun run;
      try {
        run = FinishedRun.read(dir);
      } catch (RunDirectory.RunDirException e) {
        throw new InputException("--runs " + dir + ": " + e.getMessage(), e);
      }
      Path earlier = seen.put(run.runId(), dir);
      if (earlier != null) {
        throw new InputException("--runs " + dir + ": run id " + run.runId()
            + " is already served from " + earlier);
      }
      out.add(run);
    }
    return out;
  }

  private GapSources gapSources(TwinrouterSettings settings) {
    for (Path dir : gapRuns) {
      if (!Files.isDirectory(dir)) {
        throw new InputException("--gap-runs: " + dir + ": run directory not found");
      }
    }
    for (Map.Entry<String, Path> e : gapPredictions.entrySet()) {
      if (!Files.isRegularFile(e.getValue())) {
        throw new InputException("--gap-predictions " + e.getKey() + ": " + e.getValue() + ": prediction file not found");
      }
    }
    return new GapSources(gapRuns, gapPredictions,
        GapReport.Settings.defaults(settings.liveTrack().failurePenaltyUsd()));
  }

  private void checkBanks() {
    for (Map.Entry<String, Path> e : banks.entrySet()) {
      if (!BANK_NAME.matcher(e.getKey()).matches()) {
        throw new InputException("--bank " + e.getKey() + "=" + e.getValue()
            + ": a bank name is 1-64 letters, digits, '.', '_' or '-'");
      }
      if (!Files.isRegularFile(e.getValue()) && !BundledBank.isBundled(e.getValue())) {
        throw new InputException("--bank " + e.getKey() + ": " + e.getValue() + ": question bank not found");
      }
    }
  }

  /** Runs on the scoring dispatcher; the outcome also goes to {@code loaded} for this command. */
  private List<ServedBank> load(TokenizerSet tokens, StaticEvaluations statics,
      CompletableFuture<List<ServedBank>> loaded) {
    try {
      List<ServedBank> out = new ArrayList<>();
      TokenCountCache cache = TokenCountCache.inUserCacheDir();
      for (Map.Entry<String, Path> e : banks.entrySet()) {
        ServedBank bank = ServedBank.of(e.getKey(),
            BundledBank.loadFileOrBundled(e.getValue(), tokens, cache));
        statics.prepare(bank);
        out.add(bank);
      }
      loaded.complete(out);
      return out;
    } catch (IOException e) {
      loaded.completeExceptionally(new UncheckedIOException(e.getMessage(), e));
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      loaded.completeExceptionally(e);
      throw e;
    }
  }

  private void warnIfExposed(HttpSettings http) {
    try {
      if (!InetAddress.getByName(http.host()).isLoopbackAddress() && http.apiToken().isEmpty()) {
        err().printf("twinrouter: warning: bound to %s without a token; set %s to require one%n",
            http.host(), HttpSettings.TOKEN_ENV);
      }
    } catch (IOException e) {
      // the bind succeeded, so the name resolves; nothing to warn about
    }
  }

  private static String hostForUrl(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }
}
