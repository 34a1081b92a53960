#!/usr/bin/env python3
"""A twinrouter router in plain Python (standard library only).

It speaks the HTTP router protocol of docs/router-protocol.md: twinrouter POSTs a JSON
RouterContext to /route before every model call (live track) or for every bank row (static
track), and this server answers {"tier": ..., "rationale": ...}.

Policy (deliberately simple; replace `choose` with your own):
  1. the first two model calls of a task (fewer than 2 assistant messages): high, to plan well;
  2. the latest tool output shows an error (traceback, non-zero return code, "error"): high;
  3. the latest tool output is short (under 500 characters): low, a routine step;
  4. otherwise: mid.

Usage:
  python3 router.py [PORT]        # PORT 0 or none picks a free port; binds 127.0.0.1 only

On start it prints one line to stdout, "listening on http://127.0.0.1:PORT/route", then serves
until interrupted. GET /health answers {"ok": true}.
"""

import json
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY_BYTES = 64 * 1024 * 1024  # a long SWE-bench prefix is a few MB at most
SHORT_OUTPUT_CHARS = 500
ERROR_PATTERN = re.compile(
    r"Traceback \(most recent call last\)"
    r"|<returncode>\s*-?[1-9]\d*\s*</returncode>"
    r"|\b\w*Error\b|\berror\b",
    re.IGNORECASE,
)


def content_text(message):
    """The text of a message's content: a string, or the text of a list of blocks."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for block in content:
            if isinstance(block, str):
                parts.append(block)
            elif isinstance(block, dict) and isinstance(block.get("text"), str):
                parts.append(block["text"])
        return "\n".join(parts)
    return ""


def latest_outputs(messages):
    """Tool results after the last assistant message (tool messages, or user messages that carry
    command output once the assistant has spoken)."""
    last_assistant = max(
        (i for i, m in enumerate(messages) if m.get("role") == "assistant"), default=-1
    )
    if last_assistant < 0:
        return []
    return [
        m for m in messages[last_assistant + 1:] if m.get("role") in ("tool", "user")
    ]


def choose(ctx):
    """Returns (tier, rationale) for one RouterContext."""
    messages = ctx.get("messages") or []
    assistant_turns = sum(1 for m in messages if m.get("role") == "assistant")
    if assistant_turns < 2:
        return "high", f"early step ({assistant_turns} assistant turns so far)"
    outputs = latest_outputs(messages)
    for m in outputs:
        returncode = (m.get("extra") or {}).get("returncode")
        if (isinstance(returncode, int) and returncode != 0) or ERROR_PATTERN.search(
            content_text(m)
        ):
            return "high", "the latest tool output shows an error"
    if outputs and len(content_text(outputs[-1])) < SHORT_OUTPUT_CHARS:
        return "low", "short tool output: routine step"
    return "mid", "default"


class RouterHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: twinrouter reuses connections

    def do_POST(self):
        if self.path != "/route":
            return self.send_json(404, {"error": "not found", "detail": "POST to /route"})
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            return self.send_json(411, {"error": "length required", "detail": "send Content-Length"})
        if int(length) > MAX_BODY_BYTES:
            return self.send_json(
                413, {"error": "too large", "detail": f"body over {MAX_BODY_BYTES} bytes"}
            )
        body = self.rfile.read(int(length))
        try:
            ctx = json.loads(body)
        except ValueError as e:
            return self.send_json(400, {"error": "bad json", "detail": str(e)})
        if not isinstance(ctx, dict) or not isinstance(ctx.get("messages"), list):
            return self.send_json(
                400, {"error": "bad context", "detail": "expected an object with a messages list"}
            )
        tier, rationale = choose(ctx)
        self.send_json(200, {"tier": tier, "rationale": rationale})

    def do_GET(self):
        if self.path == "/health":
            return self.send_json(200, {"ok": True})
        self.send_json(404, {"error": "not found", "detail": "POST to /route"})

    def send_json(self, status, payload):
        data = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        pass  # one line per call would flood the terminal during an evaluation


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    server = ThreadingHTTPServer(("127.0.0.1", port), RouterHandler)
    server.daemon_threads = True
    print(f"listening on http://127.0.0.1:{server.server_address[1]}/route", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
