package io.twinrouter.orchestrator.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinrouter.agent.loop.HarnessCache;
import io.twinrouter.agent.loop.RouteChoice;
import io.twinrouter.agent.loop.RouteChooser;
import io.twinrouter.agent.loop.RouteRequest;
import io.twinrouter.config.ModelPool;
import io.twinrouter.router.AvailableModel;
import io.twinrouter.router.CacheStateSnapshot;
import io.twinrouter.router.ModelCacheView;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterContext;
import io.twinrouter.router.RunConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The agent loop's {@link RouteChooser} over a router of the router module: the loop's request
 * becomes the live-track {@link RouterContext} (spec 1.1), the decision a pool model id.
 */
final class RouterChooser implements RouteChooser {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Router router;
  private final List<AvailableModel> models;
  private final Executor executor;

  /** @param executor where a blocking router's {@code select} runs (never the default dispatcher) */
  RouterChooser(Router router, ModelPool pool, Executor executor) {
    this.router = router;
    this.models = RouterContext.availableModels(pool);
    this.executor = executor;
  }

  @Override
  public CompletionStage<RouteChoice> choose(RouteRequest r) {
    return router
        .selectAsync(context(r), executor)
        .thenApply(d -> new RouteChoice(d.modelId(), d.rationale()));
  }

  RouterContext context(RouteRequest r) {
    List<JsonNode> messages = r.messages().stream().map(m -> (JsonNode) JSON.valueToTree(m)).toList();
    Map<String, ModelCacheView> views = new LinkedHashMap<>();
    for (HarnessCache.View v : r.cache().values()) {
      views.put(v.modelId(),
          new ModelCacheView(v.modelId(), v.lastCallTs(), v.prefixTokenCount(), v.prefixHash()));
    }
    return RouterContext.live(
        r.instanceId(),
        r.stepIndex(),
        messages,
        List.of(),
        models,
        new CacheStateSnapshot(r.wallclockTtlSec(), r.nowTs(), views),
        r.budgetSoFarUsd(),
        new RunConfig(r.maxSteps(), r.budgetUsd(), r.wallclockTtlSec(), r.selectTimeoutSec()));
  }
}
