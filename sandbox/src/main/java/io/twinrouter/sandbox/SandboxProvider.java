package io.twinrouter.sandbox;

/**
 * Opens sandboxes of one backend and removes the leftovers of crashed runs. One provider per
 * process is enough (the Docker one shares a single engine client); close it at shutdown.
 */
public interface SandboxProvider extends AutoCloseable {

  /** {@code docker} or {@code local}. */
  String backend();

  /** Starts a sandbox; the caller closes it. Blocks (seconds when an image must be built). */
  Sandbox open(SandboxSpec spec);

  /**
   * Removes every sandbox labelled with {@code runId} (every twinrouter sandbox when null), also
   * those of a process that died without closing them. Returns how many were removed.
   */
  int reap(String runId);

  @Override
  void close();
}
