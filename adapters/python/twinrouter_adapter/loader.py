"""Loads a router the way the reference's CLI does: ``module:factory`` called with string kwargs."""

from __future__ import annotations

import importlib
import sys
import types as pytypes
from typing import Any, Dict, List

from . import types as own_types


class SetupError(Exception):
    """The router cannot be loaded; names the command-line argument at fault (exit 2)."""

    def __init__(self, argument: str, message: str):
        super().__init__("%s: %s" % (argument, message))
        self.argument = argument


def reference_types() -> pytypes.ModuleType:
    """The module whose classes contexts are built from and decisions are checked against.

    The reference's own ``swerouter.router`` when it is installed, so a router sees exactly its
    classes; otherwise this package's copy, registered under that name so that a router module
    written for the reference (``from swerouter.router import RouterDecision``) imports unchanged.
    """
    try:
        return importlib.import_module("swerouter.router")
    except ImportError:
        pass
    package = sys.modules.get("swerouter")
    if package is None:
        package = pytypes.ModuleType("swerouter")
        package.__doc__ = "twinrouter_adapter's stand-in for the reference's package"
        package.__path__ = []  # a package with nothing else in it
        sys.modules["swerouter"] = package
    sys.modules["swerouter.router"] = own_types
    package.router = own_types
    return own_types


def parse_args(pairs: List[str]) -> Dict[str, str]:
    """``KEY=VALUE`` pairs split on the first ``=``; every value stays a string, as the reference's."""
    kwargs: Dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise SetupError("--router-arg", "expected KEY=VALUE, got %r" % pair)
        kwargs[key.strip()] = value
    return kwargs


def load_router(spec: str, kwargs: Dict[str, str]) -> Any:
    """Imports ``module.path:Attr[.sub.attr]``, calls it with ``kwargs``, checks for ``select``."""
    module_name, sep, attr_path = spec.partition(":")
    if not sep or not module_name or not attr_path:
        raise SetupError("--router-import",
                         "expected module.path:factory (e.g. my_router:MyRouter), got %r" % spec)
    try:
        target: Any = importlib.import_module(module_name)
    except Exception as e:  # the user's module may fail in any way while it loads
        raise SetupError("--router-import", "cannot import module %r: %s: %s"
                         % (module_name, type(e).__name__, e)) from e
    walked = module_name
    for part in attr_path.split("."):
        if not hasattr(target, part):
            raise SetupError("--router-import", "%s has no attribute %r" % (walked, part))
        target = getattr(target, part)
        walked += ("." if walked != module_name else ":") + part
    if not callable(target):
        raise SetupError("--router-import", "%s is not callable" % spec)
    try:
        router = target(**kwargs)
    except Exception as e:
        argument = "--router-arg" if kwargs and isinstance(e, TypeError) else "--router-import"
        raise SetupError(argument, "%s(%s) failed: %s: %s" % (
            spec, ", ".join("%s=%r" % kv for kv in kwargs.items()), type(e).__name__, e)) from e
    if not callable(getattr(router, "select", None)):
        raise SetupError("--router-import",
                         "%s returned %s, which has no callable select(ctx)"
                         % (spec, type(router).__name__))
    return router
