package io.twinrouter.orchestrator.cli;

import io.twinrouter.config.ModelPool;
import io.twinrouter.config.RouterTiming;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.InputException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The router timing of the commands that run live cases: {@code --router-timeout} and {@code
 * --on-router-error}, overriding {@code twinrouter.live.select-timeout} and {@code
 * twinrouter.live.on-router-error} for this command (and, in a clustered run, on its nodes);
 * score.json records both.
 */
final class RouterTimingOptions {
  @Mixin RouterTimeoutOption timeout = new RouterTimeoutOption();

  @Option(names = "--on-router-error", paramLabel = "end|tier:NAME",
      description = "A failed router call (error, bad answer, no answer in time): end (default,"
          + " the case ends as a router error, as the reference) or tier:NAME (that step goes to"
          + " the pool model of tier NAME; the trace marks it router_fallback).")
  String onError;

  /** What the options asked for ({@link RouterTiming#NONE} when neither was given). */
  RouterTiming timing() {
    Long ms = timeout.millis();
    try {
      return new RouterTiming(ms, onError);
    } catch (IllegalArgumentException e) {
      throw new InputException("--on-router-error: " + e.getMessage(), e);
    }
  }

  /** {@code settings} with the options given, or unchanged; exit 2 naming a bad option. */
  TwinrouterSettings apply(TwinrouterSettings settings) {
    return timing().applyTo(settings);
  }

  /** Refuses a fallback tier the run's pool has no model of (exit 2 naming the option). */
  static void checkPool(TwinrouterSettings settings, ModelPool pool) {
    try {
      settings.liveTrack().onRouterError().checkAgainst(pool);
    } catch (IllegalArgumentException e) {
      throw new InputException("--on-router-error: " + e.getMessage(), e);
    }
  }
}
