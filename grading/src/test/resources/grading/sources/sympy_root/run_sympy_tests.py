# Runs sympy's own test runner (what `bin/test -C --verbose` uses) on the demo file, with this
# directory standing in for the sympy checkout so that paths print as in the real repository.
import os

from sympy.testing.runtests import PyTestReporter, SymPyTests

root = os.path.dirname(os.path.abspath(__file__))
reporter = PyTestReporter(verbose=True, colors=False, force_colors=False)
tests = SymPyTests(reporter, seed=0)
tests._root_dir = root
reporter.root_dir(root)
tests._testfiles = [os.path.join(root, "sympy", "demo", "tests", "test_sample.py")]
tests.test()
