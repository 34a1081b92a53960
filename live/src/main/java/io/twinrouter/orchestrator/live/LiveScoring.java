package io.twinrouter.orchestrator.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.agent.loop.AgentSettings;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.scoring.live.RunIdentity;
import io.twinrouter.scoring.live.ScoreOptions;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/** {@code live score}: re-scores a run directory from its files, as the reference's scorer does. */
public final class LiveScoring {
  private LiveScoring() {}

  /** Scores {@code dir}, writes {@code dir/score.json} and returns it. */
  public static ObjectNode scoreDirectory(Path dir, TwinrouterSettings settings,
      boolean excludeInfra, Optional<Double> fixedPenalty, Optional<Path> instanceIds) {
    return scoreDirectory(dir, settings, excludeInfra, fixedPenalty, instanceIds, Optional.empty());
  }

  /** @param swebenchReport an official regrade whose verdicts replace twinrouter's */
  public static ObjectNode scoreDirectory(Path dir, TwinrouterSettings settings,
      boolean excludeInfra, Optional<Double> fixedPenalty, Optional<Path> instanceIds,
      Optional<Path> swebenchReport) {
    JsonNode run = RunOutputs.readIfPresent(dir.resolve("run.json"));
    JsonNode summary = RunOutputs.readIfPresent(dir.resolve("eval_summary.json"));
    String label = run != null ? run.path("router_label").asText()
        : summary != null ? summary.path("router_label").asText() : dir.getFileName().toString();
    ModelPool pool = settings.pool();
    if (run != null && !LiveRunOptions.SIM.equals(run.path("pool").asText(LiveRunOptions.SIM))) {
      pool = PoolFiles.load(Path.of(run.path("pool").asText()));
    }
    RunIdentity identity =
        RunPlan.identity(label, pool, AgentSettings.from(settings.raw()));
    ScoreOptions options = new ScoreOptions(settings.liveTrack().failurePenaltyUsd(),
        fixedPenalty, excludeInfra, instanceIds.map(TaskSuite::readInstanceIds));
    ObjectNode score = RunOutputs.score(dir, identity, options,
        swebenchReport.map(SwebenchReports::read).orElse(java.util.Map.of()),
        swebenchReport.map(Path::toString).orElse(null));
    RunOutputs.write(dir.resolve("score.json"), score);
    return score;
  }

  public static String pretty(JsonNode json) {
    try {
      return RunOutputs.JSON.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
