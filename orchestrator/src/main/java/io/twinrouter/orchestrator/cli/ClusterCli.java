package io.twinrouter.orchestrator.cli;

import io.twinrouter.orchestrator.cluster.ClusterSettings;
import io.twinrouter.orchestrator.cluster.RunCoordinator;
import java.util.List;
import java.util.Locale;

/** What {@code node} and {@code live run --cluster} share on the command line. */
final class ClusterCli {
  private ClusterCli() {}

  static ClusterSettings apply(ClusterSettings c, Integer port, List<String> seeds, Integer maxCases) {
    if (port != null) {
      c = c.withPort(port);
    }
    if (seeds != null && !seeds.isEmpty()) {
      c = c.withSeeds(seeds);
    }
    if (maxCases != null) {
      c = c.withMaxCases(maxCases);
    }
    return c;
  }

  /** The progress bar's status text of a clustered run. */
  static String status(RunCoordinator.RunUpdate u) {
    return String.format(Locale.ROOT, "running %d, failed %d, steps %d, $%.4f",
        u.running(), u.failed(), u.steps(), u.spendUsd());
  }
}
