package io.twinrouter.router;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.twinrouter.config.LiveTrackSettings;

/** Run-wide knobs a router may read (live-track spec 1.1). */
public record RunConfig(
    @JsonProperty("max_steps") int maxSteps,
    @JsonProperty("budget_usd") double budgetUsd,
    @JsonProperty("wallclock_ttl_sec") int wallclockTtlSec,
    @JsonProperty("select_timeout_sec") double selectTimeoutSec) {

  public static RunConfig of(LiveTrackSettings live) {
    return new RunConfig(
        live.stepLimit(),
        live.costLimitUsd(),
        live.wallclockTtlSec(),
        live.selectTimeout().toMillis() / 1000.0);
  }
}
