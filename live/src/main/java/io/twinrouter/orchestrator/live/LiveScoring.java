package io.twinrouter.orchestrator.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.agent.loop.AgentSettings;
import io.twinrouter.agent.model.Repricing;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.scoring.live.CaseOutcome;
import io.twinrouter.scoring.live.RunDirectory;
import io.twinrouter.scoring.live.RunIdentity;
import io.twinrouter.scoring.live.ScoreOptions;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/** {@code live score}: re-scores a run directory from its files, as the reference's scorer does. */
public final class LiveScoring {
  /** Where {@code live score --reprice} writes its score. */
  public static final String REPRICED_SCORE = "score-repriced.json";

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
    return scoreDirectory(dir, settings, excludeInfra, fixedPenalty, instanceIds, swebenchReport,
        Optional.empty());
  }

  /**
   * @param repricePool a pool file whose rates replace the run's: every step's cost is recomputed
   *     from its trace's raw usage and the score goes to {@code dir/score-repriced.json}, leaving
   *     the run's own score.json as it was
   */
  public static ObjectNode scoreDirectory(Path dir, TwinrouterSettings settings,
      boolean excludeInfra, Optional<Double> fixedPenalty, Optional<Path> instanceIds,
      Optional<Path> swebenchReport, Optional<Path> repricePool) {
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
    ToDoubleFunction<JsonNode> stepCost = repricePool
        .<ToDoubleFunction<JsonNode>>map(p -> new Repricing(PoolFiles.load(p)))
        .orElse(RunDirectory.RECORDED_COST);
    ObjectNode score = RunOutputs.score(dir, identity, options,
        swebenchReport.map(SwebenchReports::read).orElse(java.util.Map.of()),
        swebenchReport.map(Path::toString).orElse(null), stepCost);
    if (repricePool.isPresent()) {
      ObjectNode r = score.putObject("repriced");
      r.put("pool_file", repricePool.get().toString());
      r.put("recorded_router_cost_usd", RunDirectory.read(dir).stream()
          .mapToDouble(CaseOutcome::apiCostUsd).sum());
      RunOutputs.write(dir.resolve(REPRICED_SCORE), score);
    } else {
      RunOutputs.write(dir.resolve("score.json"), score);
    }
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
