"""Serves one reference router over twinrouter's HTTP router protocol (docs/router-protocol.md)."""

from __future__ import annotations

import hmac
import json
import os
import sys
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import ModuleType
from typing import Any, Optional, Tuple

from .convert import ContextError, to_answer, to_reference_context

MAX_BODY_BYTES = 64 * 1024 * 1024  # a long SWE-bench conversation is a few MB
TOKEN_ENV = "TWINROUTER_ROUTER_TOKEN"


class AdapterServer(ThreadingHTTPServer):
    """A threading server holding the router; every request runs ``select`` on its own thread."""

    daemon_threads = True

    def __init__(self, address: Tuple[str, int], router: Any, types_module: ModuleType,
                 token: Optional[str] = None):
        super().__init__(address, _Handler)
        self.router = router
        self.types_module = types_module
        self.token = token

    def context(self, raw: bytes) -> Any:
        """The reference's context for a request body; ContextError when it is none."""
        try:
            body = json.loads(raw.decode("utf-8"))
        except ValueError as e:  # not UTF-8, not JSON
            raise ContextError("the body is not JSON: %s" % e) from e
        return to_reference_context(body, self.types_module)

    def decide(self, ctx: Any) -> dict:
        """The router's answer to one context, checked as the reference checks it."""
        decision = self.router.select(ctx)
        return to_answer(self.types_module.validate_decision(
            decision, available_models=ctx.available_models))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as twinrouter's client expects
    server: AdapterServer

    def log_message(self, fmt, *args):  # one line per request would drown a live run's stderr
        pass

    def _send(self, status: int, payload: dict) -> None:
        out = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def do_GET(self):
        if self.path.rstrip("/") == "/health":
            self._send(200, {"ok": True})
        else:
            self._send(404, {"error": "POST the router context; GET /health for a liveness check"})

    def do_POST(self):
        if self.server.token is not None:
            given = self.headers.get("Authorization", "")
            if not hmac.compare_digest(given.encode(), ("Bearer " + self.server.token).encode()):
                self.close_connection = True  # its body is left unread
                self._send(401, {"error": "missing or wrong bearer token"})
                return
        try:
            length = int(self.headers.get("Content-Length", "-1"))
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY_BYTES:
            self.close_connection = True
            self._send(411 if length < 0 else 413,
                       {"error": "a Content-Length of at most %d bytes is required" % MAX_BODY_BYTES})
            return
        raw = self.rfile.read(length)
        try:
            ctx = self.server.context(raw)
        except ContextError as e:
            self._send(400, {"error": "not a router context: %s" % e})
            return
        try:
            answer = self.server.decide(ctx)
        except Exception as e:  # the router's own failure: twinrouter records it as a router error
            self._router_failed(e)
            return
        self._send(200, answer)

    def _router_failed(self, e: Exception) -> None:
        traceback.print_exc(file=sys.stderr)
        self._send(500, {"error": "%s: %s" % (type(e).__name__, e)})


def token_from_env() -> Optional[str]:
    token = os.environ.get(TOKEN_ENV)
    return token if token else None
