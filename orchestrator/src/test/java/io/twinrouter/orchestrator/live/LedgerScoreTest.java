package io.twinrouter.orchestrator.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinrouter.agent.loop.Action;
import io.twinrouter.agent.loop.HarnessCache;
import io.twinrouter.agent.loop.StepRecord;
import io.twinrouter.agent.model.CallLedger;
import io.twinrouter.agent.model.UnusableResponse;
import io.twinrouter.agent.model.Usage;
import io.twinrouter.agent.records.TraceWriter;
import io.twinrouter.config.Tier;
import io.twinrouter.config.TwinrouterSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * score.json's ledger checks and {@code live score --reprice}, read from a run directory whose
 * trace rows the agent's own {@link TraceWriter} wrote: one call served by another model than
 * requested, two calls with a provider-billed cost that differs from the computed one, a format
 * error priced from its usage, a 200 whose usage was unreadable, and a format error that ended
 * the case (in its summary row).
 */
class LedgerScoreTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private static StepRecord step(int index, String model, Usage usage, double cost,
      CallLedger ledger) {
    return new StepRecord("case-1", index, 10.0 + index, 11.0 + index, model, Tier.LOW,
        "openai_compat", "r", 100, 2, "user", "x", usage, new HarnessCache.Lookup(false, "", 0),
        cost, cost, "", List.of(new Action("ls", "c" + index, "{}")), 1.0, 0, null, ledger, List.of());
  }

  private static Usage openRouter(long prompt, long completion, Double billed) throws Exception {
    JsonNode raw = JSON.readTree("{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":"
        + completion + (billed == null ? "" : ",\"cost\":" + billed) + "}");
    return new Usage(prompt, 0, 0, completion, null, raw, billed);
  }

  private Path runWithLedger() throws Exception {
    Path run = dir.resolve("run");
    Files.createDirectories(run.resolve("results"));
    String low = TwinrouterSettings.load().pool().forTier(Tier.LOW).orElseThrow().modelId();
    Usage formatError = openRouter(500, 10, null);
    try (TraceWriter trace = new TraceWriter(run.resolve("case-1.trace.jsonl"))) {
      trace.step(step(0, low, openRouter(1000, 100, 0.0021), 0.002,
          new CallLedger("openai/gpt-4o", "openai/gpt-4o-mini", "Azure", List.of())));
      trace.step(step(1, low, openRouter(2000, 50, 0.0030), 0.0031,
          new CallLedger("openai/gpt-4o", "openai/gpt-4o-2024-08-06", null, List.of(
              new UnusableResponse(low, "FormatError", formatError, 0.0007),
              new UnusableResponse(low, "ProviderMissingUsageError: missing usage object",
                  null, null)))));
      // the case ended on a format error: listed in its summary row
      trace.loopSummary("case-1", 2, "LimitsExceeded", 0.0051, java.util.Map.of(low, 2),
          List.of(new UnusableResponse(low, "FormatError", openRouter(800, 5, null), 0.0003)));
    }
    Files.writeString(run.resolve("results/case-1.json"), "{\"instance_id\":\"case-1\","
        + "\"resolved\":true,\"model_distribution\":{\"" + low + "\":2}}");
    return run;
  }

  @Test
  void scoreJsonCountsMismatchesTheBilledDifferenceAndThePaidButUnusableResponses()
      throws Exception {
    Path run = runWithLedger();
    JsonNode score = LiveScoring.scoreDirectory(run, TwinrouterSettings.load(), false,
        Optional.empty(), Optional.empty());
    // the dated snapshot of the requested alias is not a mismatch; the other model is
    assertEquals(1, score.path("served_model_mismatches").asInt());
    JsonNode call = score.path("ledger").path("served_model_mismatch_calls").get(0);
    assertEquals(0, call.path("step_index").asInt());
    assertEquals("openai/gpt-4o-mini", call.path("served_model").asText());
    assertEquals((0.0021 + 0.0030) - (0.002 + 0.0031),
        score.path("billed_minus_computed_usd").asDouble(), 1e-15);
    assertEquals(2, score.path("ledger").path("provider_billed_call_count").asInt());
    JsonNode unusable = score.path("ledger").path("unusable_paid_responses");
    assertEquals(3, unusable.path("count").asInt());
    assertEquals(2, unusable.path("priced_count").asInt());
    assertEquals(0.0007 + 0.0003, unusable.path("cost_usd").asDouble(), 1e-15);
    assertEquals("ProviderMissingUsageError: missing usage object",
        unusable.path("usage_unknown").get(0).path("cause").asText());
    assertEquals(1, unusable.path("usage_unknown").get(0).path("before_step_index").asInt());
    // the bill itself stays the computed one, as the reference prices it
    assertEquals(0.002 + 0.0031, score.path("total_router_cost_usd").asDouble(), 1e-15);
  }

  @Test
  void repricingRecomputesTheBillFromTheRawUsageAndLeavesScoreJsonAlone() throws Exception {
    Path run = runWithLedger();
    TwinrouterSettings settings = TwinrouterSettings.load();
    LiveScoring.scoreDirectory(run, settings, false, Optional.empty(), Optional.empty());
    String original = Files.readString(run.resolve("score.json"));
    String low = settings.pool().forTier(Tier.LOW).orElseThrow().modelId();
    Path pool = Files.writeString(dir.resolve("other-prices.conf"), "models = [{ model-id = \""
        + low + "\", tier = low, base-url = \"http://127.0.0.1:9/v1\", usage-format = openrouter,"
        + " rates { input = 1.0, cache-read = 0.1, cache-write = 1.0, output = 4.0 } }]");
    JsonNode repriced = LiveScoring.scoreDirectory(run, settings, false, Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.of(pool));
    assertEquals((1000 * 1.0 + 100 * 4.0) / 1e6 + (2000 * 1.0 + 50 * 4.0) / 1e6,
        repriced.path("total_router_cost_usd").asDouble(), 1e-15);
    assertEquals(0.002 + 0.0031, repriced.path("repriced").path("recorded_router_cost_usd")
        .asDouble(), 1e-15);
    assertTrue(Files.isRegularFile(run.resolve(LiveScoring.REPRICED_SCORE)));
    assertEquals(original, Files.readString(run.resolve("score.json")));

    Path lacking = Files.writeString(dir.resolve("lacking.conf"), "models = [{ model-id = other,"
        + " base-url = \"http://127.0.0.1:9/v1\", tier = low,"
        + " rates { input = 1, cache-read = 1, cache-write = 1, output = 1 } }]");
    RuntimeException e = assertThrows(RuntimeException.class, () -> LiveScoring.scoreDirectory(
        run, settings, false, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.of(lacking)));
    assertTrue(e.getMessage().contains("case-1.trace.jsonl:1: model_id '" + low
        + "' is not in the repricing pool"), e.getMessage());
    assertFalse(e.getMessage().isEmpty());
  }
}
