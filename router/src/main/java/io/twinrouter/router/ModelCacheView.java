package io.twinrouter.router;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What the harness remembers of one model's last call in this instance (live-track spec 3.5): a
 * hint for cache-aware routers, never a billing number. The TTL is not applied here; a router
 * compares {@code now_ts - last_call_ts} with {@code wallclock_ttl_sec} itself.
 *
 * @param lastCallTs Unix seconds of the last call, null when the model was never called
 * @param prefixTokenCount provider-reported prompt tokens of the last call, 0 when never called
 * @param prefixHash SHA-256 hex of the cached message list ({@link PrefixFingerprint}), or null
 */
public record ModelCacheView(
    @JsonProperty("model_id") String modelId,
    @JsonProperty("last_call_ts") Double lastCallTs,
    @JsonProperty("prefix_token_count") long prefixTokenCount,
    @JsonProperty("prefix_hash") String prefixHash) {

  public static ModelCacheView neverCalled(String modelId) {
    return new ModelCacheView(modelId, null, 0, null);
  }

  public boolean everCalled() {
    return lastCallTs != null;
  }
}
