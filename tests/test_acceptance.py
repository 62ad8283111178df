"""Exact acceptance checks beside loose interior-point rounds (`algorithms/acceptance.py`): a
check's probabilities are accepted only when they meet the gap, the stopping round does not
depend on timing, and the rounds themselves are those without checks."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from helpers.invariants import assert_distribution_well_formed

import sortition.algorithms.acceptance as acceptance
import sortition.algorithms.batch_rounds as batch_rounds
import sortition.algorithms.master as master_module
from sortition.algorithms import solve
from sortition.algorithms.master import MasterLP
from sortition.distribution import Distribution
from sortition.instance import Instance
from sortition.options import SolveOptions
from sortition.panel.solver import Deadline
from sortition.research.synthetic import synthetic_instance

# wide enough that checks can meet it before the loose solves stop the stage by themselves
GAP = 0.1


@pytest.fixture(scope="module")
def pool() -> Instance:
    return synthetic_instance(240, 24, 5, seed=11, household_share=0.2)


def _leximin(instance: Instance, gap: float | None = None) -> Distribution:
    return solve("leximin", instance, rng=np.random.default_rng(0), options=SolveOptions(gap=gap))


def _checked(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Take the large-pool path with a check at every round from the first, read one round
    later; returns, per check read, whether its probabilities were accepted."""
    monkeypatch.setattr(master_module, "BATCH_GROUPS", 1)
    # every chain counts as short (the checks' gate), whatever its roundings gave
    monkeypatch.setattr(batch_rounds, "BATCH_SHORT_CHAIN", batch_rounds.BATCH_COLUMNS_PER_ROUND)
    monkeypatch.setattr(acceptance, "CHECK_NEAR", 1.0)
    monkeypatch.setattr(acceptance, "CHECK_EVERY", 1)
    monkeypatch.setattr(acceptance, "CHECK_LAG", 1)
    verdicts: list[bool] = []
    original = MasterLP.loose_result

    def recorded(self: MasterLP, *args: Any) -> Any:
        if len(args) < 3:
            return None  # a loose solve's own probabilities never count here: only checks do
        result = original(self, *args)
        verdicts.append(result is not None)
        return result

    monkeypatch.setattr(MasterLP, "loose_result", recorded)
    return verdicts


def test_a_checks_probabilities_are_the_result_and_meet_the_gap(monkeypatch) -> None:
    """Whether a check passes before the loose solves stop the stage by themselves depends on
    the pool, so several pools run: an accepted check always ends its stage, its probabilities
    meet the gap, and at least one pool takes that path."""
    accepted = 0
    for seed in (11, 12, 14, 15):
        instance = synthetic_instance(240, 24, 5, seed=seed, household_share=0.2)
        exact = _leximin(instance).marginals()
        with pytest.MonkeyPatch.context() as patch:
            verdicts = _checked(patch)
            checked = _leximin(instance, GAP)
        assert verdicts and not any(verdicts[:-1])  # the first accepted check ends the stage
        accepted += verdicts[-1]
        assert_distribution_well_formed(checked)
        assert np.all(checked.marginals() >= (1 - GAP - 1e-7) * exact - 1e-9)
    assert accepted, "no pool accepted a check: the test no longer exercises acceptance"


def test_checked_runs_are_repeatable(monkeypatch, pool) -> None:
    _checked(monkeypatch)
    first, second = _leximin(pool, GAP), _leximin(pool, GAP)
    assert first.num_panels == second.num_panels
    np.testing.assert_array_equal(first.probabilities, second.probabilities)
    np.testing.assert_array_equal(first.marginals(), second.marginals())


def test_checks_start_near_the_stop_one_at_a_time_and_are_read_when_due() -> None:
    checks = acceptance.AcceptanceChecks(Deadline(None))
    solved: list[int] = []

    class Lp:
        def getLp(self) -> int:
            solved.append(1)
            return 0

    class Master:  # what a check reads of the master: its LP and which panels its columns are
        h = Lp()

        def column_keys(self) -> tuple[bytes, ...]:
            return (b"panel",)

    checks._solve = lambda lp: np.array([1.0])  # type: ignore[method-assign]
    far = 0.5
    checks.offer(1, Master(), far, 1.0)
    assert checks.pending is None  # not near the stopping level
    near = 1.0 - acceptance.CHECK_NEAR / 2
    checks.offer(2, Master(), near, 1.0)
    assert checks.pending is not None and checks.pending[0] == 2 + acceptance.CHECK_LAG
    checks.offer(3, Master(), near, 1.0)
    assert len(solved) == 1  # one check at a time
    assert checks.collect(2 + acceptance.CHECK_LAG - 1) is None  # not yet due
    check = checks.collect(2 + acceptance.CHECK_LAG)
    assert check is not None and check[0].tolist() == [1.0] and check[1] == (b"panel",)
    checks.offer(2 + acceptance.CHECK_LAG, Master(), near, 1.0)
    assert checks.pending is None or acceptance.CHECK_LAG >= acceptance.CHECK_EVERY
    checks.close()
