package io.twinrouter.config;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Limits and knobs of the live track (live-track spec sections 1.1, 2.1.2 and 5.1).
 *
 * @param selectTimeout how long a live step waits for its router's decision
 * @param failurePenaltyUsd added to the bill for every unresolved case
 * @param onRouterError what a failed router call does to its case
 */
public record LiveTrackSettings(
    int stepLimit,
    double costLimitUsd,
    Duration commandTimeout,
    int observationLimitChars,
    int wallclockTtlSec,
    Duration selectTimeout,
    double failurePenaltyUsd,
    int workers,
    RouterErrorPolicy onRouterError) {

  /** The settings with the reference's policy: a failed router call ends the case. */
  public LiveTrackSettings(int stepLimit, double costLimitUsd, Duration commandTimeout,
      int observationLimitChars, int wallclockTtlSec, Duration selectTimeout,
      double failurePenaltyUsd, int workers) {
    this(stepLimit, costLimitUsd, commandTimeout, observationLimitChars, wallclockTtlSec,
        selectTimeout, failurePenaltyUsd, workers, RouterErrorPolicy.END);
  }

  static LiveTrackSettings from(Config c) {
    RouterErrorPolicy policy;
    try {
      policy = RouterErrorPolicy.parse(c.getString("on-router-error"));
    } catch (IllegalArgumentException e) {
      throw new SettingsException("twinrouter.live.on-router-error: " + e.getMessage(), e);
    }
    if (c.getDuration("select-timeout").compareTo(Duration.ZERO) <= 0) {
      throw new SettingsException("twinrouter.live.select-timeout: must be positive, got "
          + c.getString("select-timeout"));
    }
    return new LiveTrackSettings(
        c.getInt("step-limit"),
        c.getDouble("cost-limit-usd"),
        c.getDuration("command-timeout"),
        c.getInt("observation-limit-chars"),
        c.getInt("wallclock-ttl-sec"),
        c.getDuration("select-timeout"),
        c.getDouble("failure-penalty-usd"),
        c.getInt("workers"),
        policy);
  }
}
