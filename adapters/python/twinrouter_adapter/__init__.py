"""Serve routers written for TwinRouterBench's ``select(ctx) -> RouterDecision`` to twinrouter.

twinrouter asks routers over HTTP (docs/router-protocol.md); the reference calls a Python object
in process. This package is the bridge: it loads the router as the reference's CLI does
(``--router-import module:factory --router-arg K=V``), turns each request into the reference's
``RouterContext`` and answers with the decision. Standard library only; Python 3.10 or later.
"""

from .types import (CacheStateSnapshot, FunctionRouter, ModelCacheView, Router, RouterContext,
                    RouterDecision, RunConfig, validate_decision)

__all__ = ["CacheStateSnapshot", "FunctionRouter", "ModelCacheView", "Router", "RouterContext",
           "RouterDecision", "RunConfig", "validate_decision"]
