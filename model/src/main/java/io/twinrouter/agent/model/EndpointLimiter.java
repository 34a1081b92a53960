package io.twinrouter.agent.model;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Caps the requests in flight per endpoint (base URL) across every case of a run. One instance is
 * shared by all model clients of a run; fair semaphores serve waiting cases in arrival order so
 * no case starves behind a burst of others.
 */
public final class EndpointLimiter {
  private final int permitsPerEndpoint;
  private final ConcurrentHashMap<String, Semaphore> byEndpoint = new ConcurrentHashMap<>();

  public EndpointLimiter(int permitsPerEndpoint) {
    if (permitsPerEndpoint < 1) {
      throw new IllegalArgumentException("permits per endpoint must be >= 1");
    }
    this.permitsPerEndpoint = permitsPerEndpoint;
  }

  /** A permit for one request to the endpoint; close it when the request is done. */
  public Permit acquire(String baseUrl) throws InterruptedException {
    Semaphore s = byEndpoint.computeIfAbsent(baseUrl, k -> new Semaphore(permitsPerEndpoint, true));
    s.acquire();
    return new Permit(s);
  }

  public int permitsPerEndpoint() {
    return permitsPerEndpoint;
  }

  /** Releases exactly once. */
  public static final class Permit implements AutoCloseable {
    private Semaphore semaphore;

    private Permit(Semaphore semaphore) {
      this.semaphore = semaphore;
    }

    @Override
    public void close() {
      if (semaphore != null) {
        semaphore.release();
        semaphore = null;
      }
    }
  }
}
