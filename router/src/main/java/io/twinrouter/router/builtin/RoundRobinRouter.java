package io.twinrouter.router.builtin;

import io.twinrouter.router.AvailableModel;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterContext;
import io.twinrouter.router.RouterDecision;

/** {@code available_models[step_index mod pool size]}, as the reference's round-robin router. */
public final class RoundRobinRouter implements Router {

  @Override
  public String name() {
    return "round-robin";
  }

  @Override
  public RouterDecision select(RouterContext ctx) {
    int n = ctx.availableModels().size();
    AvailableModel m = ctx.availableModels().get(Math.floorMod(ctx.stepIndex(), n));
    return RouterDecision.of(m, "round-robin step " + ctx.stepIndex() + " mod " + n);
  }
}
