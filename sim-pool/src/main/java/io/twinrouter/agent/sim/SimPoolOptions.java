package io.twinrouter.agent.sim;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of a simulated pool server (defaults in {@code twinrouter.sim-pool}).
 *
 * @param port 0 picks a free port
 * @param meanLatency mean simulated answer time (each answer takes 50-150 % of it); zero for none
 * @param failRate share of requests answered with a 429 or 503 (0 for none)
 * @param requiredApiKey when present, requests must carry {@code Authorization: Bearer <key>}
 */
public record SimPoolOptions(
    int port,
    long seed,
    Duration cacheTtl,
    Duration meanLatency,
    double failRate,
    int maxBodyBytes,
    Optional<String> requiredApiKey) {

  public static SimPoolOptions from(Config root) {
    Config c = root.getConfig("twinrouter.sim-pool");
    return new SimPoolOptions(
        0,
        c.getLong("seed"),
        c.getDuration("cache-ttl"),
        c.getDuration("latency"),
        0.0,
        c.getInt("max-body-bytes"),
        Optional.empty());
  }

  public SimPoolOptions withPort(int p) {
    return new SimPoolOptions(p, seed, cacheTtl, meanLatency, failRate, maxBodyBytes, requiredApiKey);
  }

  public SimPoolOptions withSeed(long s) {
    return new SimPoolOptions(port, s, cacheTtl, meanLatency, failRate, maxBodyBytes, requiredApiKey);
  }

  public SimPoolOptions withLatency(Duration d) {
    return new SimPoolOptions(port, seed, cacheTtl, d, failRate, maxBodyBytes, requiredApiKey);
  }

  public SimPoolOptions withFailRate(double r) {
    return new SimPoolOptions(port, seed, cacheTtl, meanLatency, r, maxBodyBytes, requiredApiKey);
  }

  public SimPoolOptions withCacheTtl(Duration ttl) {
    return new SimPoolOptions(port, seed, ttl, meanLatency, failRate, maxBodyBytes, requiredApiKey);
  }

  public SimPoolOptions withRequiredApiKey(String key) {
    return new SimPoolOptions(
        port, seed, cacheTtl, meanLatency, failRate, maxBodyBytes, Optional.of(key));
  }
}
