"""Two routers written for TwinRouterBench's interface, exactly as one would write them for it.

They import the reference's types from ``swerouter.router``; served by twinrouter_adapter they
run unchanged (the adapter provides that module when the reference is not installed).

  python3 -m twinrouter_adapter --router-import reference_routers:StepRuleRouter \\
      --router-arg even=deepseek/deepseek-v3.2 --router-arg odd=anthropic/claude-opus-4.6
"""

from __future__ import annotations

from swerouter.router import RouterContext, RouterDecision


class StepRuleRouter:
    """Even step indexes go to ``even``, odd ones to ``odd``: a rule a trace can be checked against."""

    def __init__(self, even: str, odd: str, label: str = "step_rule"):
        self.even = even
        self.odd = odd
        self.label = label

    def select(self, ctx: RouterContext) -> RouterDecision:
        model = self.even if ctx.step_index % 2 == 0 else self.odd
        if model not in ctx.available_models:
            raise ValueError("%s is not in the pool %s" % (model, list(ctx.available_models)))
        return RouterDecision(model_id=model, rationale="step %d is %s" % (
            ctx.step_index, "even" if ctx.step_index % 2 == 0 else "odd"))


class CacheWarmRouter:
    """``cold`` while no pool model has a warm cache; ``warm`` once one has (within the TTL).

    The rationale names the warm model and its cached prefix tokens, as the snapshot reported them.
    """

    def __init__(self, cold: str, warm: str, min_prefix_tokens: str = "1"):
        self.cold = cold
        self.warm = warm
        self.min_prefix_tokens = int(min_prefix_tokens)  # the reference passes every arg as a string

    def select(self, ctx: RouterContext) -> RouterDecision:
        snapshot = ctx.cache_state
        for model_id in ctx.available_models:
            view = snapshot.get(model_id)
            if view is None or view.last_call_ts is None:
                continue
            fresh = snapshot.now_ts - view.last_call_ts <= snapshot.wallclock_ttl_sec
            if fresh and view.prefix_token_count >= self.min_prefix_tokens:
                return RouterDecision(model_id=self.warm, rationale="warm %s %d" % (
                    model_id, view.prefix_token_count))
        return RouterDecision(model_id=self.cold, rationale="cold")


def budget_router(cheap: str, strong: str, share: str = "0.5"):
    """A plain function as the factory: ``strong`` until ``share`` of the case's budget is spent."""
    limit = float(share)

    class _Budget:
        def select(self, ctx: RouterContext) -> RouterDecision:
            budget = ctx.run_config.budget_usd
            spent = ctx.budget_so_far_usd / budget if budget > 0 else 0.0
            return RouterDecision(model_id=strong if spent < limit else cheap,
                                  rationale="spent %.4f of the budget" % spent)

    return _Budget()
