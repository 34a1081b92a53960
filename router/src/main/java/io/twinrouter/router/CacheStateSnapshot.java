package io.twinrouter.router;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The harness cache model at the moment a context is built: one {@link ModelCacheView} for every
 * pool model, in pool order.
 */
public record CacheStateSnapshot(
    @JsonProperty("wallclock_ttl_sec") int wallclockTtlSec,
    @JsonProperty("now_ts") double nowTs,
    @JsonProperty("by_model") Map<String, ModelCacheView> byModel) {

  public CacheStateSnapshot {
    byModel = Collections.unmodifiableMap(new LinkedHashMap<>(byModel));
  }

  /** No model called yet: the state of an instance's first call, and of every static row. */
  public static CacheStateSnapshot empty(List<AvailableModel> models, int ttlSec, double nowTs) {
    Map<String, ModelCacheView> views = new LinkedHashMap<>();
    for (AvailableModel m : models) {
      views.put(m.modelId(), ModelCacheView.neverCalled(m.modelId()));
    }
    return new CacheStateSnapshot(ttlSec, nowTs, views);
  }

  public Optional<ModelCacheView> get(String modelId) {
    return Optional.ofNullable(byModel.get(modelId));
  }
}
