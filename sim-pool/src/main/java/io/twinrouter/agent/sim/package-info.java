/**
 * The simulated model pool: an OpenAI-compatible server on 127.0.0.1 that plays, for each task it
 * knows, a realistic trajectory toward the gold patch, with tier-dependent mistakes ({@link
 * io.twinrouter.agent.sim.ErrorModel}), cl100k usage and prompt caching. Start it with {@link
 * io.twinrouter.agent.sim.SimPoolServer#start} and point the pool at {@code baseUrl()} ({@code
 * ModelPool.withBaseUrl}); agents reach it only over HTTP.
 */
package io.twinrouter.agent.sim;
