package io.twinrouter.router;

import io.twinrouter.config.ModelPool;
import io.twinrouter.config.TwinrouterSettings;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Asks a router once before a run, so that a router that is not running, listens elsewhere or
 * is reached at the wrong path stops the run with one clear message instead of turning every
 * row into an error row (or every case into a router error). Only failures that say nothing
 * answers at that address count: a refused connection, no answer within the timeout, or an HTTP
 * status that means "not this URL" or "not allowed". Any other answer, even a malformed one or a
 * model outside the pool, shows the router is there; such answers stay the run's error rows.
 */
public final class RouterCheck {
  /** Wrong path or method, or missing credentials: no router answers at this URL for us. */
  private static final Set<Integer> NOT_THIS_URL = Set.of(401, 403, 404, 405);

  /** The probe's instance id in the live track, so a router's logs can tell the probe apart. */
  public static final String PROBE_INSTANCE = "twinrouter-check";

  private RouterCheck() {}

  /**
   * Asks {@code router} with {@code ctx}; throws {@link IllegalArgumentException} (bad input: the
   * CLI exits 2, the service answers 400) when nothing answers. Blocks up to the router's timeout.
   */
  public static void answers(Router router, RouterContext ctx) {
    try {
      check(router, ctx, Runnable::run).toCompletableFuture().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof IllegalArgumentException bad) {
        throw bad;
      }
      throw e;
    }
  }

  /** The same without blocking: the stage fails with the {@link IllegalArgumentException}. */
  public static CompletionStage<Void> check(Router router, RouterContext ctx, Executor executor) {
    return router.selectAsync(ctx, executor).handle((decision, failure) -> {
      if (failure != null) {
        RouterException e = Router.unwrap(failure);
        if (nothingAnswers(e)) {
          throw new CompletionException(new IllegalArgumentException(
              "router '" + router.name() + "' does not answer: " + e.getMessage() + hint(e), e));
        }
      }
      return null;
    });
  }

  private static boolean nothingAnswers(RouterException e) {
    return switch (e.kind()) {
      case TRANSPORT, TIMEOUT -> true;
      case HTTP_STATUS -> NOT_THIS_URL.contains(e.httpStatus());
      default -> false;
    };
  }

  private static String hint(RouterException e) {
    return switch (e.httpStatus()) {
      case 404, 405 -> " (check the URL's path: the router must accept POST there, e.g. /route)";
      case 401, 403 -> " (a router that wants a token reads it from " + RouterEnvironment.DEFAULT_TOKEN_ENV + ")";
      default -> "";
    };
  }

  /**
   * The context of the live track's probe: a conversation of one user message, step 0, nothing
   * spent, the pool's models at their prices. Its instance id is {@value #PROBE_INSTANCE}.
   */
  public static RouterContext liveProbe(ModelPool pool, TwinrouterSettings settings) {
    List<AvailableModel> models = RouterContext.availableModels(pool);
    RunConfig config = RunConfig.of(settings.liveTrack());
    var message = RouterJson.mapper().createObjectNode()
        .put("role", "user")
        .put("content", "twinrouter checks that the router answers before the run starts.");
    return RouterContext.live(PROBE_INSTANCE, 0, List.of(message), List.of(), models,
        CacheStateSnapshot.empty(models, config.wallclockTtlSec(), 0.0), 0.0, config);
  }
}
