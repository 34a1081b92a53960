package io.twinrouter.router.derive;

import io.twinrouter.router.AvailableModel;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterContext;
import io.twinrouter.router.RouterDecision;
import io.twinrouter.router.RouterException;
import java.util.List;
import java.util.Map;

/**
 * Forces a model per step: the router {@code static derive} runs its trials with. Each case
 * (instance id) has a plan, the pool model of each step in order (step 0 first); steps past the
 * plan, and cases without one, get {@code fallbackModel} (the strongest tier, as downgrade and
 * cascade keeps every step not yet examined at high). Immutable, so thread-safe.
 */
public final class DerivationRouter implements Router {
  private final Map<String, List<String>> plans;
  private final String fallbackModel;

  public DerivationRouter(Map<String, List<String>> plans, String fallbackModel) {
    this.plans = Map.copyOf(plans);
    this.fallbackModel = fallbackModel;
  }

  @Override
  public String name() {
    return "derive";
  }

  /** The model the plan gives {@code instanceId} at the 0-based {@code stepIndex}. */
  public String modelAt(String instanceId, int stepIndex) {
    List<String> plan = plans.getOrDefault(instanceId, List.of());
    return stepIndex >= 0 && stepIndex < plan.size() ? plan.get(stepIndex) : fallbackModel;
  }

  @Override
  public RouterDecision select(RouterContext ctx) throws RouterException {
    String model = modelAt(ctx.instanceId(), ctx.stepIndex());
    for (AvailableModel m : ctx.availableModels()) {
      if (m.modelId().equals(model)) {
        return RouterDecision.of(m, "derive plan step " + ctx.stepIndex());
      }
    }
    throw new RouterException(RouterException.Kind.NOT_IN_POOL,
        "derive plan names '" + model + "', which is not in the pool " + ctx.modelIds(), null, null);
  }
}
