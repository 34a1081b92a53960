package io.twinrouter.sandbox;

import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the sandboxes of a run at start-up (what a crashed earlier process left) and again when
 * the actor system shuts down, so no labelled container or work directory outlives a run.
 */
public final class SandboxReaper {
  private static final Logger log = LoggerFactory.getLogger(SandboxReaper.class);

  private SandboxReaper() {}

  /**
   * Reaps {@code runId}'s leftovers now (null: every twinrouter sandbox) and registers the same on
   * {@link CoordinatedShutdown} (phase before-actor-system-terminate, after the actors stopped).
   */
  public static int reapNowAndOnShutdown(ActorSystem<?> system, SandboxProvider provider, String runId) {
    int removed = provider.reap(runId);
    if (removed > 0) {
      log.warn("removed {} sandbox(es) left over by an earlier run", removed);
    }
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
            "reap-sandboxes-" + provider.backend(),
            () ->
                CompletableFuture.supplyAsync(
                    () -> {
                      int n = provider.reap(runId);
                      if (n > 0) {
                        log.info("removed {} sandbox(es) at shutdown", n);
                      }
                      return Done.getInstance();
                    },
                    system.dispatchers().lookup(
                        org.apache.pekko.actor.typed.DispatcherSelector.fromConfig(
                            SandboxSettings.DISPATCHER))));
    return removed;
  }
}
