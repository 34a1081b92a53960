package io.twinrouter.agent.sim;

import com.typesafe.config.Config;
import io.twinrouter.config.UsageFormat;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of a simulated pool server (defaults in {@code twinrouter.sim-pool}).
 *
 * @param port 0 picks a free port
 * @param meanLatency mean simulated answer time (each answer takes 50-150 % of it); zero for none
 * @param failRate share of requests answered with a 429 or 503 (0 for none)
 * @param requiredApiKey when present, requests must carry {@code Authorization: Bearer <key>}
 * @param failAfterCalls after this many requests every further one answers {@code
 *     failAfterStatus} (a key revoked or credit spent mid-run); negative for never
 * @param persona the provider whose usage shape the answers use
 */
public record SimPoolOptions(
    int port,
    long seed,
    Duration cacheTtl,
    Duration meanLatency,
    double failRate,
    int maxBodyBytes,
    Optional<String> requiredApiKey,
    int failAfterCalls,
    int failAfterStatus,
    UsageFormat persona) {

  public SimPoolOptions(int port, long seed, Duration cacheTtl, Duration meanLatency,
      double failRate, int maxBodyBytes, Optional<String> requiredApiKey) {
    this(port, seed, cacheTtl, meanLatency, failRate, maxBodyBytes, requiredApiKey, -1, 401,
        UsageFormat.OPENAI);
  }

  public static SimPoolOptions from(Config root) {
    Config c = root.getConfig("twinrouter.sim-pool");
    return new SimPoolOptions(
        0,
        c.getLong("seed"),
        c.getDuration("cache-ttl"),
        c.getDuration("latency"),
        0.0,
        c.getInt("max-body-bytes"),
        Optional.empty(),
        c.hasPath("fail-after-calls") ? c.getInt("fail-after-calls") : -1,
        c.hasPath("fail-after-status") ? c.getInt("fail-after-status") : 401,
        c.hasPath("persona") ? Persona.fromLabel(c.getString("persona")) : UsageFormat.OPENAI);
  }

  public SimPoolOptions withPort(int p) {
    return new SimPoolOptions(p, seed, cacheTtl, meanLatency, failRate, maxBodyBytes, requiredApiKey,
        failAfterCalls, failAfterStatus, persona);
  }

  public SimPoolOptions withSeed(long s) {
    return new SimPoolOptions(port, s, cacheTtl, meanLatency, failRate, maxBodyBytes, requiredApiKey,
        failAfterCalls, failAfterStatus, persona);
  }

  public SimPoolOptions withLatency(Duration d) {
    return new SimPoolOptions(port, seed, cacheTtl, d, failRate, maxBodyBytes, requiredApiKey,
        failAfterCalls, failAfterStatus, persona);
  }

  public SimPoolOptions withFailRate(double r) {
    return new SimPoolOptions(port, seed, cacheTtl, meanLatency, r, maxBodyBytes, requiredApiKey,
        failAfterCalls, failAfterStatus, persona);
  }

  public SimPoolOptions withCacheTtl(Duration ttl) {
    return new SimPoolOptions(port, seed, ttl, meanLatency, failRate, maxBodyBytes, requiredApiKey,
        failAfterCalls, failAfterStatus, persona);
  }

  public SimPoolOptions withRequiredApiKey(String key) {
    return new SimPoolOptions(
        port, seed, cacheTtl, meanLatency, failRate, maxBodyBytes, Optional.of(key),
        failAfterCalls, failAfterStatus, persona);
  }

  public SimPoolOptions withPersona(UsageFormat p) {
    return new SimPoolOptions(port, seed, cacheTtl, meanLatency, failRate, maxBodyBytes,
        requiredApiKey, failAfterCalls, failAfterStatus, p);
  }
}
