package io.twinrouter.agent.sim;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Injected provider faults, so clients' retry paths can be exercised against a real server:
 * queued faults (the next N requests answer 429 with Retry-After, 500, or 200 without usage) and
 * a random fault rate (deterministic in the seed and the request's arrival number) that answers
 * 503 or 429.
 */
public final class FaultPlan {

  /** One injected fault. {@code retryAfter} may be null. */
  public record Fault(Kind kind, int status, Duration retryAfter) {}

  public enum Kind {
    STATUS,
    NO_USAGE,
    NOT_JSON
  }

  private final Deque<Fault> queued = new ArrayDeque<>();
  private final double failRate;
  private final long seed;
  private final AtomicLong arrivals = new AtomicLong();
  private long failAfterCalls = -1;
  private int failAfterStatus;

  public FaultPlan(double failRate, long seed) {
    if (failRate < 0 || failRate > 1) {
      throw new IllegalArgumentException("fail rate must be within 0..1, got " + failRate);
    }
    this.failRate = failRate;
    this.seed = seed;
  }

  /** The next {@code times} requests answer {@code status}, with Retry-After when given. */
  public synchronized FaultPlan failNext(int times, int status, Duration retryAfter) {
    for (int i = 0; i < times; i++) {
      queued.add(new Fault(Kind.STATUS, status, retryAfter));
    }
    return this;
  }

  /** The next {@code times} requests answer 200 with a completion but no usage object. */
  public synchronized FaultPlan omitUsageNext(int times) {
    for (int i = 0; i < times; i++) {
      queued.add(new Fault(Kind.NO_USAGE, 200, null));
    }
    return this;
  }

  /** The next {@code times} requests answer 200 with a body that is not JSON. */
  public synchronized FaultPlan garbleNext(int times) {
    for (int i = 0; i < times; i++) {
      queued.add(new Fault(Kind.NOT_JSON, 200, null));
    }
    return this;
  }

  /**
   * After {@code calls} requests, every further one answers {@code status}: a key revoked (401),
   * credit spent (402) or access withdrawn (403) in the middle of a run.
   */
  public synchronized FaultPlan failAfter(long calls, int status) {
    failAfterCalls = calls;
    failAfterStatus = status;
    return this;
  }

  /** Ends {@link #failAfter}: the key works again. */
  public synchronized FaultPlan recover() {
    failAfterCalls = -1;
    return this;
  }

  synchronized Optional<Fault> next() {
    long n = arrivals.getAndIncrement();
    if (failAfterCalls >= 0 && n >= failAfterCalls) {
      return Optional.of(new Fault(Kind.STATUS, failAfterStatus, null));
    }
    Fault f = queued.poll();
    if (f != null) {
      return Optional.of(f);
    }
    if (failRate > 0 && Draw.uniform(seed, "fault", (int) n, "", "rate") < failRate) {
      boolean rateLimited = Draw.uniform(seed, "fault", (int) n, "", "kind") < 0.5;
      return Optional.of(
          rateLimited
              ? new Fault(Kind.STATUS, 429, Duration.ofSeconds(1))
              : new Fault(Kind.STATUS, 503, null));
    }
    return Optional.empty();
  }
}
