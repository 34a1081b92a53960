package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.agent.sim.SimPoolOptions;
import io.twinrouter.agent.sim.SimPoolServer;
import io.twinrouter.agent.sim.SimTaskLoader;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.config.UsageFormat;
import io.twinrouter.orchestrator.live.LiveRunChecks;
import io.twinrouter.orchestrator.live.LiveScoring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live run over a pool file whose provider is the simulated pool on 127.0.0.1 playing
 * OpenRouter (every chat answer states its {@code usage.cost}), with the cache-writing model
 * called through Anthropic's Messages API, so one run mixes both wire formats. Round-robin
 * routing sends every model calls. Its score.json checks its own ledger (the same model served
 * as requested; the billed and computed costs agree), and {@code live score --reprice} with every
 * rate doubled bills exactly twice as much from the traces alone, leaving score.json as it was.
 */
class LedgerLiveRunIT {
  static final List<String> CASES =
      List.of("twinrouter-suite__ledgerkit-101", "twinrouter-suite__tinyini-201");

  @TempDir Path dir;

  @Test
  void aMixedPoolFileRunChecksItsLedgerAndRepricesFromItsTraces() throws Exception {
    TwinrouterSettings settings = TwinrouterSettings.load();
    Path suite = dir.resolve("suite");
    TaskSuite.bundled(suite);
    try (SimPoolServer provider = SimPoolServer.start(settings.pool(),
        SimTaskLoader.load(suite.resolve(TaskSuite.BUNDLED_TASK_FILE)),
        SimPoolOptions.from(settings.raw()).withPort(0).withSeed(11)
            .withPersona(UsageFormat.OPENROUTER))) {
      Path pool = PreflightTest.writePool(dir.resolve("pool.conf"), provider.baseUrl(),
          m -> "anthropic".equals(m.cacheControlStyle()) ? "api = anthropic-messages," : "", 1.0);
      Path out = dir.resolve("run");
      int code = CliOutput.run("live", "run", "--router", "round-robin", "--pool",
          pool.toString(), "--sandbox", "local", "--workers", "2", "--seed", "11",
          "--instance-ids", LiveRunChecks.idsFile(dir, CASES).toString(),
          "--out", out.toString()).exitCode();
      assertEquals(0, code);
      LiveRunChecks.checkRun(out, CASES);

      JsonNode score = LiveRunChecks.json(out.resolve("score.json"));
      double total = score.path("total_router_cost_usd").asDouble();
      assertTrue(total > 0);
      assertEquals(0, score.path("served_model_mismatches").asInt());
      JsonNode ledger = score.path("ledger");
      assertTrue(ledger.path("provider_billed_call_count").asInt() > 0, ledger.toString());
      assertEquals(0.0, score.path("billed_minus_computed_usd").asDouble(), 1e-12);
      // the Messages API's calls are in the traces in Anthropic's words, without a billed cost
      long anthropicRows = 0;
      for (String id : CASES) {
        for (String line : Files.readAllLines(out.resolve(id + ".trace.jsonl"))) {
          JsonNode row = LiveRunChecks.json(Files.writeString(dir.resolve("row.json"), line));
          if (row.path("raw_usage").has("cache_creation")) {
            anthropicRows++;
            assertTrue(row.path("billed_cost_usd").isMissingNode(), line);
          }
        }
      }
      assertTrue(anthropicRows > 0, "the Messages API was called");

      String recorded = Files.readString(out.resolve("score.json"));
      Path doubled = PreflightTest.writePool(dir.resolve("doubled.conf"), provider.baseUrl(),
          m -> "anthropic".equals(m.cacheControlStyle()) ? "api = anthropic-messages," : "", 2.0);
      assertEquals(0, CliOutput.run("live", "score", "--reprice", doubled.toString(),
          out.toString()).exitCode());
      JsonNode repriced = LiveRunChecks.json(out.resolve(LiveScoring.REPRICED_SCORE));
      assertEquals(2 * total, repriced.path("total_router_cost_usd").asDouble(), 1e-12);
      assertEquals(total, repriced.path("repriced").path("recorded_router_cost_usd").asDouble(),
          1e-12);
      assertEquals(recorded, Files.readString(out.resolve("score.json")));
    }
  }
}
