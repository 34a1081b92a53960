package io.twinrouter.agent.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinrouter.agent.loop.Action;
import io.twinrouter.agent.loop.HarnessCache;
import io.twinrouter.agent.loop.StepRecord;
import io.twinrouter.agent.model.Usage;
import io.twinrouter.config.Tier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-case files carry exactly the reference's keys (live-track spec 4.6), in its order. */
class RecordSchemaTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static StepRecord step() {
    String longCommand = "x".repeat(300);
    return new StepRecord("astropy__astropy-1", 4, 10.0, 12.5, "deepseek/deepseek-v3.2", Tier.LOW,
        "openai_compat", "cheap first", 2500, 3, "tool", "y".repeat(600),
        new Usage(10, 20, 0, 5,
            JSON.valueToTree(Map.of("prompt_tokens", 30, "completion_tokens", 5, "cost", 0.001))),
        new HarnessCache.Lookup(true, "prefix_match", 20), 0.0001, 0.0005, "z".repeat(400),
        List.of(new Action(longCommand, "c1", "{\"command\": \"" + longCommand + "\"}")), 12.5, 2);
  }

  static List<String> keys(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void traceRowsHaveTheReferenceFieldsPlusTwinroutersExtras(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("a.trace.jsonl");
    try (TraceWriter w = new TraceWriter(file)) {
      w.step(step());
      w.loopSummary("astropy__astropy-1", 1, "Submitted", 0.0005, Map.of("deepseek/deepseek-v3.2", 1),
          List.of());
    }
    List<String> lines = Files.readAllLines(file);
    assertEquals(2, lines.size());
    JsonNode row = JSON.readTree(lines.get(0));
    assertEquals(List.of("instance_id", "step_index", "started_at", "finished_at", "model_id",
        "provider", "rationale", "latency_ms", "prompt_messages_count", "prompt_tail_role",
        "prompt_tail_preview", "usage", "raw_usage", "cache_lookup", "step_cost_usd",
        "cumulative_cost_usd", "assistant_content_len", "tool_call_count", "tool_calls_preview",
        "assistant_content_preview", "tier", "router_decision_ms", "retries", "cache_hit"), keys(row));
    assertEquals(List.of("input_tokens", "cache_read_tokens", "cache_write_tokens", "output_tokens"),
        keys(row.get("usage")));
    assertEquals(List.of("hit", "reason", "cached_prefix_token_count"), keys(row.get("cache_lookup")));
    assertEquals(500, row.get("prompt_tail_preview").asText().length());
    assertEquals(300, row.get("assistant_content_preview").asText().length());
    JsonNode call = row.get("tool_calls_preview").get(0);
    assertEquals("bash", call.get("tool_name").asText());
    assertEquals(240, call.get("args_preview").asText().length());
    assertTrue(call.get("args_truncated").asBoolean());
    assertEquals(0.001, row.get("raw_usage").get("cost").asDouble());

    assertTrue(row.get("billed_cost_usd") == null, "no billed cost unless the provider says");

    StepRecord billed = step();
    billed = new StepRecord(billed.instanceId(), billed.stepIndex(), billed.startedAt(),
        billed.finishedAt(), billed.modelId(), billed.tier(), billed.provider(), billed.rationale(),
        billed.latencyMs(), billed.promptMessagesCount(), billed.promptTailRole(),
        billed.promptTailContent(),
        new Usage(10, 20, 0, 5, 3L, billed.usage().raw(), 0.00042), billed.cacheLookup(),
        billed.stepCostUsd(), billed.cumulativeCostUsd(), billed.assistantContent(),
        billed.actions(), billed.routerDecisionMs(), billed.retries());
    JsonNode billedRow = JSON.valueToTree(TraceWriter.stepRow(billed));
    assertEquals(3, billedRow.get("reasoning_tokens").asLong());
    assertEquals(0.00042, billedRow.get("billed_cost_usd").asDouble());

    JsonNode summary = JSON.readTree(lines.get(1));
    assertEquals(List.of("__marker__", "instance_id", "step_count", "finished_by",
        "total_router_cost_usd", "error", "model_distribution"), keys(summary));
    assertTrue(summary.get("error").isNull());
  }

  @Test
  void resultFilesHaveTheReferenceFieldsInPythonsLayout(@TempDir Path dir) throws Exception {
    var files = new CaseFiles(dir, "astropy__astropy-1");
    Map<String, Integer> dist = new LinkedHashMap<>();
    dist.put("deepseek/deepseek-v3.2", 2);
    var result = new CaseResult("astropy__astropy-1", false, "", false, files.trace(), 2, 0.5,
        "LimitsExceeded", dist, null, "no patch produced (agent loop produced empty diff)", null,
        "a|b", 12, "WALLCLOCK_5MIN", null, null, null, null, "astropy/astropy", files.trajectory());
    result.write(files.result());
    String text = Files.readString(dir.resolve("results/astropy__astropy-1.json"));
    assertTrue(text.startsWith("{\n  \"instance_id\": \"astropy__astropy-1\",\n  \"resolved\": false,\n"), text);
    assertTrue(text.contains("\"model_distribution\": {\n    \"deepseek/deepseek-v3.2\": 2\n  },"), text);
    JsonNode n = JSON.readTree(text);
    assertEquals(List.of("instance_id", "resolved", "patch", "patch_applied", "trace_path",
        "step_count", "total_router_cost_usd", "finished_by", "model_distribution", "agent_error",
        "eval_error", "eval_report_path", "pool_fingerprint", "pricing_schema_version",
        "ttl_policy_name", "fail_to_pass_pass_count", "fail_to_pass_fail_count",
        "pass_to_pass_pass_count", "pass_to_pass_fail_count", "extra"), keys(n));
    assertTrue(n.get("patch").isNull(), "an empty patch is null");
    assertEquals(List.of("instance_repo", "mini_trajectory_path"), keys(n.get("extra")));
    assertEquals(dir.resolve("astropy__astropy-1.mini_traj.json").toAbsolutePath().toString(),
        n.get("extra").get("mini_trajectory_path").asText());
  }

  @Test
  void trajectoriesFollowMinisFormat(@TempDir Path dir) throws Exception {
    var w = new TrajectoryWriter(dir.resolve("t.mini_traj.json"), "astropy__astropy-1",
        Map.of("step_limit", 250), Map.of("pool_model_ids", List.of("a")), Map.of("cwd", "/testbed"));
    w.write(w.render(List.of(Map.of("role", "system", "content", "hi")), 0.25, 3, "Submitted", "p"));
    JsonNode n = JSON.readTree(dir.resolve("t.mini_traj.json").toFile());
    assertEquals(List.of("info", "messages", "trajectory_format", "instance_id"), keys(n));
    assertEquals("mini-swe-agent-1.1", n.get("trajectory_format").asText());
    assertEquals(List.of("model_stats", "config", "mini_version", "exit_status", "submission"),
        keys(n.get("info")));
    assertEquals(List.of("instance_cost", "api_calls"), keys(n.get("info").get("model_stats")));
    assertEquals(List.of("agent", "agent_type", "model", "model_type", "environment",
        "environment_type"), keys(n.get("info").get("config")));
  }
}
