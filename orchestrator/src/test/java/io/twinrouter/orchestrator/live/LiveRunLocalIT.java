package io.twinrouter.orchestrator.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.twinrouter.config.TwinrouterSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code live run} in process on part of the bundled suite, simulated pool, bwrap sandboxes. */
class LiveRunLocalIT {
  /** In suite order, the order cases start in. */
  static final List<String> CASES = List.of(
      "twinrouter-suite__ledgerkit-101", "twinrouter-suite__taskgraph-301",
      "twinrouter-suite__tinyini-201");

  @TempDir Path dir;

  @Test
  void runsScoresAndResumesWithoutRunningFinishedCasesAgain() throws Exception {
    Path out = dir.resolve("run");
    LiveRunOptions o = LiveRunOptions.of("bundled", "heuristic", "local", out)
        .withWorkers(2).withInstanceIds(LiveRunChecks.idsFile(dir, CASES));
    LiveRun.Outcome first = new LiveRun(o, TwinrouterSettings.load()).run(e -> {}, false);

    Map<String, Boolean> resolved = LiveRunChecks.checkRun(out, CASES);
    assertEquals(CASES.size(), first.progress().done());
    assertTrue(first.reused().isEmpty());
    assertTrue(resolved.containsValue(true), "the heuristic router resolves easy cases: " + resolved);
    JsonNode score = LiveRunChecks.json(out.resolve("score.json"));
    assertFalse(score.path("run_cut_short").asBoolean());

    long traceBytes = Files.size(out.resolve(CASES.get(0) + ".trace.jsonl"));
    LiveRun.Outcome again = new LiveRun(o, TwinrouterSettings.load()).run(e -> {}, false);
    assertEquals(CASES, again.reused());
    assertEquals(0, again.progress().steps(), "no step runs (or is billed) twice");
    assertEquals(first.runId(), again.runId(), "the rerun resumes the same run");
    assertEquals(traceBytes, Files.size(out.resolve(CASES.get(0) + ".trace.jsonl")));
    assertEquals(score.path("total_leaderboard_bill_usd").asDouble(),
        again.score().path("total_leaderboard_bill_usd").asDouble(), 0.0);
  }

  @Test
  void aBudgetStopsNewCasesAndTheScoreSaysTheRunWasCutShort() throws Exception {
    Path out = dir.resolve("budget");
    LiveRunOptions o = LiveRunOptions.of("bundled", "always-high", "local", out)
        .withWorkers(1).withInstanceIds(LiveRunChecks.idsFile(dir, CASES)).withBudget(0.000001);
    LiveRun.Outcome outcome = new LiveRun(o, TwinrouterSettings.load()).run(e -> {}, false);

    assertEquals(1, outcome.progress().done(), "the running case finishes");
    assertEquals(CASES.subList(1, 3), outcome.notStarted());
    assertTrue(Files.isRegularFile(out.resolve("results/" + CASES.get(0) + ".json")));
    assertFalse(Files.exists(out.resolve("results/" + CASES.get(1) + ".json")));
    JsonNode score = LiveRunChecks.json(out.resolve("score.json"));
    assertTrue(score.path("run_cut_short").asBoolean());
    assertEquals(2, score.path("cases_not_started").asInt());
  }

  @Test
  void aModelEndpointThatStaysDownEndsTheCaseAsAnInfrastructureErrorAndTheRunFinishes()
      throws Exception {
    Path pool = LiveRunChecks.deadPool(dir);
    TwinrouterSettings fastFailing = TwinrouterSettings.from(ConfigFactory.parseString(
            "twinrouter.model-client { max-retries = 1, backoff-base = 10ms, backoff-max = 10ms }")
        .withFallback(ConfigFactory.load()));
    Path out = dir.resolve("infra");
    LiveRunOptions o = LiveRunOptions.of("bundled", "always-high", "local", out)
        .withPool(pool.toString()).withWorkers(1)
        .withInstanceIds(LiveRunChecks.idsFile(dir, CASES.subList(0, 1)))
        .withRestarts(2, Duration.ofMillis(50), Duration.ofMillis(200));
    // the endpoint goes down after the preflight would have passed: no probe
    LiveRun.Outcome outcome = new LiveRun(o, fastFailing).withoutPreflightCalls()
        .run(e -> {}, false);

    assertEquals(List.of(CASES.get(0)), outcome.infrastructureErrors());
    assertEquals(1, outcome.progress().failed());
    assertFalse(Files.exists(out.resolve("results/" + CASES.get(0) + ".json")),
        "no result file: a later rerun retries the case, as the reference's resume does");
    JsonNode summary = LiveRunChecks.json(out.resolve("eval_summary.json"));
    assertEquals(CASES.get(0), summary.path("errors").get(0).path("instance_id").asText());
    assertTrue(summary.path("errors").get(0).path("error").asText().contains("unavailable"),
        summary.toString());
  }
}
