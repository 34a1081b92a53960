package io.twinrouter.router;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.Tier;
import java.util.Objects;

/**
 * One entry of {@code available_models}. The reference passes bare model ids; twinrouter sends
 * each model's tier and prices too, so a router needs no side table to reason about cost.
 */
public record AvailableModel(
    @JsonProperty("model_id") String modelId,
    @JsonProperty("tier") Tier tier,
    @JsonProperty("prices") ModelPrices prices) {

  public AvailableModel {
    Objects.requireNonNull(modelId, "model_id");
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(prices, "prices");
  }

  public static AvailableModel of(PoolModel model) {
    return new AvailableModel(model.modelId(), model.tier(), ModelPrices.of(model.rates()));
  }
}
