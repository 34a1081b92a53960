import http.client
import json
import threading
import time
import unittest

from twinrouter_adapter import types as t
from twinrouter_adapter.server import AdapterServer

from .contexts import DEEPSEEK, LIVE, OPUS, STATIC


class Recording:
    """A reference-interface router that keeps what it saw and answers by a rule."""

    def __init__(self, answer=None, fail=None, delay=0.0):
        self.seen = []
        self.answer = answer
        self.fail = fail
        self.delay = delay

    def select(self, ctx):
        self.seen.append(ctx)
        time.sleep(self.delay)
        if self.fail:
            raise self.fail
        return self.answer if self.answer is not None else t.RouterDecision(
            OPUS if ctx.step_index % 2 else DEEPSEEK, "step %d" % ctx.step_index)


class ServerTest(unittest.TestCase):
    def serve(self, router, token=None):
        server = AdapterServer(("127.0.0.1", 0), router, t, token)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        return server.server_address[1]

    def post(self, port, body, headers=None, conn=None):
        c = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        c.request("POST", "/route", raw, {"Content-Type": "application/json", **(headers or {})})
        r = c.getresponse()
        return r.status, json.loads(r.read())

    def test_answers_the_routers_model_on_one_kept_alive_connection(self):
        router = Recording()
        port = self.serve(router)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        self.assertEqual((200, {"model_id": DEEPSEEK, "rationale": "step 2"}),
                         self.post(port, LIVE, conn=conn))
        self.assertEqual((200, {"model_id": OPUS, "rationale": "step 1"}),
                         self.post(port, dict(LIVE, step_index=1), conn=conn))
        self.assertEqual(2, len(router.seen))
        self.assertEqual(5312, router.seen[0].cache_state.get(OPUS).prefix_token_count)

    def test_static_contexts_are_served_too(self):
        router = Recording()
        port = self.serve(router)
        self.assertEqual(200, self.post(port, STATIC)[0])
        self.assertEqual(1, router.seen[0].step_index)

    def test_a_router_that_raises_is_a_500_naming_the_exception(self):
        port = self.serve(Recording(fail=RuntimeError("no model for you")))
        status, body = self.post(port, LIVE)
        self.assertEqual(500, status)
        self.assertEqual("RuntimeError: no model for you", body["error"])

    def test_a_decision_outside_the_pool_or_of_the_wrong_type_is_a_500(self):
        port = self.serve(Recording(answer=t.RouterDecision("openai/gpt-9")))
        status, body = self.post(port, LIVE)
        self.assertEqual(500, status)
        self.assertIn("ValueError", body["error"])
        self.assertIn("openai/gpt-9", body["error"])
        port = self.serve(Recording(answer=DEEPSEEK))
        status, body = self.post(port, LIVE)
        self.assertEqual(500, status)
        self.assertIn("TypeError: Router.select must return RouterDecision", body["error"])

    def test_a_body_that_is_no_context_is_a_400(self):
        port = self.serve(Recording())
        self.assertEqual(400, self.post(port, b"{not json")[0])
        status, body = self.post(port, {"instance_id": "x"})
        self.assertEqual(400, status)
        self.assertIn("available_models", body["error"])

    def test_a_configured_token_is_required(self):
        port = self.serve(Recording(), token="s3cret")
        self.assertEqual(401, self.post(port, LIVE)[0])
        self.assertEqual(401, self.post(port, LIVE, {"Authorization": "Bearer nope"})[0])
        self.assertEqual(200, self.post(port, LIVE, {"Authorization": "Bearer s3cret"})[0])

    def test_requests_are_served_concurrently(self):
        # a router that answers only once four calls are inside select at the same time: a
        # server taking one request after the other would break the barrier (HTTP 500)
        barrier = threading.Barrier(4, timeout=10)

        class Gathering:
            def select(self, ctx):
                barrier.wait()
                return t.RouterDecision(DEEPSEEK)

        port = self.serve(Gathering())
        results = []
        threads = [threading.Thread(target=lambda: results.append(self.post(port, LIVE)[0]))
                   for _ in range(4)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(30)
        self.assertEqual([200] * 4, results)


if __name__ == "__main__":
    unittest.main()
