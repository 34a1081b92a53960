package io.twinrouter.orchestrator.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinrouter.config.TwinrouterSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code compare} on the bundled suite, simulated pool, bwrap sandboxes. */
class CompareRunLocalIT {
  @TempDir Path dir;

  /**
   * A large effect and a lenient alpha: on the bundled suite always-low fails about a quarter of
   * the cases in one run, so one run gives only ~3 untied cases of 13, too few for any valid test;
   * three repeats per case make about half of the cases untied.
   */
  static CompareOptions options(List<String> routers, Path out, int repeats) {
    return new CompareOptions(routers, "bundled", "sim", "local", Optional.empty(), 0.35, 0.1,
        0.8, repeats, Optional.empty(), 3, 7, 2, out, List.of(), 0.6);
  }

  @Test
  void aHighAgainstALowRouterStopsEarlyWithADecision() throws Exception {
    Path out = dir.resolve("hl");
    List<CompareRun.Progress> looks = new ArrayList<>();
    CompareRun.Progress end = new CompareRun(options(List.of("always-high", "always-low"), out, 3),
        TwinrouterSettings.load()).run(looks::add);
    Files.writeString(out.resolve("compare.json"),
        CompareReport.json(end).toPrettyString());
    CompareReport.lines(CompareReport.json(end)).forEach(System.out::println);

    assertEquals(CompareRun.Stop.DECISION, end.stop(), "stops because the test decided");
    assertTrue(end.casesRun().size() < 13, "before the suite ran out: " + end.casesRun());
    JsonNode pair = CompareReport.json(end).path("pairs").get(0);
    assertEquals("a better", pair.path("decision").asText());
    assertTrue(pair.path("resolve_rate_difference").path("estimate").asDouble() > 0);
    assertTrue(Files.isRegularFile(out.resolve("always-high/repeat-3/score.json")),
        "each arm is a live run");
    assertEquals(end.casesRun().size(), new ObjectMapper().readTree(
        out.resolve("always-low/repeat-1/eval_summary.json").toFile()).path("completed").asInt());
    JsonNode low = CompareReport.json(end).path("arms").get(1);
    assertTrue(low.path("pass_at_k").asDouble() >= low.path("pass_hat_k").asDouble());
    assertTrue(low.path("pass_hat_k").asDouble() < 1, "always-low missed a case in some repeat");
  }

  @Test
  void aRouterAgainstItselfStopsAtTheLimitWithNoDifferenceAndResumesWithoutRerunning() throws Exception {
    Path out = dir.resolve("hh");
    CompareRun.Progress end = new CompareRun(options(List.of("always-high", "always-high"), out, 1)
        .withMaxCases(6), TwinrouterSettings.load()).run(p -> {});
    CompareReport.lines(CompareReport.json(end)).forEach(System.out::println);

    assertEquals(CompareRun.Stop.CASE_LIMIT, end.stop());
    assertEquals(6, end.casesRun().size());
    JsonNode pair = CompareReport.json(end).path("pairs").get(0);
    assertEquals("no difference", pair.path("decision").asText());
    assertEquals(0, pair.path("untied_cases").asInt(), "the same router, seed and cases agree");

    // the arms are live runs in --out: running the comparison again resumes them, re-running nothing
    Path trace = out.resolve("a-always-high").resolve(end.casesRun().get(0) + ".trace.jsonl");
    long traceBytes = Files.size(trace);
    long modified = Files.getLastModifiedTime(trace).toMillis();
    CompareRun.Progress again = new CompareRun(options(List.of("always-high", "always-high"), out, 1)
        .withMaxCases(6), TwinrouterSettings.load()).run(p -> {});
    assertEquals(end.casesRun(), again.casesRun());
    assertEquals(end.spendUsd(), again.spendUsd(), 0.0, "the same verdicts and bills, read back");
    assertEquals(traceBytes, Files.size(trace));
    assertEquals(modified, Files.getLastModifiedTime(trace).toMillis(), "no step ran twice");
  }

  @Test
  void aBudgetThatCannotReachADecisionStopsTheComparisonUndecided() throws Exception {
    Path out = dir.resolve("budget");
    CompareOptions o = options(List.of("always-high", "always-low"), out, 1);
    CompareOptions tight = new CompareOptions(o.routers(), o.tasks(), o.pool(), o.sandbox(),
        Optional.of(0.2), o.effect(), o.alpha(), o.power(), 1, Optional.empty(), o.batch(),
        o.seed(), o.workers(), out, List.of(), o.baseRate());
    CompareRun.Progress end = new CompareRun(tight, TwinrouterSettings.load()).run(p -> {});
    CompareReport.lines(CompareReport.json(end)).forEach(System.out::println);

    assertEquals(CompareRun.Stop.BUDGET, end.stop());
    assertTrue(end.casesRun().size() < 13, "stopped before the suite ran out: " + end.casesRun());
    assertEquals("undecided", CompareReport.json(end).path("pairs").get(0).path("decision").asText());
    assertTrue(end.spendUsd() <= 0.2 + 0.2 / end.casesRun().size() * o.batch(),
        "at most one batch past the budget at the spend per case so far: " + end.spendUsd());
  }
}
