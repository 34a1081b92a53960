package io.twinrouter.orchestrator.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.agent.tasks.TaskInstance;
import io.twinrouter.agent.tasks.TaskSuite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** What every finished live run directory must hold, checked against the task's gold patch. */
public final class LiveRunChecks {
  private LiveRunChecks() {}

  public static Path idsFile(Path dir, List<String> ids) throws IOException {
    Path f = dir.resolve("ids.txt");
    Files.writeString(f, "# cases of this test\n" + String.join("\n", ids) + "\n");
    return f;
  }

  /**
   * A pool file whose every model's endpoint is a loopback port nothing listens on, so every
   * model call fails as an unreachable provider does: the case's infrastructure failure.
   */
  public static Path deadPool(Path dir) throws IOException {
    int deadPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      deadPort = s.getLocalPort(); // closed again: nothing listens there
    }
    StringBuilder models = new StringBuilder("models = [\n");
    for (var m : io.twinrouter.config.TwinrouterSettings.load().pool().models()) {
      models.append(String.format(java.util.Locale.ROOT,
          "{ model-id = \"%s\", tier = %s, base-url = \"http://127.0.0.1:%d/v1\", rates { input = %s,"
              + " cache-read = %s, cache-write = %s, output = %s } }\n",
          m.modelId(), m.tier().wireName(), deadPort, m.rates().input(), m.rates().cacheRead(),
          m.rates().cacheWrite(), m.rates().output()));
    }
    return Files.writeString(dir.resolve("pool.conf"), models.append("]\n"));
  }

  public static JsonNode json(Path f) throws IOException {
    return RunOutputs.JSON.readTree(f.toFile());
  }

  /** The changed lines of a diff, ignoring headers and context: what makes two fixes the same. */
  public static List<String> changedLines(String diff) {
    return diff.lines()
        .filter(l -> (l.startsWith("+") || l.startsWith("-"))
            && !l.startsWith("+++") && !l.startsWith("---"))
        .sorted()
        .toList();
  }

  /**
   * Checks the reference layout of a finished run over {@code ids} and returns resolved by id.
   * The simulated pool submits either the gold fix or a wrong edit that only the tests reveal, so
   * grading must resolve a case exactly when its patch makes the gold patch's changes.
   */
  public static Map<String, Boolean> checkRun(Path out, List<String> ids) throws IOException {
    Map<String, TaskInstance> gold = TaskSuite.load(out.resolve("suite/tasks.jsonl")).stream()
        .collect(Collectors.toMap(TaskInstance::instanceId, t -> t));
    Map<String, Boolean> resolved = new TreeMap<>();
    double api = 0;
    for (String id : ids) {
      JsonNode r = json(out.resolve("results/" + id + ".json"));
      assertEquals(id, r.path("instance_id").asText());
      assertTrue(Files.isRegularFile(out.resolve(id + ".trace.jsonl")), id + " trace");
      assertTrue(Files.isRegularFile(out.resolve(id + ".mini_traj.json")), id + " trajectory");
      String patch = r.path("patch").asText("");
      boolean isResolved = r.path("resolved").asBoolean();
      if ("Submitted".equals(r.path("finished_by").asText()) && !patch.isBlank()) {
        assertNotNull(r.get("eval_report_path").textValue(), id + " graded");
        assertTrue(Files.isRegularFile(Path.of(r.get("eval_report_path").asText())), id + " report");
        assertEquals(changedLines(gold.get(id).patch()).equals(changedLines(patch)), isResolved,
            id + ": resolved must mean the gold fix was submitted");
      } else {
        assertFalse(isResolved, id + " without a patch cannot be resolved");
      }
      resolved.put(id, isResolved);
      api += r.path("total_router_cost_usd").asDouble();
    }
    JsonNode preds = json(out.resolve("preds.json"));
    assertEquals(ids.size(), preds.size());
    for (String id : ids) {
      assertEquals(id, preds.path(id).path("instance_id").asText());
      assertEquals(json(out.resolve("results/" + id + ".json")).path("patch").asText(""),
          preds.path(id).path("model_patch").asText());
    }
    JsonNode score = json(out.resolve("score.json"));
    long nResolved = resolved.values().stream().filter(b -> b).count();
    assertEquals(nResolved, score.path("resolved_count").asLong());
    assertEquals(ids.size(), score.path("instance_count").asInt());
    assertEquals(api, score.path("total_router_cost_usd").asDouble(), 1e-9);
    assertEquals(api + 0.60 * (ids.size() - nResolved),
        score.path("total_leaderboard_bill_usd").asDouble(), 1e-9);
    JsonNode summary = json(out.resolve("eval_summary.json"));
    assertEquals(ids.size(), summary.path("completed").asInt());
    assertEquals(nResolved, summary.path("resolved_count").asLong());
    return resolved;
  }
}
