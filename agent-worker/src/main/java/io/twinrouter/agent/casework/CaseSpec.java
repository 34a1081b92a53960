package io.twinrouter.agent.casework;

import io.twinrouter.agent.journal.RecordedStep;
import io.twinrouter.agent.loop.CaseTask;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One case of a run.
 *
 * @param routerLabel the run's router label, reported with the case
 * @param outputDir the run's output directory (trace, trajectory and results/ go there)
 * @param branchFrom for a branch, the source run's steps before the branch point: replayed
 *     without the model, and a replay that diverges voids the case instead of starting it over
 */
public record CaseSpec(String runId, String routerLabel, CaseTask task, Path outputDir,
    Optional<List<RecordedStep>> branchFrom) {

  public CaseSpec(String runId, String routerLabel, CaseTask task, Path outputDir) {
    this(runId, routerLabel, task, outputDir, Optional.empty());
  }
}
