package io.twinrouter.router;

import io.twinrouter.common.Failures;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Chooses the model for one model call of an agent (live track) or one bank prefix (static
 * track). One router object serves every case of a run, from several threads at once:
 * implementations must be thread-safe. Get routers by name with {@link Routers#byName}.
 */
public interface Router {

  /** The label written into summaries and traces. */
  String name();

  /**
   * Decides for one call. A failure the router is responsible for (unreachable, too slow, a
   * malformed answer, a model outside the pool) is a {@link RouterException}.
   */
  RouterDecision select(RouterContext ctx) throws RouterException;

  /**
   * Decides without blocking the caller. The default runs {@link #select} on the executor;
   * {@link io.twinrouter.router.http.HttpRouter} overrides it with non-blocking I/O, so an
   * evaluation with n concurrent calls needs no thread per call. The stage fails with a
   * {@link RouterException} (possibly wrapped in a {@link CompletionException}).
   */
  default CompletionStage<RouterDecision> selectAsync(RouterContext ctx, Executor executor) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return select(ctx);
          } catch (RouterException e) {
            throw new CompletionException(e);
          }
        },
        executor);
  }

  /**
   * True for routers that see gold labels (oracle, in-sample kNN): their scores bound what a
   * router can reach and are labelled as upper bounds, never ranked with real routers.
   */
  default boolean isUpperBound() {
    return false;
  }

  /**
   * True for routers whose decision is itself a paid model call (a routing proxy answers the
   * step while deciding it). The case then asks such a router only once the previous step is
   * durable, as it does a model: a step is journalled before the next call that spends.
   */
  default boolean callsModels() {
    return false;
  }

  /** The {@link RouterException} behind a failed {@link #selectAsync} stage, if that is what it is. */
  static RouterException unwrap(Throwable failure) {
    Throwable t = Failures.cause(failure);
    if (t instanceof RouterException re) {
      return re;
    }
    return new RouterException(
        RouterException.Kind.ROUTER_FAILED,
        "router failed: " + t.getClass().getSimpleName() + ": " + t.getMessage(),
        null,
        t);
  }
}
