package io.twinrouter.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Sent by a running case after each finished step, so whoever runs the campaign can show progress
 * and watch the run's spend before the case ends.
 *
 * @param steps model calls so far, format-error calls included
 * @param spendUsd the case's priced spend so far
 */
public record CaseProgress(
    @JsonProperty("run_id") String runId,
    @JsonProperty("instance_id") String instanceId,
    @JsonProperty("steps") int steps,
    @JsonProperty("spend_usd") double spendUsd) {}
