package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.twinrouter.orchestrator.live.LiveRunChecks;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live runs of the same cases and seed against the simulated pool in the default usage shape
 * and under the personas that can report the locked pool's cache writes (openrouter,
 * anthropic, litellm), each model's usage read with {@code usage-format = auto}: the same
 * resolved set and the same bill, to 1e-9.
 */
class PersonaLiveRunIT {
  static final List<String> CASES =
      List.of("twinrouter-suite__ledgerkit-101", "twinrouter-suite__tinyini-201");

  @TempDir Path dir;

  private JsonNode run(String persona) throws Exception {
    Path out = dir.resolve(persona);
    Path ids = LiveRunChecks.idsFile(dir, CASES);
    System.setProperty("twinrouter.sim-pool.persona", persona);
    ConfigFactory.invalidateCaches();
    try {
      int code = CliOutput.run("live", "run", "--router", "always-high", "--sandbox", "local",
          "--workers", "2", "--seed", "11", "--instance-ids", ids.toString(),
          "--out", out.toString()).exitCode();
      assertEquals(0, code, persona);
    } finally {
      System.clearProperty("twinrouter.sim-pool.persona");
      ConfigFactory.invalidateCaches();
    }
    LiveRunChecks.checkRun(out, CASES);
    // the trace keeps each call's raw usage: in the persona's own words
    String firstRow = java.nio.file.Files.readAllLines(
        out.resolve(CASES.get(0) + ".trace.jsonl")).get(0);
    JsonNode raw = LiveRunChecks.json(java.nio.file.Files.writeString(
        dir.resolve(persona + "-row.json"), firstRow)).path("raw_usage");
    String field = Map.of("openai", "prompt_tokens", "openrouter", "cost",
        "anthropic", "input_tokens", "litellm", "cache_creation_input_tokens").get(persona);
    assertTrue(raw.has(field), persona + ": " + raw);
    return LiveRunChecks.json(out.resolve("score.json"));
  }

  @Test
  void everyPersonaBillsTheRunAsTheDefaultShape() throws Exception {
    JsonNode expected = run("openai");
    for (String persona : List.of("openrouter", "anthropic", "litellm")) {
      JsonNode actual = run(persona);
      assertEquals(expected.path("total_router_cost_usd").asDouble(),
          actual.path("total_router_cost_usd").asDouble(), 1e-9, persona + " total cost");
      assertEquals(expected.path("resolved_count").asInt(), actual.path("resolved_count").asInt(),
          persona + " resolved");
    }
  }
}
