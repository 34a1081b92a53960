package io.twinrouter.agent.casework;

import io.twinrouter.agent.loop.CaseTask;
import java.nio.file.Path;

/**
 * One case of a run.
 *
 * @param routerLabel the run's router label, reported with the case
 * @param outputDir the run's output directory (trace, trajectory and results/ go there)
 */
public record CaseSpec(String runId, String routerLabel, CaseTask task, Path outputDir) {}
