package io.twinrouter.router;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.twinrouter.config.Rates;

/** A model's locked prices as routers see them, in USD per 1,000,000 tokens of each bucket. */
public record ModelPrices(
    @JsonProperty("input_per_m") double inputPerM,
    @JsonProperty("cache_read_per_m") double cacheReadPerM,
    @JsonProperty("cache_write_per_m") double cacheWritePerM,
    @JsonProperty("output_per_m") double outputPerM) {

  public static ModelPrices of(Rates rates) {
    return new ModelPrices(rates.input(), rates.cacheRead(), rates.cacheWrite(), rates.output());
  }
}
