package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.twinrouter.orchestrator.live.LiveRunChecks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider that answers 401 in the middle of a run (the simulated pool's fail-after-calls: the
 * key revoked after N requests, with OpenAI's invalid_api_key body) stops the run with exit 3,
 * naming the model and the provider's message; no unfinished case writes a result. The rerun
 * after the fix resumes from the journals and ends with the resolved set and the total cost of an
 * uninterrupted run, no step billed twice.
 */
class SetupMistakeStopIT {
  static final List<String> CASES =
      List.of("twinrouter-suite__ledgerkit-101", "twinrouter-suite__tinyini-201");
  /** Four preflight probes (one per pool model), then three case steps, then 401s. */
  static final int FAIL_AFTER = 4 + 3;

  @TempDir Path dir;

  record Result(int code, String stderr) {}

  Result liveRun(Path out, Map<String, String> properties) throws Exception {
    Path ids = LiveRunChecks.idsFile(dir, CASES);
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    properties.forEach(System::setProperty);
    ConfigFactory.invalidateCaches();
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = CliOutput.run("live", "run", "--router", "always-high", "--sandbox", "local",
          "--workers", "2", "--seed", "11", "--instance-ids", ids.toString(),
          "--out", out.toString()).exitCode();
      return new Result(code, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(original);
      properties.keySet().forEach(System::clearProperty);
      ConfigFactory.invalidateCaches();
    }
  }

  @Test
  void aKeyRevokedMidRunStopsTheRunAndTheRerunFinishesAsIfUninterrupted() throws Exception {
    Path whole = dir.resolve("whole");
    Result w = liveRun(whole, Map.of());
    assertEquals(0, w.code(), w.stderr());
    Map<String, Boolean> expected = LiveRunChecks.checkRun(whole, CASES);

    Path stopped = dir.resolve("stopped");
    Result s = liveRun(stopped, Map.of(
        "twinrouter.sim-pool.fail-after-calls", Integer.toString(FAIL_AFTER),
        "twinrouter.sim-pool.fail-after-status", "401"));
    assertEquals(3, s.code(), s.stderr());
    assertTrue(s.stderr().contains("twinrouter: the run stopped: model "), s.stderr());
    assertTrue(s.stderr().contains(": HTTP 401 from http://127.0.0.1:"), s.stderr());
    assertTrue(s.stderr().contains("Incorrect API key provided"), s.stderr());
    assertTrue(s.stderr().contains("rerun with the same --out to resume"), s.stderr());
    for (String id : CASES) {
      assertFalse(Files.exists(stopped.resolve("results/" + id + ".json")),
          id + ": an unfinished case writes no result");
    }
    assertFalse(Files.exists(stopped.resolve("score.json")), "a stopped run is not scored");

    Result again = liveRun(stopped, Map.of());
    assertEquals(0, again.code(), again.stderr());
    assertEquals(expected, LiveRunChecks.checkRun(stopped, CASES));
    JsonNode a = LiveRunChecks.json(whole.resolve("score.json"));
    JsonNode b = LiveRunChecks.json(stopped.resolve("score.json"));
    assertEquals(a.path("total_router_cost_usd").asDouble(),
        b.path("total_router_cost_usd").asDouble(), 1e-12, "total cost");
    for (String id : CASES) {
      List<Integer> steps = new ArrayList<>();
      try (Stream<String> lines = Files.lines(stopped.resolve(id + ".trace.jsonl"))) {
        for (String line : (Iterable<String>) lines::iterator) {
          JsonNode row = LiveRunChecks.json(Files.writeString(dir.resolve("row.json"), line));
          if (!row.has("__marker__")) {
            steps.add(row.path("step_index").asInt());
          }
        }
      }
      assertEquals(steps.stream().distinct().count(), steps.size(), id + " steps " + steps);
    }
  }
}
