"""A routing proxy, as deployed ones are: an OpenAI-compatible server that picks a model for each
chat request by a rule of its own, calls it on its upstream and passes the answer back.

Standard library only (Python 3.10+). twinrouter's tests evaluate it through the metering
gateway; it is also the smallest example of what `--router proxy:URL` evaluates.

    python3 proxy.py --upstream http://127.0.0.1:4100/v1 \
        --models deepseek/deepseek-v3.2,minimax/minimax-m2.7,google/gemini-3-flash-preview,anthropic/claude-opus-4.6 \
        --port 6060 --log choices.jsonl

The rule: the n-th pair of messages goes to models[n mod len(models)] (the conversation grows by
two messages a step, so consecutive steps go to consecutive models). --mode changes what the
proxy does, to show how twinrouter scores proxies that misbehave:
  route         call the chosen model and return its answer (default)
  cascade       call models[0] first (a classifier's call), then the chosen model
  self-answer   answer without calling any model
  outside-pool  call a model that is not in the pool
Each answered request is one JSON line in --log: the first user message, the number of
messages, the model whose answer was returned and every model called.
"""

import argparse
import json
import sys
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--upstream", required=True, help="OpenAI base URL the proxy calls")
    p.add_argument("--models", required=True, help="comma-separated model names, cheapest first")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--log", required=True)
    p.add_argument("--mode", default="route",
                   choices=["route", "cascade", "self-answer", "outside-pool"])
    args = p.parse_args()
    models = [m for m in args.models.split(",") if m]
    lock = threading.Lock()

    def call(body, model):
        sent = dict(body, model=model)
        req = urllib.request.Request(args.upstream.rstrip("/") + "/chat/completions",
                                     data=json.dumps(sent).encode(),
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            messages = body["messages"]
            chosen = models[(len(messages) // 2) % len(models)]
            called = []
            if args.mode == "self-answer":
                status, answer = 200, json.dumps({
                    "id": "self", "object": "chat.completion", "model": chosen,
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": "I answer myself."}}],
                    "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}}).encode()
            else:
                if args.mode == "cascade":
                    called.append(models[0])
                    call(body, models[0])
                if args.mode == "outside-pool":
                    chosen = "openai/gpt-9"
                called.append(chosen)
                status, answer = call(body, chosen)
            first_user = next((m.get("content") for m in messages if m.get("role") == "user"), "")
            with lock, open(args.log, "a") as log:
                log.write(json.dumps({"first_user": first_user, "n_messages": len(messages),
                                      "model": chosen, "called": called, "status": status}) + "\n")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"listening on http://127.0.0.1:{server.server_address[1]}/v1", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
