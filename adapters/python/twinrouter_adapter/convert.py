"""twinrouter's router-protocol JSON to the reference's types, and a decision back to JSON.

twinrouter sends more than the reference passes (``track``, each model's tier and prices, the
static track's ``row_id`` and ``benchmark``); a reference router sees exactly the reference's
fields: model ids only, a cache view for every pool model, the run config.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any, Mapping, Optional

from . import types as own_types


class ContextError(ValueError):
    """The request body is not a twinrouter router context (the adapter answers HTTP 400)."""


def _field(obj: Mapping[str, Any], name: str, where: str) -> Any:
    if not isinstance(obj, Mapping) or name not in obj:
        raise ContextError("%s: missing field '%s'" % (where, name))
    return obj[name]


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ContextError("%s: expected a number, got %r" % (where, value))
    return float(value)


def _integer(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        raise ContextError("%s: expected an integer, got %r" % (where, value))
    return int(value)


def _model_ids(models: Any) -> tuple:
    if not isinstance(models, list) or not models:
        raise ContextError("available_models: expected a non-empty array")
    ids = []
    for i, m in enumerate(models):
        # twinrouter sends objects with tier and prices; a bare id is accepted too
        model_id = m if isinstance(m, str) else _field(m, "model_id", "available_models[%d]" % i)
        if not isinstance(model_id, str) or not model_id:
            raise ContextError("available_models[%d]: model_id must be a non-empty string" % i)
        ids.append(model_id)
    return tuple(ids)


def _cache_view(t: ModuleType, model_id: str, raw: Optional[Mapping[str, Any]]):
    if raw is None:
        # a pool model the snapshot does not list was never called in this instance
        return t.ModelCacheView(model_id=model_id, last_call_ts=None, prefix_token_count=0,
                                prefix_hash=None)
    where = "cache_state.by_model['%s']" % model_id
    last = raw.get("last_call_ts")
    prefix_hash = raw.get("prefix_hash")
    if prefix_hash is not None and not isinstance(prefix_hash, str):
        raise ContextError(where + ".prefix_hash: expected a string or null")
    return t.ModelCacheView(
        model_id=model_id,
        last_call_ts=None if last is None else _number(last, where + ".last_call_ts"),
        prefix_token_count=_integer(raw.get("prefix_token_count", 0), where + ".prefix_token_count"),
        prefix_hash=prefix_hash)


def _cache_state(t: ModuleType, raw: Any, model_ids: tuple, ttl_default: int):
    raw = raw if isinstance(raw, Mapping) else {}
    by_model_raw = raw.get("by_model") or {}
    if not isinstance(by_model_raw, Mapping):
        raise ContextError("cache_state.by_model: expected an object")
    # the reference's snapshot holds a view for every pool model, in pool order
    by_model = {m: _cache_view(t, m, by_model_raw.get(m)) for m in model_ids}
    return t.CacheStateSnapshot(
        wallclock_ttl_sec=_integer(raw.get("wallclock_ttl_sec", ttl_default),
                                   "cache_state.wallclock_ttl_sec"),
        now_ts=_number(raw.get("now_ts", 0.0), "cache_state.now_ts"),
        by_model=by_model)


def _run_config(t: ModuleType, raw: Any):
    if not isinstance(raw, Mapping):
        raise ContextError("run_config: expected an object")
    return t.RunConfig(
        max_steps=_integer(_field(raw, "max_steps", "run_config"), "run_config.max_steps"),
        budget_usd=_number(_field(raw, "budget_usd", "run_config"), "run_config.budget_usd"),
        wallclock_ttl_sec=_integer(_field(raw, "wallclock_ttl_sec", "run_config"),
                                   "run_config.wallclock_ttl_sec"),
        select_timeout_sec=_number(_field(raw, "select_timeout_sec", "run_config"),
                                   "run_config.select_timeout_sec"))


def _sequence(value: Any, name: str) -> tuple:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ContextError("%s: expected an array" % name)
    for i, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise ContextError("%s[%d]: expected an object" % (name, i))
    return tuple(value)


def to_reference_context(body: Any, t: ModuleType = own_types):
    """The reference's ``RouterContext`` (built from the classes of module ``t``) for one request."""
    if not isinstance(body, Mapping):
        raise ContextError("the body must be a JSON object (a twinrouter RouterContext)")
    instance_id = _field(body, "instance_id", "context")
    if not isinstance(instance_id, str):
        raise ContextError("instance_id: expected a string")
    model_ids = _model_ids(_field(body, "available_models", "context"))
    run_config = _run_config(t, _field(body, "run_config", "context"))
    return t.RouterContext(
        instance_id=instance_id,
        step_index=_integer(_field(body, "step_index", "context"), "step_index"),
        messages=_sequence(_field(body, "messages", "context"), "messages"),
        tools=_sequence(body.get("tools"), "tools"),
        available_models=model_ids,
        cache_state=_cache_state(t, body.get("cache_state"), model_ids,
                                 run_config.wallclock_ttl_sec),
        budget_so_far_usd=_number(body.get("budget_so_far_usd", 0.0), "budget_so_far_usd"),
        run_config=run_config)


def to_answer(decision: Any) -> dict:
    """The router-protocol answer for a validated decision: its model id and rationale."""
    rationale = decision.rationale
    return {"model_id": decision.model_id,
            "rationale": None if rationale is None else str(rationale)}
