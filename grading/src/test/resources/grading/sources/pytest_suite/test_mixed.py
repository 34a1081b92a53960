# A small suite that exercises every status pytest's -rA summary can report.
import os
import sys

import pytest


def test_passes():
    assert 1 + 1 == 2


def test_fails():
    assert "left - right" == "left"


def test_prints_and_passes():
    print("PASSED is only a word printed by this test")
    print("FAILED too, at the start of a captured line")


@pytest.mark.skip(reason="not on this platform")
def test_skipped():
    pass


@pytest.mark.xfail(reason="known bug")
def test_expected_failure():
    assert False


@pytest.mark.xfail(reason="fixed meanwhile")
def test_unexpected_pass():
    pass


@pytest.mark.xfail(strict=True, reason="must fail")
def test_strict_unexpected_pass():
    pass


@pytest.fixture
def broken_fixture():
    raise RuntimeError("fixture setup failed")


def test_fixture_error(broken_fixture):
    pass


@pytest.mark.parametrize("value", [1, 2, "a b", "x - y"])
def test_param(value):
    assert value != 2


@pytest.mark.parametrize("path", [os.path.abspath(__file__), "//server/share", "/tmp/*.txt"])
def test_path_param(path):
    assert path


class TestGroup:
    def test_method(self):
        assert True

    def test_method_fails(self):
        raise ValueError("bad value")
