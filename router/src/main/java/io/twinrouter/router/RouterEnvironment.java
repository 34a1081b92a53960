package io.twinrouter.router;

import io.twinrouter.config.ModelPool;
import io.twinrouter.config.TwinrouterSettings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What built-in and user routers may be built from: the pool, the settings, a seed, and (static
 * track only) the bank's labelled prefixes for {@code oracle} and the kNN routers.
 *
 * @param labeledPrefixes empty in the live track; routers that need labels then refuse to start
 * @param selectTimeout the default timeout of one HTTP router call
 * @param routerTokenEnv the environment variable holding an HTTP router's bearer token (read once
 *     when the router is built; unset or empty means no {@code Authorization} header)
 */
public record RouterEnvironment(
    TwinrouterSettings settings,
    ModelPool pool,
    long seed,
    List<LabeledPrefix> labeledPrefixes,
    TokenCounter tokenCounter,
    Duration selectTimeout,
    String routerTokenEnv) {

  public static final String DEFAULT_TOKEN_ENV = "TWINROUTER_ROUTER_TOKEN";
  public static final long DEFAULT_SEED = 42;

  public RouterEnvironment {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(pool, "pool");
    labeledPrefixes = List.copyOf(labeledPrefixes);
    Objects.requireNonNull(tokenCounter, "tokenCounter");
    Objects.requireNonNull(selectTimeout, "selectTimeout");
  }

  /** The settings' pool and select timeout, seed 42, no labels, chars/4 token estimates. */
  public static RouterEnvironment of(TwinrouterSettings settings) {
    return new RouterEnvironment(
        settings,
        settings.pool(),
        DEFAULT_SEED,
        List.of(),
        TokenCounter.CHARS_DIV_4,
        settings.liveTrack().selectTimeout(),
        DEFAULT_TOKEN_ENV);
  }

  public RouterEnvironment withPool(ModelPool p) {
    return new RouterEnvironment(
        settings, p, seed, labeledPrefixes, tokenCounter, selectTimeout, routerTokenEnv);
  }

  public RouterEnvironment withSeed(long s) {
    return new RouterEnvironment(
        settings, pool, s, labeledPrefixes, tokenCounter, selectTimeout, routerTokenEnv);
  }

  public RouterEnvironment withLabeledPrefixes(List<LabeledPrefix> prefixes) {
    return new RouterEnvironment(
        settings, pool, seed, prefixes, tokenCounter, selectTimeout, routerTokenEnv);
  }

  public RouterEnvironment withTokenCounter(TokenCounter counter) {
    return new RouterEnvironment(
        settings, pool, seed, labeledPrefixes, counter, selectTimeout, routerTokenEnv);
  }

  public RouterEnvironment withSelectTimeout(Duration timeout) {
    return new RouterEnvironment(
        settings, pool, seed, labeledPrefixes, tokenCounter, timeout, routerTokenEnv);
  }

  public RouterEnvironment withRouterTokenEnv(String envName) {
    return new RouterEnvironment(
        settings, pool, seed, labeledPrefixes, tokenCounter, selectTimeout, envName);
  }
}
