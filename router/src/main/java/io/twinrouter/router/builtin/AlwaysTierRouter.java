package io.twinrouter.router.builtin;

import io.twinrouter.config.Tier;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterContext;
import io.twinrouter.router.RouterDecision;
import io.twinrouter.router.RouterException;

/** The same tier at every step (the pool's first model of it): the always-X baselines. */
public final class AlwaysTierRouter implements Router {
  private final Tier tier;
  private final String name;

  public AlwaysTierRouter(Tier tier) {
    this.tier = tier;
    this.name = "always-" + tier.wireName();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public RouterDecision select(RouterContext ctx) throws RouterException {
    return RouterDecision.forTier(ctx, tier, name);
  }
}
