package io.twinrouter.router.testrouters;

import io.twinrouter.config.Tier;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterContext;
import io.twinrouter.router.RouterDecision;

/** A user router with a no-arg constructor that breaks the rules in two ways. */
public final class MisbehavingRouter implements Router {
  @Override
  public String name() {
    return "misbehaving";
  }

  @Override
  public RouterDecision select(RouterContext ctx) {
    if (ctx.stepIndex() == 0) {
      return new RouterDecision("openai/gpt-9", Tier.HIGH, null, 0);
    }
    throw new IllegalStateException("step " + ctx.stepIndex() + " is too hard");
  }
}
