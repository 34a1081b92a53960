"""``python3 -m twinrouter_adapter --router-import module:factory [--router-arg K=V ...] --port P``."""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional

from .loader import SetupError, load_router, parse_args, reference_types
from .server import AdapterServer, token_from_env


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python3 -m twinrouter_adapter",
        description="Serve a router written for TwinRouterBench (select(ctx) -> RouterDecision)"
                    " over twinrouter's HTTP router protocol. Name it to twinrouter as"
                    " http://HOST:PORT/route.")
    p.add_argument("--router-import", required=True, metavar="MODULE:FACTORY",
                   help="module.path:Attr[.sub.attr], called with the --router-arg values")
    p.add_argument("--router-arg", action="append", default=[], metavar="KEY=VALUE",
                   help="a keyword argument of the factory (repeatable; values are strings)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 = a free one)")
    return p


def main(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)  # argparse itself exits 2 on bad usage
    if not 0 <= args.port <= 65535:
        print("twinrouter_adapter: --port: must be in 0..65535, got %d" % args.port,
              file=sys.stderr)
        return 2
    # the reference's types are in place before the router module imports them
    types_module = reference_types()
    try:
        router = load_router(args.router_import, parse_args(args.router_arg))
    except SetupError as e:
        print("twinrouter_adapter: %s" % e, file=sys.stderr)
        return 2
    try:
        server = AdapterServer((args.host, args.port), router, types_module, token_from_env())
    except OSError as e:
        print("twinrouter_adapter: --port: cannot listen on %s:%d: %s"
              % (args.host, args.port, e), file=sys.stderr)
        return 2
    host, port = server.server_address[:2]
    print("listening on http://%s:%d/route" % (host, port), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
