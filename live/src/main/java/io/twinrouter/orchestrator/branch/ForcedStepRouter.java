package io.twinrouter.orchestrator.branch;

import io.twinrouter.router.AvailableModel;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterContext;
import io.twinrouter.router.RouterDecision;
import io.twinrouter.router.RouterException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * A branch's router: step {@code at} goes to the chosen pool model, every later step to {@code
 * then}. The steps before {@code at} are replayed from the source run and never ask a router.
 */
final class ForcedStepRouter implements Router {
  private final int at;
  private final String modelId;
  private final Router then;

  ForcedStepRouter(int at, String modelId, Router then) {
    this.at = at;
    this.modelId = modelId;
    this.then = then;
  }

  @Override
  public String name() {
    return then.name();
  }

  @Override
  public boolean callsModels() {
    return then.callsModels();
  }

  @Override
  public RouterDecision select(RouterContext ctx) throws RouterException {
    return ctx.stepIndex() == at ? forced(ctx) : then.select(ctx);
  }

  @Override
  public CompletionStage<RouterDecision> selectAsync(RouterContext ctx, Executor executor) {
    if (ctx.stepIndex() != at) {
      return then.selectAsync(ctx, executor);
    }
    try {
      return CompletableFuture.completedFuture(forced(ctx));
    } catch (RouterException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private RouterDecision forced(RouterContext ctx) throws RouterException {
    for (AvailableModel m : ctx.availableModels()) {
      if (m.modelId().equals(modelId)) {
        return RouterDecision.of(m, "branch: step " + at + " forced to " + modelId);
      }
    }
    throw new RouterException(RouterException.Kind.NOT_IN_POOL, "the branch's choice '" + modelId
        + "' is not in the pool " + ctx.modelIds(), null, null);
  }
}
