package io.twinrouter.router;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Routes many contexts (a static bank) with at most {@code concurrency} calls in flight and no
 * thread per call: each finished call starts the next. Failures are values, so one bad answer
 * never stops the batch; results come back in input order.
 */
public final class BatchRouting {

  /** The outcome of one context: a decision, or the error that makes it an error row. */
  public record Outcome(int index, RouterDecision decision, RouterException error) {
    public boolean failed() {
      return error != null;
    }
  }

  private BatchRouting() {}

  /**
   * @param executor runs in-process routers' {@code select}; HTTP routers do not need it
   * @param progress called once per finished context, from whichever thread finished it
   */
  public static CompletableFuture<List<Outcome>> routeAll(
      Router router,
      List<RouterContext> contexts,
      int concurrency,
      Executor executor,
      Consumer<Outcome> progress) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
    }
    Outcome[] results = new Outcome[contexts.size()];
    AtomicInteger next = new AtomicInteger();
    int lanes = Math.min(concurrency, contexts.size());
    CompletableFuture<?>[] done = new CompletableFuture<?>[lanes];
    for (int lane = 0; lane < lanes; lane++) {
      CompletableFuture<Void> laneDone = new CompletableFuture<>();
      done[lane] = laneDone;
      startNext(router, contexts, executor, progress, results, next, laneDone);
    }
    return CompletableFuture.allOf(done).thenApply(v -> List.copyOf(Arrays.asList(results)));
  }

  private static void startNext(
      Router router,
      List<RouterContext> contexts,
      Executor executor,
      Consumer<Outcome> progress,
      Outcome[] results,
      AtomicInteger next,
      CompletableFuture<Void> laneDone) {
    // loop over calls that finish synchronously: recursing would overflow the stack on big banks
    while (true) {
      int i = next.getAndIncrement();
      if (i >= contexts.size()) {
        laneDone.complete(null);
        return;
      }
      CompletableFuture<RouterDecision> call;
      try {
        call = router.selectAsync(contexts.get(i), executor).toCompletableFuture();
      } catch (RuntimeException e) {
        call = CompletableFuture.failedFuture(e);
      }
      if (!call.isDone()) {
        call.whenComplete(
            (decision, failure) -> {
              record(i, decision, failure, results, progress);
              startNext(router, contexts, executor, progress, results, next, laneDone);
            });
        return;
      }
      RouterDecision decision = null;
      Throwable failure = null;
      try {
        decision = call.join();
      } catch (RuntimeException e) {
        failure = e;
      }
      record(i, decision, failure, results, progress);
    }
  }

  private static void record(
      int i, RouterDecision decision, Throwable failure, Outcome[] results, Consumer<Outcome> progress) {
    Outcome o =
        failure == null ? new Outcome(i, decision, null) : new Outcome(i, null, Router.unwrap(failure));
    results[i] = o;
    try {
      progress.accept(o);
    } catch (RuntimeException e) {
      // a failing progress display must not stop the batch
    }
  }

  /** The outcomes that failed, for summaries. */
  public static List<Outcome> failures(List<Outcome> outcomes) {
    List<Outcome> out = new ArrayList<>();
    for (Outcome o : outcomes) {
      if (o.failed()) {
        out.add(o);
      }
    }
    return out;
  }
}
