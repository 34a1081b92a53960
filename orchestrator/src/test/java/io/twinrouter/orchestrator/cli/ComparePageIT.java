package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.orchestrator.compare.CompareOptions;
import io.twinrouter.orchestrator.compare.CompareReport;
import io.twinrouter.orchestrator.compare.CompareRun;
import io.twinrouter.scoring.compare.PairedComparison.CasePair;
import io.twinrouter.scoring.service.Comparisons;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code /ui/} page of the service {@code compare --serve} runs in, in headless Chromium:
 * a comparison told to the service's registry is drawn with its decision, interval and spend.
 */
class ComparePageIT {
  @TempDir Path dir;

  @Test
  void thePageDrawsAComparisonWithItsDecisionIntervalAndSpend() throws Exception {
    TwinrouterSettings settings = TwinrouterSettings.load();
    CompareOptions o = new CompareOptions(List.of("always-high", "always-low"), "bundled", "sim",
        "local", Optional.empty(), 0.35, 0.1, 0.8, 1, Optional.empty(), 2, 0, 2,
        dir.resolve("page-cmp"), List.of(), 0.6);
    List<CompareRun.Pair> pairs = new CompareRun(o, settings).plans();
    for (int i = 0; i < 6; i++) {
      pairs.get(0).comparison().add(new CasePair("c" + i, 1, 0, 0.05, 0.01));
    }
    CompareRun.Progress end = new CompareRun.Progress(o, List.of("c0", "c1", "c2", "c3", "c4",
        "c5"), List.of(), pairs, 0.36, 1, CompareRun.Stop.DECISION);

    try (RunService service = RunService.start(dir.resolve("service"), settings)) {
      service.comparisons().tell(new Comparisons.Update(CompareReport.id(o),
          CompareReport.json(end), true));
      String dom = GapPageIT.chromium(dir, "--dump-dom", service.url() + "/ui/");
      assertTrue(dom.contains("id=\"compare\""), "no comparisons table in the page:\n" + dom);
      String row = dom.substring(dom.indexOf("id=\"compare\""));
      // the test stopped counting at its decision, after 5 straight wins; the 6th case only moves the interval
      assertTrue(row.contains("<td>page-cmp</td><td>always-high vs always-low</td><td>a better</td>"
          + "<td>6 (5 untied)</td><td>+100.0%</td>"), row);
      assertTrue(row.contains("<td>$0.3600</td>"), row);
      assertTrue(!dom.contains("id=\"compare-section\" hidden"), "the section is shown");
    }
  }
}
