package io.twinrouter.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.InputException;
import io.twinrouter.orchestrator.live.LiveScoring;
import io.twinrouter.scoring.live.Leaderboard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code live score}: re-scores run directories from their files. */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = {
      "Scores run directories (results/*.json and traces, the reference's score.json), writes"
          + " DIR/score.json and prints the leaderboard of all given runs."
    })
final class LiveScoreCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "DIR", description = "Run directories.")
  List<Path> dirs;

  @Option(names = "--exclude-infra-failures",
      description = "Keep infrastructure failures out of the headline totals.")
  boolean excludeInfra;

  @Option(names = "--fixed-failure-penalty-usd", paramLabel = "USD",
      description = "Replace the $0.60 failure penalty.")
  Double fixedPenalty;

  @Option(names = "--instance-ids", paramLabel = "FILE",
      description = "Only these instance ids count (one a line, # comments).")
  Path instanceIds;

  @Option(names = "--json", description = "Print the score files as a JSON array.")
  boolean json;

  @Option(names = "--swebench-report", paramLabel = "PATH",
      description = "Score with an official regrade's verdicts: SWE-bench's report.json files"
          + " (a file or a folder), or a harness or sb-cli run report; one DIR only. Every"
          + " disagreement is listed (stderr, and swebench_report in score.json).")
  Path swebenchReport;

  @Option(names = "--reprice", paramLabel = "POOL_FILE",
      description = "Recompute every step's cost from the traces' raw usage at this pool file's"
          + " rates and usage formats (nothing is called); writes DIR/"
          + LiveScoring.REPRICED_SCORE + " and leaves DIR/score.json as it was.")
  Path reprice;

  @Override
  public Integer call() {
    TwinrouterSettings settings = TwinrouterSettings.load();
    if (swebenchReport != null && dirs.size() != 1) {
      throw new InputException("--swebench-report scores one run directory, got " + dirs.size());
    }
    if (swebenchReport != null && !Files.exists(swebenchReport)) {
      throw new InputException("--swebench-report " + swebenchReport + ": no such file or folder");
    }
    if (reprice != null && !Files.isRegularFile(reprice)) {
      throw new InputException("--reprice " + reprice + ": no such file");
    }
    List<JsonNode> scores = new ArrayList<>();
    for (Path dir : dirs) {
      if (!Files.isDirectory(dir.resolve("results"))) {
        throw new InputException(dir + ": not a run directory (no results/ folder)");
      }
      try {
        ObjectNode score = LiveScoring.scoreDirectory(dir, settings, excludeInfra,
            Optional.ofNullable(fixedPenalty), Optional.ofNullable(instanceIds),
            Optional.ofNullable(swebenchReport), Optional.ofNullable(reprice));
        for (JsonNode d : score.path("swebench_report").path("disagreements")) {
          System.err.println("verdict from the report: " + d.path("instance_id").asText()
              + (d.path("swebench_resolved").asBoolean() ? " resolved" : " not resolved")
              + " (twinrouter: " + (d.path("twinrouter_resolved").asBoolean() ? "resolved"
              : "not resolved") + ")");
        }
        scores.add(score);
      } catch (RuntimeException e) {
        throw new InputException(dir + ": " + e.getMessage(), e);
      }
    }
    if (json) {
      System.out.println(LiveScoring.pretty(RunOutputsArray.of(scores)));
    } else {
      System.out.print(Leaderboard.render(scores));
    }
    return 0;
  }

  /** A JSON array of score files. */
  private static final class RunOutputsArray {
    static JsonNode of(List<JsonNode> scores) {
      var a = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
      scores.forEach(a::add);
      return a;
    }
  }
}
