package io.twinrouter.agent.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinrouter.common.Json;
import io.twinrouter.router.ModelCacheView;
import io.twinrouter.router.PrefixFingerprint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The harness-side cache model of one instance (live-track spec 3.5): per pool model, what its
 * last call sent, how many prompt tokens the provider reported and when. A hint for routers and a
 * diagnostic in the trace, never a billing number. The TTL is not applied here; routers compare
 * {@code now_ts - last_call_ts} with the TTL themselves.
 */
public final class HarnessCache {

  /** The mini scaffold's trace hint: hit when the chosen model has any prior call. */
  public record Lookup(boolean hit, String reason, long cachedPrefixTokenCount) {
    public Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("hit", hit);
      m.put("reason", reason);
      m.put("cached_prefix_token_count", cachedPrefixTokenCount);
      return m;
    }
  }

  private static final ObjectMapper JSON = Json.MAPPER;

  /** Each model's entry as routers see it; nulls and 0 while the model was never called. */
  private final Map<String, ModelCacheView> views = new LinkedHashMap<>();

  public HarnessCache(List<String> poolModelIds) {
    for (String id : poolModelIds) {
      views.put(id, ModelCacheView.neverCalled(id));
    }
  }

  /** A copy of every model's view, in pool order. */
  public Map<String, ModelCacheView> snapshot() {
    return new LinkedHashMap<>(views);
  }

  public Lookup lookup(String modelId) {
    ModelCacheView v = views.get(modelId);
    if (v == null || !v.everCalled()) {
      return new Lookup(false, "cold_start_first_call", 0);
    }
    return new Lookup(true, "prefix_match", v.prefixTokenCount());
  }

  /** mini's update: the history including the new reply, provider prompt tokens, finish time. */
  public void record(String modelId, List<Map<String, Object>> history, long promptTokens,
      double finishedAt) {
    recordHashed(modelId, fingerprint(history), promptTokens, finishedAt);
  }

  /** {@link #record} with the history's {@link #fingerprint} already computed. */
  public void recordHashed(String modelId, String historyHash, long promptTokens,
      double finishedAt) {
    views.put(modelId, new ModelCacheView(modelId, finishedAt, promptTokens, historyHash));
  }

  /**
   * The router module's prefix hash (spec 3.5), so a router checking a prefix computes exactly
   * what the harness stored.
   */
  public static String fingerprint(List<Map<String, Object>> messages) {
    List<JsonNode> nodes = new ArrayList<>(messages.size());
    for (Map<String, Object> m : messages) {
      nodes.add(JSON.valueToTree(m));
    }
    return PrefixFingerprint.prefixHash(nodes);
  }
}
