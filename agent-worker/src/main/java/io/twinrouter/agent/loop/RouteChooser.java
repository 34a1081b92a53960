package io.twinrouter.agent.loop;

import java.util.concurrent.CompletionStage;

/**
 * Asks the run's router for the next model. Non-blocking: a blocking router is run on the
 * blocking dispatcher by its adapter. The case enforces the select timeout around the stage.
 */
@FunctionalInterface
public interface RouteChooser {
  CompletionStage<RouteChoice> choose(RouteRequest request);
}
