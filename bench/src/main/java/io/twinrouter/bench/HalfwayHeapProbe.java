package io.twinrouter.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads the heap after a full GC once, when a run is half way (every case is then running and
 * holds about half of its conversation). Off the callers' threads.
 */
final class HalfwayHeapProbe {
  private final long atSteps;
  private final CompletableFuture<Long> heap = new CompletableFuture<>();
  private boolean fired;

  HalfwayHeapProbe(long atSteps) {
    this.atSteps = Math.max(1, atSteps);
  }

  synchronized void offer(long steps) {
    if (!fired && steps >= atSteps) {
      fired = true;
      CompletableFuture.runAsync(() -> heap.complete(JvmReadings.heapAfterGc()));
    }
  }

  long await() throws Exception {
    if (!heap.isDone() && !fired) {
      return JvmReadings.heapAfterGc(); // too few steps to reach the probe: read it now
    }
    return heap.get(5, TimeUnit.MINUTES);
  }
}
