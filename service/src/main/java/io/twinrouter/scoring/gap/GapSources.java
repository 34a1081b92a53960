package io.twinrouter.scoring.gap;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a gap report is built from besides the bank: the live run directories (one per router),
 * prediction files for routers that are not built in (by router label), and the statistics'
 * settings.
 */
public record GapSources(List<Path> runDirs, Map<String, Path> predictionFiles, GapReport.Settings settings) {
  public GapSources {
    runDirs = List.copyOf(runDirs);
    predictionFiles = Map.copyOf(predictionFiles);
  }

  /** No runs: the service's gap route then answers a report without routers. */
  public static GapSources none(double failurePenaltyUsd) {
    return new GapSources(List.of(), Map.of(), GapReport.Settings.defaults(failurePenaltyUsd));
  }
}
