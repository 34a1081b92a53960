import os
import sys
import unittest

from twinrouter_adapter.convert import to_reference_context
from twinrouter_adapter.loader import reference_types

from .contexts import DEEPSEEK, LIVE, OPUS, STATIC, live

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")


class ExampleRoutersTest(unittest.TestCase):
    """examples/reference_routers.py on contexts as twinrouter sends them."""

    @classmethod
    def setUpClass(cls):
        reference_types()  # the examples import swerouter.router
        if EXAMPLES not in sys.path:
            sys.path.insert(0, EXAMPLES)
        import reference_routers
        cls.routers = reference_routers

    def test_the_step_rule(self):
        r = self.routers.StepRuleRouter(even=DEEPSEEK, odd=OPUS)
        self.assertEqual(DEEPSEEK, r.select(to_reference_context(LIVE)).model_id)  # step 2
        self.assertEqual(OPUS, r.select(to_reference_context(STATIC)).model_id)  # step 1
        with self.assertRaises(ValueError):
            self.routers.StepRuleRouter(even="openai/gpt-9", odd=OPUS).select(
                to_reference_context(LIVE))

    def test_the_cache_router_reads_the_snapshot_and_applies_the_ttl_itself(self):
        r = self.routers.CacheWarmRouter(cold=DEEPSEEK, warm=OPUS, min_prefix_tokens="1000")
        warm = r.select(to_reference_context(LIVE))  # opus called 9.75 s before, 5312 tokens
        self.assertEqual((OPUS, "warm %s 5312" % OPUS), (warm.model_id, warm.rationale))
        self.assertEqual("cold", r.select(to_reference_context(STATIC)).rationale)
        stale = live()
        stale["cache_state"]["now_ts"] += 600
        self.assertEqual("cold", r.select(to_reference_context(stale)).rationale)
        few = self.routers.CacheWarmRouter(cold=DEEPSEEK, warm=OPUS, min_prefix_tokens="6000")
        self.assertEqual("cold", few.select(to_reference_context(LIVE)).rationale)

    def test_the_budget_router(self):
        r = self.routers.budget_router(cheap=DEEPSEEK, strong=OPUS, share="0.5")
        self.assertEqual(OPUS, r.select(to_reference_context(LIVE)).model_id)  # 0.0312 of 3.0
        spent = live(budget_so_far_usd=2.0)
        self.assertEqual(DEEPSEEK, r.select(to_reference_context(spent)).model_id)


if __name__ == "__main__":
    unittest.main()
