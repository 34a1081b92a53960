# Fails at import time, so pytest reports a collection ERROR for the whole file.
import module_that_does_not_exist  # noqa: F401


def test_never_runs():
    pass
