package io.twinrouter.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.InputException;
import io.twinrouter.orchestrator.live.DockerCheck;
import io.twinrouter.orchestrator.live.LiveRun;
import io.twinrouter.orchestrator.live.LiveRunOptions;
import io.twinrouter.router.catalog.Routers;
import io.twinrouter.scoring.live.Leaderboard;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: the main job on a fresh machine. Runs the bundled suite with the simulated pool
 * under two routers (always-high and a cheaper one), in Docker sandboxes when an engine answers,
 * else bwrap, inside the scoring service (so the runs show over HTTP as they go), prints the
 * leaderboard and keeps the scoring service up.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the bundled task suite with the simulated model pool under two routers (always-high"
          + " and a cheaper one), in Docker sandboxes when 'docker info' answers, else bwrap, and"
          + " prints the leaderboard (resolved, API cost, bill per router).",
      "Run directories go to --out/<router>; a rerun resumes them."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:every run finished and was scored",
        "1:every case of some router's run ended as an infrastructure error (nothing to score"
            + " for it; rerun to retry)",
        "2:bad input"})
public final class DemoCommand implements Callable<Integer> {

  @Option(names = "--out", defaultValue = "twinrouter-demo", paramLabel = "DIR",
      description = "Where the runs go (default ./twinrouter-demo).")
  Path out;

  @Option(names = "--routers", defaultValue = "always-high,heuristic", split = ",",
      paramLabel = "NAME", description = "Built-in routers to compare (default always-high,heuristic).")
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
    for (String router : routers) {
      // each run goes to --out/<router>: a URL or a class name is no directory name
      if (!Routers.BUILT_IN.contains(router)) {
        throw new InputException("--routers: '" + router + "' is not a built-in router ("
            + String.join(", ", Routers.BUILT_IN) + "); run your own with live run --router URL"
            + " --router-name NAME --out DIR");
      }
    }
    TwinrouterSettings settings = TwinrouterSettings.load();
    String backend = sandbox != null ? sandbox : DockerCheck.answers() ? "docker" : "local";
    System.err.println("demo: bundled suite, simulated pool, " + backend + " sandboxes, routers "
        + String.join(", ", routers));
    // the runs happen inside the scoring service, so they can be followed over HTTP as they go
    List<Path> runDirs = routers.stream().map(r -> out.resolve(r).toAbsolutePath()).toList();
    try (RunService service = RunService.start(out.toAbsolutePath(), settings, runDirs)) {
      System.err.println("demo: scoring service " + service.url()
          + " (GET /v1/live/runs, /v1/live/runs/<id>/events)");
      List<JsonNode> scores = new ArrayList<>();
      List<LiveRun.Outcome> outcomes = new ArrayList<>();
      for (String router : routers) {
        LiveRunOptions o = LiveRunOptions.of(TaskSuite.BUNDLED, router, backend, out.resolve(router))
            .withWorkers(workers).withSeed(seed).withInstanceIds(instanceIds);
        LiveRun.Outcome outcome = LiveCommand.runChecked(o, settings, Optional.of(service.host()));
        outcomes.add(outcome);
        scores.add(outcome.score());
      }
      System.out.print(Leaderboard.render(scores));
      boolean someRunUnscored = false;
      for (LiveRun.Outcome o : outcomes) {
        System.out.println(o.routerLabel() + ": " + o.out().resolve("score.json"));
        someRunUnscored |= LiveCommand.Run.nothingScored(o);
      }
      if (!noServe) {
        System.out.println("scoring service: " + service.url() + "  (GET /health, /openapi.yaml,"
            + " /v1/live/runs, /v1/live/runs/<id>/score, /v1/gap?bank=bundled, page " + service.url()
            + "/ui/); Ctrl-C stops");
        System.out.flush();
        service.serveUntilStopped();
      }
      return someRunUnscored ? 1 : 0;
    }
  }
}
