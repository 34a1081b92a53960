package io.twinrouter.agent.casework;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinrouter.agent.loop.HarnessCache;
import io.twinrouter.agent.loop.RouteChoice;
import io.twinrouter.agent.loop.RouteChooser;
import io.twinrouter.agent.loop.RouteRequest;
import io.twinrouter.agent.loop.RouterFailure;
import io.twinrouter.config.ModelPool;
import io.twinrouter.router.AvailableModel;
import io.twinrouter.router.CacheStateSnapshot;
import io.twinrouter.router.ModelCacheView;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterContext;
import io.twinrouter.router.RouterException;
import io.twinrouter.router.RunConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The loop's router on a {@link Router} of the router module (built-in, {@code java:} class or
 * HTTP): builds the live {@link RouterContext} of spec 1.1 and asks {@code selectAsync}. A blocking
 * in-process router runs on {@code executor}; the HTTP router does not block at all.
 */
public final class RouterChooser implements RouteChooser {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Router router;
  private final List<AvailableModel> models;
  private final Executor executor;

  public RouterChooser(Router router, ModelPool pool, Executor executor) {
    this.router = router;
    this.models = RouterContext.availableModels(pool);
    this.executor = executor;
  }

  public Router router() {
    return router;
  }

  @Override
  public CompletionStage<RouteChoice> choose(RouteRequest r) {
    RouterContext ctx = context(r);
    CompletionStage<io.twinrouter.router.RouterDecision> decision;
    try {
      decision = router.selectAsync(ctx, executor);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(RouterFailure.raised(e));
    }
    return decision.handle((d, err) -> {
      if (err != null) {
        throw new CompletionException(failure(Router.unwrap(err)));
      }
      return new RouteChoice(d.modelId(), d.rationale());
    });
  }

  RouterContext context(RouteRequest r) {
    Map<String, ModelCacheView> views = new LinkedHashMap<>();
    for (HarnessCache.View v : r.cache().values()) {
      views.put(v.modelId(),
          new ModelCacheView(v.modelId(), v.lastCallTs(), v.prefixTokenCount(), v.prefixHash()));
    }
    return RouterContext.live(r.instanceId(), r.stepIndex(), r.messageTrees(), List.of(), models,
        new CacheStateSnapshot(r.wallclockTtlSec(), r.nowTs(), views), r.budgetSoFarUsd(),
        new RunConfig(r.maxSteps(), r.budgetUsd(), r.wallclockTtlSec(), r.selectTimeoutSec()));
  }

  /** The router module's failure kinds, in the loop's exit-status names. */
  static RouterFailure failure(RouterException e) {
    return switch (e.kind()) {
      case TIMEOUT -> new RouterFailure("SelectDeadlineExceeded", e.getMessage(), e);
      case MALFORMED, NOT_IN_POOL -> new RouterFailure("InvalidRouterDecision", e.getMessage(), e);
      default -> new RouterFailure("RouterException", e.kind() + ": " + e.getMessage(), e);
    };
  }
}
