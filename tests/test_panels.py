"""Tests of the shared panel ILP: forced people, households, per-person weights."""

import numpy as np
import pytest
from helpers.invariants import panel_meets_quotas
from helpers.panels import best_panel

from sortition.instance import Feature, Instance, Quota


def _instance(households=None) -> Instance:
    gender = Feature("gender", ("f", "m"), (Quota(1, 2), Quota(1, 2)))
    values = np.array([[0], [0], [0], [1], [1], [1]])
    return Instance(tuple(f"p{i}" for i in range(6)), (gender,), values, 3, households)


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_forced_in_and_out_are_respected(solver: str) -> None:
    instance = _instance()
    panel = best_panel(instance, np.zeros(6), forced_in=(1, 4), forced_out=(0, 3), solver=solver)
    assert panel is not None
    assert panel_meets_quotas(instance, panel)
    assert {1, 4} <= set(panel.tolist())
    assert not {0, 3} & set(panel.tolist())


def test_weights_choose_the_heavier_value() -> None:
    instance = _instance()
    weights = np.array([0, 0, 0, 5, 5, 5], dtype=float)
    panel = best_panel(instance, weights)
    assert panel is not None
    assert sorted(instance.values[panel, 0].tolist()) == [0, 1, 1]


def test_households_limit_forced_choices() -> None:
    instance = _instance(households=np.array([7, 7, -1, -1, -1, -1]))
    assert best_panel(instance, np.zeros(6), forced_in=(0, 1)) is None
    panel = best_panel(instance, np.zeros(6), forced_in=(0,))
    assert panel is not None and 1 not in panel.tolist()


def test_forcing_too_many_of_one_value_is_infeasible() -> None:
    assert best_panel(_instance(), np.zeros(6), forced_in=(0, 1, 2)) is None


def test_unequal_weights_inside_a_group_are_refused() -> None:
    with pytest.raises(ValueError, match="equal weights"):
        best_panel(_instance(), np.array([1, 2, 0, 0, 0, 0], dtype=float))


def test_bounds_do_not_leak_into_the_next_solve() -> None:
    from sortition.panel.model import PanelModel

    instance = _instance()
    model = PanelModel(instance)
    groups = instance.groups
    forced = model.best(np.zeros(len(groups)), lower=np.array([0, 2]), upper=np.array([3, 3]))
    assert forced is not None and forced[1] >= 2
    free = model.best(np.array([1.0, 0.0]))
    assert free is not None and free.tolist() == [2, 1]
