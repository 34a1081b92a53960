# A small suite in sympy's own test style (plain functions, raises/XFAIL/skip from sympy).
from sympy import Symbol, expand, sqrt
from sympy.testing.pytest import XFAIL, raises, skip

x = Symbol("x")


def test_expand():
    assert expand((x + 1) ** 2) == x**2 + 2 * x + 1


def test_wrong():
    assert sqrt(4) == 3


def test_raises_other():
    raise ZeroDivisionError("boom")


def test_skips():
    skip("not here")


@XFAIL
def test_known_bug():
    assert sqrt(2) == 1


def test_raises_ok():
    raises(ZeroDivisionError, lambda: 1 / 0)
