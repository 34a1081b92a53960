package io.twinrouter.orchestrator.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.twinrouter.agent.journal.JournalDatabase;
import io.twinrouter.bank.BundledBank;
import io.twinrouter.bank.tokens.TokenizerSet;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.orchestrator.live.LiveRun;
import io.twinrouter.scoring.gap.GapReport;
import io.twinrouter.scoring.gap.GapSources;
import io.twinrouter.scoring.http.HttpSettings;
import io.twinrouter.scoring.http.ScoringServer;
import io.twinrouter.scoring.service.ServedBank;
import io.twinrouter.scoring.service.StaticEvaluations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The scoring service that {@code demo} and {@code live run --serve} host their runs in (with the
 * bundled static bank served as {@code bundled}): one
 * actor system with the run journal (embedded H2 in the given directory), so the service's live-run
 * registry hears each run's cases as they finish and serves them over HTTP during and after.
 */
final class RunService implements AutoCloseable {
  private final ScoringServer server;

  private RunService(ScoringServer server) {
    this.server = server;
  }

  /**
   * Starts on the configured port ({@code twinrouter.http.port}), or a free one when that is
   * taken.
   */
  static RunService start(Path journalDir, TwinrouterSettings settings) throws Exception {
    return start(journalDir, settings, List.of());
  }

  /**
   * As above; {@code gapRuns} are the run directories (one per router) that {@code GET /v1/gap}
   * and the {@code /ui/} page compare with the bundled static bank, read when asked.
   */
  static RunService start(Path journalDir, TwinrouterSettings settings, List<Path> gapRuns)
      throws Exception {
    try {
      Files.createDirectories(journalDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + journalDir, e);
    }
    JournalDatabase journal = JournalDatabase.h2(journalDir);
    journal.ensureSchema();
    Config config = journal.pekkoConfig().withFallback(ConfigFactory.load());
    HttpSettings http = HttpSettings.from(config);
    try {
      return new RunService(start(config, http, settings, gapRuns));
    } catch (ExecutionException e) {
      return new RunService(start(config, http.withAddress(http.host(), 0), settings, gapRuns));
    }
  }

  private static ScoringServer start(Config config, HttpSettings http, TwinrouterSettings settings,
      List<Path> gapRuns) throws Exception {
    StaticEvaluations statics = new StaticEvaluations(settings);
    // the static track's embedded default: the bank derived from the bundled suite
    TokenizerSet tokens = TokenizerSet.fromSettings(settings.staticTrack().tokenizers());
    return ScoringServer.start(config, http, statics, () -> {
      ServedBank bank = ServedBank.of(BundledBank.NAME, BundledBank.load(tokens));
      statics.prepare(bank);
      return List.of(bank);
    }, new GapSources(gapRuns, java.util.Map.of(),
        GapReport.Settings.defaults(settings.liveTrack().failurePenaltyUsd())))
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  LiveRun.Host host() {
    return new LiveRun.Host(server.system(), server.liveRuns());
  }

  /** The service's registry of comparisons ({@code compare --serve}). */
  org.apache.pekko.actor.typed.ActorRef<io.twinrouter.scoring.service.Comparisons.Command> comparisons() {
    return server.comparisons();
  }

  String url() {
    String host = server.host().contains(":") ? "[" + server.host() + "]" : server.host();
    return "http://" + host + ":" + server.port();
  }

  /** Serves until Ctrl-C (or the system stops). */
  void serveUntilStopped() throws Exception {
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    server.whenTerminated().toCompletableFuture().get();
  }

  @Override
  public void close() {
    server.close();
  }
}
