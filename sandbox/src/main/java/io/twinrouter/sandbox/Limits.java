package io.twinrouter.sandbox;

/**
 * Resource limits of one sandbox.
 *
 * @param memoryBytes memory cap (no swap beyond it); 0 for none
 * @param nanoCpus CPU quota in units of 10^-9 CPUs (1_000_000_000 = one CPU); 0 for none
 * @param pids most processes and threads at once; 0 for none
 */
public record Limits(long memoryBytes, long nanoCpus, long pids) {

  public Limits {
    if (memoryBytes < 0 || nanoCpus < 0 || pids < 0) {
      throw new IllegalArgumentException("sandbox limits must not be negative: " + this);
    }
  }

  public static Limits none() {
    return new Limits(0, 0, 0);
  }

  public Limits withMemoryBytes(long bytes) {
    return new Limits(bytes, nanoCpus, pids);
  }

  public Limits withPids(long max) {
    return new Limits(memoryBytes, nanoCpus, max);
  }
}
