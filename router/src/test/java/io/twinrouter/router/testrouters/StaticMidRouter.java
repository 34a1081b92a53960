package io.twinrouter.router.testrouters;

import io.twinrouter.config.Tier;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterContext;
import io.twinrouter.router.RouterDecision;
import io.twinrouter.router.RouterEnvironment;
import io.twinrouter.router.RouterException;

/** A user router loaded with {@code java:}; proves it received the environment. */
public final class StaticMidRouter implements Router {
  private final long seed;

  public StaticMidRouter(RouterEnvironment env) {
    this.seed = env.seed();
  }

  @Override
  public String name() {
    return "static-mid";
  }

  @Override
  public RouterDecision select(RouterContext ctx) throws RouterException {
    return RouterDecision.forTier(ctx, Tier.MID, "seed " + seed);
  }
}
