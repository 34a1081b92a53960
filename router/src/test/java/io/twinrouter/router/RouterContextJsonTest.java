package io.twinrouter.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request body has exactly the documented field names (docs/router-protocol.md). */
class RouterContextJsonTest {

  private static List<String> keys(JsonNode object) {
    List<String> out = new ArrayList<>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static JsonNode wire(RouterContext ctx) throws Exception {
    return RouterJson.mapper().readTree(RouterJson.contextBytes(ctx));
  }

  @Test
  void aLiveContextHasTheFieldsOfLiveTrackSection11() throws Exception {
    JsonNode json = wire(Contexts.live(4));
    assertEquals(
        List.of("track", "instance_id", "step_index", "messages", "tools", "available_models",
            "cache_state", "budget_so_far_usd", "run_config"),
        keys(json));
    assertEquals("live", json.get("track").asText());
    JsonNode model = json.get("available_models").get(0);
    assertEquals(List.of("model_id", "tier", "prices"), keys(model));
    assertEquals(
        List.of("input_per_m", "cache_read_per_m", "cache_write_per_m", "output_per_m"),
        keys(model.get("prices")));
    assertEquals("anthropic/claude-opus-4.6", model.get("model_id").asText());
    assertEquals("high", model.get("tier").asText());
    JsonNode cache = json.get("cache_state");
    assertEquals(List.of("wallclock_ttl_sec", "now_ts", "by_model"), keys(cache));
    assertEquals(
        List.of("anthropic/claude-opus-4.6", "google/gemini-3-flash-preview",
            "minimax/minimax-m2.7", "deepseek/deepseek-v3.2"),
        keys(cache.get("by_model")));
    JsonNode view = cache.get("by_model").get("minimax/minimax-m2.7");
    assertEquals(List.of("model_id", "last_call_ts", "prefix_token_count", "prefix_hash"), keys(view));
    assertTrue(view.get("last_call_ts").isNull());
    assertEquals(
        List.of("max_steps", "budget_usd", "wallclock_ttl_sec", "select_timeout_sec"),
        keys(json.get("run_config")));
    assertEquals(250, json.get("run_config").get("max_steps").asInt());
    assertEquals(30.0, json.get("run_config").get("select_timeout_sec").asDouble());
  }

  @Test
  void aStaticContextAddsRowIdAndBenchmarkAndTakesToolsFromFunctions() throws Exception {
    JsonNode row = Contexts.bankRows("bank1.jsonl").get(0);
    JsonNode json = wire(Contexts.staticContext(row));
    assertEquals(
        List.of("track", "row_id", "benchmark", "instance_id", "step_index", "messages", "tools",
            "available_models", "cache_state", "budget_so_far_usd", "run_config"),
        keys(json));
    assertEquals("static", json.get("track").asText());
    assertEquals("bfcl_bfcl_multi_00", json.get("row_id").asText());
    assertEquals("bfcl", json.get("benchmark").asText());
    assertEquals(row.get("messages"), json.get("messages"));
    assertEquals(row.get("functions"), json.get("tools"));
    assertEquals(0.0, json.get("budget_so_far_usd").asDouble());
    assertEquals(0.0, json.get("cache_state").get("now_ts").asDouble());
    assertFalse(json.has("total_steps"), "total_steps would reveal the future");
    assertFalse(json.toString().contains("target_tier"), "the gold label never reaches a router");
    // static prices are the static track's per-tier rates, which the scorer bills with
    JsonNode midHigh = json.get("available_models").get(1);
    assertEquals("mid_high", midHigh.get("tier").asText());
    assertEquals(0.08333, midHigh.get("prices").get("cache_write_per_m").asDouble());
  }

  @Test
  void aRowWithoutOptionalFieldsGetsTheScorersDefaults() throws Exception {
    JsonNode row = RouterJson.mapper().readTree("{\"id\":\"r1\",\"benchmark\":\"x\"}");
    RouterContext ctx = Contexts.staticContext(row);
    assertEquals("r1", ctx.instanceId());
    assertEquals(1, ctx.stepIndex());
    assertTrue(ctx.messages().isEmpty());
    assertTrue(ctx.tools().isEmpty());
    JsonNode bad = RouterJson.mapper().readTree("{\"id\":\"r2\",\"messages\":\"hello\"}");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StaticRowView.fromJson(bad));
    assertEquals("row r2: messages must be a JSON array, got string", e.getMessage());
  }

  @Test
  void aContextReadsBackFromItsOwnJson() throws Exception {
    RouterContext live = Contexts.live(9);
    assertEquals(live, RouterJson.readContext(RouterJson.contextBytes(live)));
    RouterContext fromRow = Contexts.staticContext(Contexts.bankRows("bank2.jsonl").get(5));
    assertEquals(fromRow, RouterJson.readContext(RouterJson.contextBytes(fromRow)));
  }

  @Test
  void prefixHashIsTheSha256OfTheCanonicalArrayOfReducedMessages() throws Exception {
    List<JsonNode> messages = Contexts.live("x", 0,
        "[{\"role\":\"system\",\"content\":\"A\",\"extra\":{\"k\":1}},"
            + "{\"role\":\"assistant\",\"content\":\"é\",\"tool_calls\":[{\"id\":\"t\"}]}]")
        .messages();
    String canonical = "[{\"content\": \"A\", \"role\": \"system\"}, "
        + "{\"content\": \"é\", \"role\": \"assistant\", \"tool_calls\": [{\"id\": \"t\"}]}]";
    String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest
        .getInstance("SHA-256").digest(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertEquals(expected, PrefixFingerprint.prefixHash(messages));
    assertEquals(expected, PrefixFingerprint.prefixHashOfCanonical(
        messages.stream().map(PrefixFingerprint::canonicalMessage).toList()));
    assertEquals(PrefixFingerprint.prefixHashOfCanonical(List.of()),
        PrefixFingerprint.prefixHash(List.of()));
  }

  @Test
  void prefixHashIgnoresExtraKeysAndSeesContent() throws Exception {
    List<JsonNode> a = Contexts.live(0).messages();
    List<JsonNode> b =
        Contexts.live(
                "x", 0,
                "[{\"content\":\"You are a helpful assistant.\",\"role\":\"system\",\"extra\":{}},"
                    + "{\"role\":\"user\",\"content\":\"Fix the bug.\"}]")
            .messages();
    List<JsonNode> c = Contexts.live("x", 0, "[{\"role\":\"system\",\"content\":\"Other.\"}]").messages();
    assertEquals(PrefixFingerprint.prefixHash(a), PrefixFingerprint.prefixHash(b));
    assertFalse(PrefixFingerprint.prefixHash(a).equals(PrefixFingerprint.prefixHash(c)));
    assertEquals(64, PrefixFingerprint.prefixHash(a).length());
    assertEquals(
        "[{\"content\": \"You are a helpful assistant.\", \"role\": \"system\"}]",
        PrefixFingerprint.canonical(RouterJson.mapper().readTree(
            "[{\"role\":\"system\",\"content\":\"You are a helpful assistant.\"}]")));
    assertEquals(
        "anthropic/claude-opus-4.6|deepseek/deepseek-v3.2|google/gemini-3-flash-preview|minimax/minimax-m2.7",
        PrefixFingerprint.poolFingerprint(Contexts.live(0).modelIds()));
  }
}
