package io.twinrouter.agent.casework;

import io.twinrouter.agent.loop.RouteChooser;
import io.twinrouter.agent.loop.RouterFailure;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterContext;
import io.twinrouter.router.RouterDecision;
import io.twinrouter.router.RouterException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The loop's router on a {@link Router} of the router module (built-in, {@code java:} class or
 * HTTP): asks {@code selectAsync} with the loop's live {@link RouterContext} (spec 1.1) and hands
 * the decision on as it came, its failures in the loop's exit-status names. A blocking
 * in-process router runs on {@code executor}; the HTTP router does not block at all.
 */
public final class RouterChooser implements RouteChooser {

  private final Router router;
  private final Executor executor;

  public RouterChooser(Router router, Executor executor) {
    this.router = router;
    this.executor = executor;
  }

  public Router router() {
    return router;
  }

  @Override
  public boolean callsModels() {
    return router.callsModels();
  }

  @Override
  public CompletionStage<RouterDecision> choose(RouterContext ctx) {
    CompletionStage<RouterDecision> decision;
    try {
      decision = router.selectAsync(ctx, executor);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(RouterFailure.raised(e));
    }
    return decision.handle((d, err) -> {
      if (err != null) {
        throw new CompletionException(failure(Router.unwrap(err)));
      }
      return d;
    });
  }

  /** The router module's failure kinds, in the loop's exit-status names. */
  static RouterFailure failure(RouterException e) {
    return switch (e.kind()) {
      case TIMEOUT -> new RouterFailure("SelectDeadlineExceeded", e.getMessage(), e);
      case MALFORMED, NOT_IN_POOL -> new RouterFailure("InvalidRouterDecision", e.getMessage(), e);
      default -> new RouterFailure("RouterException", e.kind() + ": " + e.getMessage(), e);
    };
  }
}
