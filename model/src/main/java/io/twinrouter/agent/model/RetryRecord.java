package io.twinrouter.agent.model;

/**
 * One failed attempt that was retried, for the trace.
 *
 * @param attempt 1-based number of the failed attempt
 * @param cause short reason ("HTTP 429", "HTTP 503", "timeout", "connection refused",
 *     "missing usage object", "response is not JSON")
 * @param waitMs how long the client waited before the next attempt
 */
public record RetryRecord(int attempt, String cause, long waitMs) {}
