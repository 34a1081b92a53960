/**
 * The OpenAI-compatible model client of the live track.
 *
 * <p>One {@link io.twinrouter.agent.model.ModelClient} serves every case of a run; its {@link
 * io.twinrouter.agent.model.EndpointLimiter} caps requests in flight per base URL. A case actor
 * calls {@link io.twinrouter.agent.model.ModelClient#complete} on a blocking dispatcher and pipes
 * the {@link io.twinrouter.agent.model.ModelOutcome} to itself: a {@link
 * io.twinrouter.agent.model.ModelTurn} (assistant message, four-bucket usage, local cost, retries)
 * or a {@link io.twinrouter.agent.model.ModelRequestRejected} (the case's own failure, recorded as
 * its agent error). A {@link io.twinrouter.agent.model.ModelUnavailableException} is an
 * infrastructure failure for the supervisor. Usage normalisation and pricing ({@link
 * io.twinrouter.agent.model.UsageNormalizer}, {@link io.twinrouter.agent.model.Usage#costUsd}) follow
 * live-track spec 3.2 and 3.3 and can re-price a trace's raw usage.
 */
package io.twinrouter.agent.model;
