"""Shared fixtures: the solver backends and the published example instances.

Plain helper functions live in `tests/helpers` (`from helpers import make_instance`).
"""

from __future__ import annotations

import signal

import pytest
from helpers import example_large_200, example_small_20

from sortition.instance import Instance
from sortition.options import SOLVERS


def pytest_configure(config: pytest.Config) -> None:
    """Ctrl-C raises KeyboardInterrupt even when the suite was started with SIGINT ignored (a
    shell's background job, `nohup`): the tests that interrupt a write, in this process or in a
    `python -m sortition` child (which inherits an ignored SIGINT), need Python's usual handler."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(params=SOLVERS)
def solver(request) -> str:
    """Every MILP backend the library offers ('highs', 'cbc')."""
    return request.param


@pytest.fixture(name="example_small_20", scope="session")
def example_small_20_fixture() -> Instance:
    return example_small_20()


@pytest.fixture(name="example_large_200", scope="session")
def example_large_200_fixture() -> Instance:
    return example_large_200()
