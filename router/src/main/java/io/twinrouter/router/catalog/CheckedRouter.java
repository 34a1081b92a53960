package io.twinrouter.router.catalog;

import io.twinrouter.router.DecisionParser;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterContext;
import io.twinrouter.router.RouterDecision;
import io.twinrouter.router.RouterException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Wraps every router handed out by {@link Routers#byName}: whatever a router returns is checked
 * against the pool of the context it answers, an in-process router's unchecked exception becomes
 * a {@link RouterException}, and the decision time is measured when the router did not.
 */
final class CheckedRouter implements Router {
  private final Router inner;
  /** The label the user gave ({@code --router-name}, {@code label}), or null for the router's own. */
  private final String label;

  CheckedRouter(Router inner, String label) {
    this.inner = inner;
    this.label = label;
  }

  Router inner() {
    return inner;
  }

  @Override
  public String name() {
    return label != null ? label : inner.name();
  }

  @Override
  public boolean isUpperBound() {
    return inner.isUpperBound();
  }

  @Override
  public boolean callsModels() {
    return inner.callsModels();
  }

  @Override
  public RouterDecision select(RouterContext ctx) throws RouterException {
    long start = System.nanoTime();
    RouterDecision d;
    try {
      d = inner.select(ctx);
    } catch (RouterException e) {
      throw e;
    } catch (RuntimeException | LinkageError e) {
      throw Router.unwrap(e);
    }
    return stamp(DecisionParser.validate(d, ctx), System.nanoTime() - start);
  }

  @Override
  public CompletionStage<RouterDecision> selectAsync(RouterContext ctx, Executor executor) {
    long start = System.nanoTime();
    CompletionStage<RouterDecision> stage;
    try {
      stage = inner.selectAsync(ctx, executor);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(Router.unwrap(e));
    }
    return stage.handle(
        (d, failure) -> {
          if (failure != null) {
            throw new CompletionException(Router.unwrap(failure));
          }
          try {
            return stamp(DecisionParser.validate(d, ctx), System.nanoTime() - start);
          } catch (RouterException e) {
            throw new CompletionException(e);
          }
        });
  }

  private static RouterDecision stamp(RouterDecision d, long elapsed) {
    return d.decisionNanos() > 0 ? d : d.withDecisionNanos(elapsed);
  }

  @Override
  public String toString() {
    return inner.toString();
  }
}
