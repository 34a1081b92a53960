package io.twinrouter.orchestrator.cli;

import com.typesafe.config.ConfigFactory;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.RouterErrorPolicy;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.InputException;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The router timing of the commands that run live cases: {@code --router-timeout} and {@code
 * --on-router-error}, overriding {@code twinrouter.live.select-timeout} and {@code
 * twinrouter.live.on-router-error} for this command; score.json records both.
 */
final class RouterTimingOptions {
  @Mixin RouterTimeoutOption timeout = new RouterTimeoutOption();

  @Option(names = "--on-router-error", paramLabel = "end|tier:NAME",
      description = "A failed router call (error, bad answer, no answer in time): end (default,"
          + " the case ends as a router error, as the reference) or tier:NAME (that step goes to"
          + " the pool model of tier NAME; the trace marks it router_fallback).")
  String onError;

  /** {@code settings} with the options given, or unchanged; exit 2 naming a bad option. */
  TwinrouterSettings apply(TwinrouterSettings settings) {
    TwinrouterSettings s = timeout.apply(settings);
    if (onError == null) {
      return s;
    }
    RouterErrorPolicy policy;
    try {
      policy = RouterErrorPolicy.parse(onError);
    } catch (IllegalArgumentException e) {
      throw new InputException("--on-router-error: " + e.getMessage(), e);
    }
    return TwinrouterSettings.from(ConfigFactory.parseMap(
        Map.of("twinrouter.live.on-router-error", policy.wireName()), "command line")
        .withFallback(s.raw()));
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
