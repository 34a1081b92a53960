package io.twinrouter.agent.loop;

import io.twinrouter.router.RouterContext;
import io.twinrouter.router.RouterDecision;
import java.util.concurrent.CompletionStage;

/**
 * Asks the run's router for the next model. Non-blocking: a blocking router is run on the
 * blocking dispatcher by its adapter. The case enforces the select timeout around the stage. The
 * decision arrives as the router module made it, its tier and decision time included, and goes
 * to the step's trace row unchanged.
 */
@FunctionalInterface
public interface RouteChooser {
  CompletionStage<RouterDecision> choose(RouterContext context);

  /** True when asking costs a model call ({@link io.twinrouter.router.Router#callsModels}). */
  default boolean callsModels() {
    return false;
  }
}
