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
    assertEquals("local", score.path("sandbox").path("backend").asText(), score.toString());
    assertFalse(score.path("sandbox").path("network").asBoolean(true));
    assertEquals(TwinrouterSettings.load().raw().getBytes("twinrouter.sandbox.limits.memory"),
        score.path("sandbox").path("memory_bytes").asLong());

    // where mini-swe-agent's own tools look: <id>/<id>.traj.json and exit_statuses_*.yaml
    for (String id : CASES) {
      assertEquals(Files.readString(out.resolve(id + ".mini_traj.json")),
          Files.readString(out.resolve(id).resolve(id + ".traj.json")));
    }
    try (var files = Files.list(out)) {
      List<Path> statuses = files.filter(f -> f.getFileName().toString()
          .matches("exit_statuses_\\d+\\.yaml")).toList();
      assertEquals(1, statuses.size(), statuses.toString());
      String yaml = Files.readString(statuses.get(0));
      assertTrue(yaml.startsWith("instances_by_exit_status:\n  \""), yaml);
      CASES.forEach(id -> assertTrue(yaml.contains("  - \"" + id + "\"\n"), yaml));
    }

    // an official regrade that disagrees on one case: its verdict counts, and it is listed
    String flip = CASES.get(0);
    boolean own = resolved.get(flip);
    Path report = Files.createDirectories(dir.resolve("regrade").resolve(flip)).resolve("report.json");
    Files.writeString(report, "{\"" + flip + "\": {\"patch_exists\": true, \"resolved\": " + !own + "}}");
    JsonNode regraded = LiveScoring.scoreDirectory(out, TwinrouterSettings.load(), false,
        java.util.Optional.empty(), java.util.Optional.empty(),
        java.util.Optional.of(dir.resolve("regrade")));
    JsonNode disagreements = regraded.path("swebench_report").path("disagreements");
    assertEquals(1, disagreements.size(), regraded.path("swebench_report").toString());
    assertEquals(flip, disagreements.get(0).path("instance_id").asText());
    assertEquals(!own, disagreements.get(0).path("swebench_resolved").asBoolean());
    assertEquals(CASES.size() - 1, regraded.path("swebench_report").path("not_in_report").size());
    int seen = 0;
    for (JsonNode c : regraded.path("per_instance")) {
      if (c.path("instance_id").asText().equals(flip)) {
        assertEquals(!own, c.path("resolved").asBoolean(), c.toString());
        seen++;
      }
    }
    assertEquals(1, seen, regraded.toString());
    assertEquals(score.path("resolved_count").asInt() + (own ? -1 : 1),
        regraded.path("resolved_count").asInt());
    assertEquals(score.path("total_penalty_cost_usd").asDouble() + (own ? 0.6 : -0.6),
        regraded.path("total_penalty_cost_usd").asDouble(), 1e-9, "the flipped verdict is billed");
    LiveScoring.scoreDirectory(out, TwinrouterSettings.load(), false, java.util.Optional.empty(),
        java.util.Optional.empty()); // score.json as the run left it

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

  @Test
  void aTaskWhoseTestRunnerIsMissingIsAnInfrastructureErrorAndARerunOnAFixedEnvironmentGradesIt()
      throws Exception {
    String id = CASES.get(0);
    Path out = dir.resolve("norunner");
    Path suite = out.resolve("suite");
    io.twinrouter.agent.tasks.TaskSuite.bundled(suite);
    Path taskFile = suite.resolve(io.twinrouter.agent.tasks.TaskSuite.BUNDLED_TASK_FILE);
    String row = Files.readAllLines(taskFile).stream()
        .filter(l -> l.contains("\"instance_id\": \"" + id + "\"")).findFirst().orElseThrow();
    String fixed = "python3 -m pytest -rA";
    assertTrue(row.contains(fixed), row);
    // python3 -S leaves out site-packages, where pytest lives: a host without the test runner
    Files.writeString(taskFile, row.replace(fixed, "python3 -S -m pytest -rA") + "\n");
    LiveRunOptions o = LiveRunOptions.of(taskFile.toString(), "always-high", "local", out)
        .withWorkers(1).withRestarts(1, Duration.ofMillis(50), Duration.ofMillis(200));

    LiveRun.Outcome broken = new LiveRun(o, TwinrouterSettings.load()).run(e -> {}, false);

    assertEquals(List.of(id), broken.infrastructureErrors());
    assertFalse(Files.exists(out.resolve("results/" + id + ".json")), "no verdict was reached");
    JsonNode score = LiveRunChecks.json(out.resolve("score.json"));
    assertEquals(id, score.path("infrastructure_errors").get(0).asText(), score.toString());
    JsonNode summary = LiveRunChecks.json(out.resolve("eval_summary.json"));
    assertTrue(summary.path("errors").get(0).path("error").asText()
        .contains("No module named pytest"), summary.toString());

    Files.writeString(taskFile, row + "\n");
    LiveRun.Outcome again = new LiveRun(o, TwinrouterSettings.load()).run(e -> {}, false);

    assertTrue(again.infrastructureErrors().isEmpty(), again.infrastructureErrors().toString());
    assertEquals(java.util.Set.of(id), LiveRunChecks.checkRun(out, List.of(id)).keySet());
    JsonNode result = LiveRunChecks.json(out.resolve("results/" + id + ".json"));
    assertTrue(result.hasNonNull("eval_report_path"), "graded on the fixed environment: " + result);
  }

  @Test
  void skipUnsupportedRunsTheRestAndScoreJsonListsWhatItLeftOut() throws Exception {
    Path out = dir.resolve("skip");
    Path suite = out.resolve("suite");
    io.twinrouter.agent.tasks.TaskSuite.bundled(suite);
    Path taskFile = suite.resolve(io.twinrouter.agent.tasks.TaskSuite.BUNDLED_TASK_FILE);
    List<String> rows = Files.readAllLines(taskFile);
    String good = rows.stream().filter(l -> l.contains(CASES.get(0))).findFirst().orElseThrow();
    var orphan = (com.fasterxml.jackson.databind.node.ObjectNode) RunOutputs.JSON.readTree(
        rows.stream().filter(l -> l.contains(CASES.get(1))).findFirst().orElseThrow());
    orphan.put("repo", "acme/widgets").put("version", "9.9").remove(List.of("test_cmd"));
    Files.writeString(taskFile, good + "\n"
        + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(orphan) + "\n");
    LiveRunOptions o = LiveRunOptions.of(taskFile.toString(), "always-high", "local", out)
        .withWorkers(1).withSelection(TaskSelection.ALL.skippingUnsupported(true));

    LiveRun.Outcome outcome = new LiveRun(o, TwinrouterSettings.load()).run(e -> {}, false);

    assertEquals(1, outcome.progress().done());
    assertFalse(Files.exists(out.resolve("results/" + CASES.get(1) + ".json")));
    JsonNode skipped = LiveRunChecks.json(out.resolve("score.json")).path("unsupported_skipped");
    assertEquals(1, skipped.size(), skipped.toString());
    assertEquals(CASES.get(1), skipped.get(0).path("instance_id").asText());
    assertTrue(skipped.get(0).path("reason").asText().startsWith("no grading plan: SWE-bench has"
        + " no test command for acme/widgets version 9.9"), skipped.toString());
  }
}
