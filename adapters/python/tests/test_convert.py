import json
import unittest

from twinrouter_adapter import types as t
from twinrouter_adapter.convert import ContextError, to_answer, to_reference_context

from .contexts import DEEPSEEK, FLASH, LIVE, MINIMAX, OPUS, STATIC, live


class LiveContextTest(unittest.TestCase):
    def setUp(self):
        # through JSON text, as the server receives it
        self.ctx = to_reference_context(json.loads(json.dumps(LIVE)))

    def test_the_reference_fields_and_types(self):
        c = self.ctx
        self.assertIsInstance(c, t.RouterContext)
        self.assertEqual("django__django-11133", c.instance_id)
        self.assertEqual(2, c.step_index)
        self.assertEqual(0.0312, c.budget_so_far_usd)
        self.assertIsInstance(c.messages, tuple)
        self.assertEqual(4, len(c.messages))
        self.assertEqual({"cost": 0.001}, c.messages[2]["extra"], "mini's extra is kept")
        self.assertEqual((), c.tools)

    def test_available_models_are_the_pool_ids_in_pool_order(self):
        # the reference passes model ids only; tiers and prices are twinrouter's additions
        self.assertEqual((OPUS, FLASH, MINIMAX, DEEPSEEK), self.ctx.available_models)

    def test_the_cache_snapshot_has_a_view_for_every_pool_model(self):
        s = self.ctx.cache_state
        self.assertIsInstance(s, t.CacheStateSnapshot)
        self.assertEqual(300, s.wallclock_ttl_sec)
        self.assertEqual(1763975000.25, s.now_ts)
        self.assertEqual([OPUS, FLASH, MINIMAX, DEEPSEEK], list(s.by_model))
        opus = s.get(OPUS)
        self.assertEqual(t.ModelCacheView(OPUS, 1763974990.5, 5312, "9f2c" * 16), opus)
        self.assertEqual(t.ModelCacheView(DEEPSEEK, None, 0, None), s.get(DEEPSEEK))
        self.assertIsNone(s.get("openai/gpt-9"))

    def test_the_run_config(self):
        self.assertEqual(t.RunConfig(250, 3.0, 300, 30.0), self.ctx.run_config)
        self.assertIsInstance(self.ctx.run_config.max_steps, int)
        self.assertIsInstance(self.ctx.run_config.budget_usd, float)

    def test_the_context_is_frozen(self):
        with self.assertRaises(Exception):
            self.ctx.step_index = 3

    def test_integral_floats_and_int_prices_are_accepted(self):
        c = to_reference_context(live(step_index=4.0, budget_so_far_usd=0))
        self.assertEqual(4, c.step_index)
        self.assertIsInstance(c.budget_so_far_usd, float)


class StaticContextTest(unittest.TestCase):
    def test_an_empty_cache_becomes_never_called_views_of_every_model(self):
        c = to_reference_context(STATIC)
        self.assertEqual(1, c.step_index)
        self.assertEqual(0.0, c.cache_state.now_ts)
        self.assertEqual(4, len(c.cache_state.by_model))
        for m in c.available_models:
            self.assertEqual(t.ModelCacheView(m, None, 0, None), c.cache_state.get(m))

    def test_twinrouter_only_fields_do_not_reach_the_router(self):
        c = to_reference_context(STATIC)
        self.assertFalse(hasattr(c, "row_id"))
        self.assertFalse(hasattr(c, "track"))


class MalformedContextTest(unittest.TestCase):
    def assertRefused(self, body, fragment):
        with self.assertRaises(ContextError) as e:
            to_reference_context(body)
        self.assertIn(fragment, str(e.exception))

    def test_missing_and_mistyped_fields_are_named(self):
        body = live()
        del body["run_config"]
        self.assertRefused(body, "run_config")
        self.assertRefused(live(step_index="2"), "step_index")
        self.assertRefused(live(step_index=2.5), "step_index")
        self.assertRefused(live(available_models=[]), "available_models")
        self.assertRefused(live(messages="hi"), "messages")
        self.assertRefused(live(run_config={"max_steps": 1}), "run_config")
        self.assertRefused([], "JSON object")
        bad_cache = live()
        bad_cache["cache_state"]["by_model"][OPUS]["last_call_ts"] = "yesterday"
        self.assertRefused(bad_cache, "last_call_ts")


class AnswerTest(unittest.TestCase):
    def test_a_decision_becomes_model_id_and_rationale(self):
        self.assertEqual({"model_id": DEEPSEEK, "rationale": None},
                         to_answer(t.RouterDecision(DEEPSEEK)))
        self.assertEqual({"model_id": OPUS, "rationale": "hard"},
                         to_answer(t.RouterDecision(OPUS, "hard")))

    def test_validation_is_the_references(self):
        pool = (OPUS, DEEPSEEK)
        with self.assertRaises(TypeError):
            t.validate_decision(DEEPSEEK, available_models=pool)
        with self.assertRaises(ValueError):
            t.validate_decision(t.RouterDecision(""), available_models=pool)
        with self.assertRaises(ValueError):
            t.validate_decision(t.RouterDecision("openai/gpt-9"), available_models=pool)
        d = t.RouterDecision(OPUS)
        self.assertIs(d, t.validate_decision(d, available_models=pool))

    def test_function_router_coerces_a_bare_id(self):
        r = t.FunctionRouter("f", lambda ctx: DEEPSEEK, rationale_prefix="fn")
        self.assertEqual(t.RouterDecision(DEEPSEEK, "fn"), r.select(to_reference_context(LIVE)))
        with self.assertRaises(TypeError):
            t.FunctionRouter("f", lambda ctx: 3).select(to_reference_context(LIVE))


if __name__ == "__main__":
    unittest.main()
