package io.twinrouter.orchestrator.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.config.TwinrouterSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code live run} JVM killed with SIGKILL mid-run, then rerun with the same {@code --out},
 * gives the resolved set of an uninterrupted run with the same seed, bills no step twice, and
 * costs the same, in total and per case, to the last cache read.
 */
public class KilledRunResumeIT {
  static final List<String> CASES =
      List.of("twinrouter-suite__ledgerkit-101", "twinrouter-suite__tinyini-201");

  @TempDir Path dir;

  @Test
  void aKilledRunResumesToTheSameResolvedSetAndCost() throws Exception {
    Path ids = LiveRunChecks.idsFile(dir, CASES);
    LiveRunOptions base = LiveRunOptions.of("bundled", "always-high", "local", dir.resolve("whole"))
        .withWorkers(1).withSeed(11).withInstanceIds(ids);
    new LiveRun(base, TwinrouterSettings.load()).run(e -> {}, false);
    Map<String, Boolean> expected = LiveRunChecks.checkRun(dir.resolve("whole"), CASES);

    Path killed = dir.resolve("killed");
    Process jvm = new ProcessBuilder(javaBinary(), "-jar", jar().toString(), "live", "run",
        "--router", "always-high", "--sandbox", "local", "--workers", "1", "--seed", "11",
        "--instance-ids", ids.toString(), "--out", killed.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    Path firstTrace = killed.resolve(CASES.get(0) + ".trace.jsonl");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline && jvm.isAlive()
        && !(Files.isRegularFile(firstTrace) && Files.readAllLines(firstTrace).size() >= 3)) {
      Thread.sleep(50);
    }
    assertTrue(jvm.isAlive(), "the run was still going when killed");
    jvm.destroyForcibly(); // SIGKILL: no shutdown hook, no clean-up
    jvm.waitFor(30, TimeUnit.SECONDS);
    assertFalse(Files.exists(killed.resolve("results/" + CASES.get(1) + ".json")),
        "killed mid-run: the second case had not finished");

    LiveRunOptions again = LiveRunOptions.of("bundled", "always-high", "local", killed)
        .withWorkers(1).withSeed(11).withInstanceIds(ids);
    LiveRun.Outcome resumed = new LiveRun(again, TwinrouterSettings.load()).run(e -> {}, false);
    assertTrue(resumed.reused().size() <= 1, "only a case finished before the kill is reused");
    assertEquals(expected, LiveRunChecks.checkRun(killed, CASES));
    JsonNode whole = LiveRunChecks.json(dir.resolve("whole/score.json"));
    JsonNode after = LiveRunChecks.json(killed.resolve("score.json"));
    // No step is billed twice: every priced step of every trace appears once.
    for (String id : CASES) {
      List<Integer> steps = new java.util.ArrayList<>();
      for (String line : Files.readAllLines(killed.resolve(id + ".trace.jsonl"))) {
        JsonNode row = RunOutputs.JSON.readTree(line);
        if (!row.has("__marker__")) {
          steps.add(row.path("step_index").asInt());
        }
      }
      assertEquals(steps.stream().distinct().count(), steps.size(), id + " steps " + steps);
    }
    // The simulated pool's prompt cache is read off the conversation (as a real provider's
    // outlives its client), so the fresh pool of the rerun bills every call as the first did.
    assertEquals(whole.path("total_router_cost_usd").asDouble(),
        after.path("total_router_cost_usd").asDouble(), 1e-12, "total cost");
    for (String id : CASES) {
      JsonNode a = LiveRunChecks.json(dir.resolve("whole/results/" + id + ".json"));
      JsonNode b = LiveRunChecks.json(killed.resolve("results/" + id + ".json"));
      assertEquals(a.path("total_router_cost_usd").asDouble(),
          b.path("total_router_cost_usd").asDouble(), 1e-12, id + " cost");
      assertTrue(a.path("total_router_cost_usd").asDouble() > 0, id + " was billed");
    }
  }

  public static String javaBinary() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** The shaded jar of this module, built by the package phase before the integration tests. */
  public static Path jar() {
    Path jar = Path.of("target", "twinrouter.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), "no " + jar + ": run the integration tests with verify");
    return jar;
  }
}
