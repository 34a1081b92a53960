"""The reference's router types (TwinRouterBench ``swerouter.router``), same names and fields.

A router written for the reference builds on these: it receives a ``RouterContext`` and returns
a ``RouterDecision``. They are frozen dataclasses with the reference's field names and types, so
code that reads ``ctx.cache_state.get(model_id).last_call_ts`` or builds
``RouterDecision(model_id=..., rationale=...)`` runs unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping, Optional, Protocol, Tuple, Union, runtime_checkable


@dataclass(frozen=True)
class ModelCacheView:
    """One pool model's cache as the harness last left it: a hint for routers, never a bill."""

    model_id: str
    last_call_ts: Optional[float]
    prefix_token_count: int
    prefix_hash: Optional[str]


@dataclass(frozen=True)
class CacheStateSnapshot:
    """Every pool model's cache view when the context was built; the TTL is not applied."""

    wallclock_ttl_sec: int
    now_ts: float
    by_model: Mapping[str, ModelCacheView]

    def get(self, model_id: str) -> Optional[ModelCacheView]:
        return self.by_model.get(model_id)


@dataclass(frozen=True)
class RunConfig:
    """The run's limits, for budget-aware routing."""

    max_steps: int
    budget_usd: float
    wallclock_ttl_sec: int
    select_timeout_sec: float


@dataclass(frozen=True)
class RouterContext:
    """What a router sees before one model call."""

    instance_id: str
    step_index: int
    messages: Tuple[Mapping[str, Any], ...]
    tools: Tuple[Mapping[str, Any], ...]
    available_models: Tuple[str, ...]
    cache_state: CacheStateSnapshot
    budget_so_far_usd: float
    run_config: RunConfig


@dataclass(frozen=True)
class RouterDecision:
    """A router's answer: one pool model id, and free text for the trace."""

    model_id: str
    rationale: Optional[str] = None


@runtime_checkable
class Router(Protocol):
    """Anything with ``select(ctx) -> RouterDecision``."""

    def select(self, ctx: RouterContext) -> RouterDecision:
        ...


def validate_decision(decision: Any, *, available_models: Tuple[str, ...]) -> RouterDecision:
    """The reference's checks of a ``select`` result: a decision, a non-empty id, in the pool."""
    if not isinstance(decision, RouterDecision):
        raise TypeError(
            "Router.select must return RouterDecision, got " + type(decision).__name__)
    if not decision.model_id:
        raise ValueError("RouterDecision.model_id is empty or None")
    if decision.model_id not in available_models:
        raise ValueError(
            "RouterDecision.model_id=%r is not in the pool %s"
            % (decision.model_id, list(available_models)))
    return decision


DecisionLike = Union[str, RouterDecision]


class FunctionRouter:
    """A callable ``f(ctx) -> str | RouterDecision`` as a router; a bare id gets ``rationale_prefix``."""

    def __init__(self, label: str, func: Callable[[RouterContext], DecisionLike],
                 rationale_prefix: Optional[str] = None):
        self.label = label
        self.func = func
        self.rationale_prefix = rationale_prefix

    def select(self, ctx: RouterContext) -> RouterDecision:
        answer = self.func(ctx)
        if isinstance(answer, RouterDecision):
            return answer
        if isinstance(answer, str):
            return RouterDecision(model_id=answer, rationale=self.rationale_prefix)
        raise TypeError("FunctionRouter[%r] callable must return str | RouterDecision, got %s"
                        % (self.label, type(answer).__name__))
