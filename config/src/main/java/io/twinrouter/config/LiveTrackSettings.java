package io.twinrouter.config;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Limits and knobs of the live track (live-track spec sections 1.1, 2.1.2 and 5.1).
 *
 * @param failurePenaltyUsd added to the bill for every unresolved case
 */
public record LiveTrackSettings(
    int stepLimit,
    double costLimitUsd,
    Duration commandTimeout,
    int observationLimitChars,
    int wallclockTtlSec,
    Duration selectTimeout,
    double failurePenaltyUsd,
    int workers) {

  static LiveTrackSettings from(Config c) {
    return new LiveTrackSettings(
        c.getInt("step-limit"),
        c.getDouble("cost-limit-usd"),
        c.getDuration("command-timeout"),
        c.getInt("observation-limit-chars"),
        c.getInt("wallclock-ttl-sec"),
        c.getDuration("select-timeout"),
        c.getDouble("failure-penalty-usd"),
        c.getInt("workers"));
  }
}
