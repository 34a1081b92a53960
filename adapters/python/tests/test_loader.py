import os
import subprocess
import sys
import unittest

from twinrouter_adapter import types as own
from twinrouter_adapter.loader import SetupError, load_router, parse_args, reference_types

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_ROOT = os.path.dirname(HERE)
EXAMPLES = os.path.join(PACKAGE_ROOT, "examples")


class LoaderTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        reference_types()
        if EXAMPLES not in sys.path:
            sys.path.insert(0, EXAMPLES)

    def test_a_reference_router_module_imports_the_reference_types_unchanged(self):
        import swerouter.router
        self.assertIs(own.RouterDecision, swerouter.router.RouterDecision)
        router = load_router("reference_routers:StepRuleRouter",
                             parse_args(["even=a/b", "odd=c=d"]))
        self.assertEqual("a/b", router.even)
        self.assertEqual("c=d", router.odd, "split on the first '=' only")

    def test_a_dotted_attribute_path_and_a_plain_function_factory(self):
        router = load_router("reference_routers:budget_router",
                             {"cheap": "x", "strong": "y"})
        self.assertTrue(callable(router.select))

    def assertSetupError(self, argument, fragment, spec, kwargs=None):
        with self.assertRaises(SetupError) as e:
            load_router(spec, kwargs or {})
        self.assertEqual(argument, e.exception.argument)
        self.assertIn(fragment, str(e.exception))

    def test_failures_name_the_argument(self):
        self.assertSetupError("--router-import", "module.path:factory", "reference_routers")
        self.assertSetupError("--router-import", "cannot import module 'no_such_module'",
                              "no_such_module:Router")
        self.assertSetupError("--router-import", "has no attribute 'Nope'",
                              "reference_routers:Nope")
        self.assertSetupError("--router-import", "is not callable",
                              "reference_routers:__doc__")
        self.assertSetupError("--router-arg", "unexpected keyword argument",
                              "reference_routers:StepRuleRouter", {"even": "a", "bogus": "b"})
        self.assertSetupError("--router-import", "missing 2 required positional arguments",
                              "reference_routers:StepRuleRouter")
        self.assertSetupError("--router-import", "no callable select",
                              "builtins:object", {})

    def test_bad_router_args(self):
        with self.assertRaises(SetupError) as e:
            parse_args(["novalue"])
        self.assertEqual("--router-arg", e.exception.argument)


class CommandLineTest(unittest.TestCase):
    def run_adapter(self, *args):
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([PACKAGE_ROOT, EXAMPLES]))
        return subprocess.run([sys.executable, "-m", "twinrouter_adapter", *args], env=env,
                              capture_output=True, text=True, timeout=60)

    def test_an_import_that_fails_exits_2_naming_the_argument(self):
        p = self.run_adapter("--router-import", "no_such_module:Router", "--port", "0")
        self.assertEqual(2, p.returncode, p.stderr)
        self.assertIn("--router-import: cannot import module 'no_such_module'", p.stderr)

    def test_a_factory_that_fails_exits_2_naming_the_argument(self):
        p = self.run_adapter("--router-import", "reference_routers:CacheWarmRouter",
                             "--router-arg", "cold=a", "--router-arg", "warm=b",
                             "--router-arg", "min_prefix_tokens=many", "--port", "0")
        self.assertEqual(2, p.returncode, p.stderr)
        self.assertIn("--router-import: reference_routers:CacheWarmRouter(", p.stderr)
        self.assertIn("ValueError", p.stderr)

    def test_a_malformed_router_arg_exits_2(self):
        p = self.run_adapter("--router-import", "reference_routers:StepRuleRouter",
                             "--router-arg", "even", "--port", "0")
        self.assertEqual(2, p.returncode, p.stderr)
        self.assertIn("--router-arg: expected KEY=VALUE", p.stderr)


if __name__ == "__main__":
    unittest.main()
