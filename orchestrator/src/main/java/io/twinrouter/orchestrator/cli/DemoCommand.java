package io.twinrouter.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.bank.BundledBank;
import io.twinrouter.bank.tokens.TokenizerSet;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.orchestrator.live.DockerCheck;
import io.twinrouter.orchestrator.live.LiveRun;
import io.twinrouter.orchestrator.live.LiveRunOptions;
import io.twinrouter.scoring.http.HttpSettings;
import io.twinrouter.scoring.http.ScoringServer;
import io.twinrouter.scoring.live.Leaderboard;
import io.twinrouter.scoring.service.ServedBank;
import io.twinrouter.scoring.service.StaticEvaluations;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: the main job on a fresh machine. Runs the bundled suite with the simulated pool
 * under two routers (always-high and a cheaper one), in Docker sandboxes when an engine answers,
 * else bwrap, prints the leaderboard and keeps the scoring service up.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the bundled task suite with the simulated model pool under two routers (always-high"
          + " and a cheaper one), in Docker sandboxes when 'docker info' answers, else bwrap, and"
          + " prints the leaderboard (resolved, API cost, bill per router).",
      "Run directories go to --out/<router>; a rerun resumes them."
    })
public final class DemoCommand implements Callable<Integer> {

  @Option(names = "--out", defaultValue = "twinrouter-demo", paramLabel = "DIR",
      description = "Where the runs go (default ./twinrouter-demo).")
  Path out;

  @Option(names = "--routers", defaultValue = "always-high,heuristic", split = ",",
      paramLabel = "NAME", description = "Routers to compare (default always-high,heuristic).")
  List<String> routers;

  @Option(names = "--workers", defaultValue = "2", paramLabel = "N", description = "Cases at once.")
  int workers;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Simulated pool seed.")
  long seed;

  @Option(names = "--sandbox", paramLabel = "docker|local",
      description = "Force a sandbox backend (default: docker when an engine answers, else local).")
  String sandbox;

  @Option(names = "--instance-ids", paramLabel = "FILE",
      description = "Only these instance ids of the bundled suite.")
  Path instanceIds;

  @Option(names = "--no-serve",
      description = "Exit after the leaderboard instead of keeping the scoring service up.")
  boolean noServe;

  @Override
  public Integer call() throws Exception {
    TwinrouterSettings settings = TwinrouterSettings.load();
    String backend = sandbox != null ? sandbox : DockerCheck.answers() ? "docker" : "local";
    System.err.println("demo: bundled suite, simulated pool, " + backend + " sandboxes, routers "
        + String.join(", ", routers));
    List<JsonNode> scores = new ArrayList<>();
    List<LiveRun.Outcome> outcomes = new ArrayList<>();
    for (String router : routers) {
      LiveRunOptions o = LiveRunOptions.of(TaskSuite.BUNDLED, router, backend, out.resolve(router))
          .withWorkers(workers).withSeed(seed).withInstanceIds(instanceIds);
      LiveRun.Outcome outcome = LiveCommand.runChecked(o, settings);
      outcomes.add(outcome);
      scores.add(outcome.score());
    }
    System.out.print(Leaderboard.render(scores));
    for (LiveRun.Outcome o : outcomes) {
      System.out.println(o.routerLabel() + ": " + o.out().resolve("score.json"));
    }
    if (!noServe) {
      serve(settings);
    }
    return 0;
  }

  /**
   * Keeps the scoring service up (the {@code serve} command's server, with the bundled bank) until Ctrl-C: on
   * the configured port, or a free one when that is taken.
   */
  private void serve(TwinrouterSettings settings) throws Exception {
    Config config = ConfigFactory.load();
    HttpSettings http = HttpSettings.from(config);
    ScoringServer server;
    try {
      server = start(config, http, settings);
    } catch (ExecutionException e) {
      server = start(config, http.withAddress(http.host(), 0), settings);
    }
    ScoringServer running = server;
    Runtime.getRuntime().addShutdownHook(new Thread(running::close));
    System.out.println("scoring service: http://" + server.host() + ":" + server.port()
        + "  (GET /health, /openapi.yaml; live runs are not served over HTTP yet); Ctrl-C stops");
    System.out.flush();
    server.whenTerminated().toCompletableFuture().get();
  }

  private static ScoringServer start(Config config, HttpSettings http, TwinrouterSettings settings)
      throws Exception {
    StaticEvaluations statics = new StaticEvaluations(settings);
    // the static track's embedded default: the bank derived from the bundled suite
    TokenizerSet tokens = TokenizerSet.fromSettings(settings.staticTrack().tokenizers());
    return ScoringServer.start(config, http, statics, () -> {
      ServedBank bank = ServedBank.of(BundledBank.NAME, BundledBank.load(tokens));
      statics.prepare(bank);
      return List.of(bank);
    }).toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
