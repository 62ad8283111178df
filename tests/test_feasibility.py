"""Feasibility report: arithmetic findings, the ILP check and the minimal quota relaxation."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from sortition.errors import BadQuotaNumber, TimeLimitReached, UsageError
from sortition.instance import NO_HOUSEHOLD, Feature, Instance, Quota
from sortition.panel.feasibility import (
    WHOLE_TABLE,
    FeasibilityReport,
    QuotaChange,
    QuotaProblem,
    arithmetic_problems,
    check,
    minimal_relaxation,
)
from sortition.panel.model import PanelModel

SOLVERS = ["highs", "cbc"]


def make_instance(
    features: list[tuple[str, dict[str, Quota]]],
    people: list[tuple[str, ...]],
    k: int,
    households: list[int] | None = None,
) -> Instance:
    """Features as (name, {value: quota}); people as one value per feature, in feature order."""
    built = tuple(Feature(name, tuple(quotas), tuple(quotas.values())) for name, quotas in features)
    codes = np.array(
        [[f.values.index(v) for f, v in zip(built, person, strict=True)] for person in people],
        dtype=np.int64,
    )
    ids = tuple(f"p{i}" for i in range(len(people)))
    return Instance(ids, built, codes, k, None if households is None else np.array(households))


def cross_conflict(**flex: int) -> Instance:
    """All women are young: >= 3 women and >= 3 old cannot both hold on a panel of 4."""
    people = [("w", "young")] * 4 + [("m", "young")] * 2 + [("m", "old")] * 4
    return make_instance(
        [
            ("gender", {"w": Quota(3, 4, flex.get("w_min"), flex.get("w_max")), "m": Quota(0, 4)}),
            ("age", {"young": Quota(0, 4), "old": Quota(3, 4, flex.get("old_min"))}),
        ],
        people,
        4,
    )


def assert_relaxation_valid(instance: Instance, report: FeasibilityReport) -> None:
    """The corrected table keeps flex, stays within it, matches the changes and admits a panel."""
    assert report.relaxed_features is not None
    changes = {(c.feature, c.value): c for c in report.relaxation}
    cost = 0
    for old, new in zip(instance.features, report.relaxed_features, strict=True):
        assert (old.name, old.values) == (new.name, new.values)
        for value, q_old, q_new in zip(old.values, old.quotas, new.quotas, strict=True):
            assert (q_new.min_flex, q_new.max_flex) == (q_old.min_flex, q_old.max_flex)
            assert q_new.min <= q_old.min and q_new.max >= q_old.max
            if q_old.min_flex is not None:
                assert q_new.min >= q_old.min_flex
            if q_old.max_flex is not None:
                assert q_new.max <= q_old.max_flex
            change = changes.get((old.name, value))
            if change is None:
                assert q_new == q_old
            else:
                assert (change.old_min, change.old_max) == (q_old.min, q_old.max)
                assert (change.new_min, change.new_max) == (q_new.min, q_new.max)
                assert q_new != q_old
            cost += (q_old.min - q_new.min) + (q_new.max - q_old.max)
    assert cost == report.relaxation_cost
    relaxed = instance.with_quotas(report.relaxed_features)
    assert PanelModel(relaxed).any_panel() is not None


def brute_force_cost(instance: Instance) -> int | None:
    """Smallest total quota change (within flex) that admits some panel, over every panel."""
    best: int | None = None
    for panel in itertools.combinations(range(instance.size), instance.panel_size):
        labels = instance.households[list(panel)]
        labels = labels[labels != NO_HOUSEHOLD]
        if len(np.unique(labels)) != len(labels):
            continue
        cost = 0
        for f, feature in enumerate(instance.features):
            counts = instance.panel_counts(np.array(panel), f).tolist()
            for count, quota in zip(counts, feature.quotas, strict=True):
                floor = quota.min_flex if quota.min_flex is not None else 0
                ceiling = quota.max_flex if quota.max_flex is not None else instance.panel_size
                if count < floor or count > max(ceiling, quota.max):
                    cost = None
                    break
                cost += max(0, quota.min - count) + max(0, count - quota.max)
            if cost is None:
                break
        if cost is not None and (best is None or cost < best):
            best = cost
    return best


@pytest.mark.parametrize("solver", SOLVERS)
def test_feasible_instance_has_no_problem_and_no_relaxation(solver: str) -> None:
    people = [("w", "young"), ("w", "old"), ("m", "young"), ("m", "old")] * 3
    instance = make_instance(
        [
            ("gender", {"w": Quota(2, 3), "m": Quota(2, 3)}),
            ("age", {"young": Quota(1, 4), "old": Quota(1, 4)}),
        ],
        people,
        5,
    )
    report = check(instance, solver=solver)
    assert report == FeasibilityReport(True, (), (), None, None, None)
    assert arithmetic_problems(instance) == []
    assert minimal_relaxation(instance, solver=solver) == ((), instance.features, 0)


@pytest.mark.parametrize("solver", SOLVERS)
def test_minimums_above_panel_size_lowered_by_exactly_the_excess(solver: str) -> None:
    people = [(band,) for band in ("a", "b", "c") for _ in range(5)]
    instance = make_instance(
        [("age_band", {"a": Quota(3, 5), "b": Quota(3, 5), "c": Quota(3, 5)})], people, 7
    )
    report = check(instance, solver=solver)
    assert not report.feasible
    assert report.problems == (
        QuotaProblem(
            "age_band", None, "minimums of 'age_band' add up to 9, more than the panel size 7"
        ),
    )
    assert report.relaxation_cost == 2
    assert sum(c.old_min - c.new_min for c in report.relaxation) == 2
    assert all(c.new_max == c.old_max for c in report.relaxation)
    assert report.household_limit is None
    assert_relaxation_valid(instance, report)


@pytest.mark.parametrize("solver", SOLVERS)
def test_maximums_below_panel_size_raised(solver: str) -> None:
    people = [("w",)] * 5 + [("m",)] * 5
    instance = make_instance([("gender", {"w": Quota(0, 2), "m": Quota(0, 3)})], people, 6)
    report = check(instance, solver=solver)
    assert [p.message for p in report.problems] == [
        "maximums of 'gender' add up to 5, less than the panel size 6"
    ]
    assert report.relaxation_cost == 1
    assert_relaxation_valid(instance, report)


@pytest.mark.parametrize("solver", SOLVERS)
def test_minimum_above_holders(solver: str) -> None:
    people = [("w", "x")] * 2 + [("m", "x")] * 6
    instance = make_instance(
        [("gender", {"w": Quota(3, 4), "m": Quota(0, 4)}), ("other", {"x": Quota(0, 5)})], people, 4
    )
    report = check(instance, solver=solver)
    assert report.problems == (
        QuotaProblem(
            "gender", "w", "'gender' = 'w' needs at least 3 but only 2 registrants have it"
        ),
    )
    assert report.relaxation == (QuotaChange("gender", "w", 3, 4, 2, 4),)
    assert report.relaxation_cost == 1
    assert_relaxation_valid(instance, report)


def test_arithmetic_problems_come_in_feature_then_value_order() -> None:
    people = [("a", "x")] * 2 + [("b", "y")] * 2
    instance = make_instance(
        [("f", {"a": Quota(3, 3), "b": Quota(3, 3)}), ("g", {"x": Quota(0, 1), "y": Quota(3, 3)})],
        people,
        3,
        households=[0, 0, 1, 1],
    )
    problems = arithmetic_problems(instance)
    assert [(p.feature, p.value) for p in problems] == [
        ("f", None),
        ("f", "a"),
        ("f", "b"),
        ("g", "y"),
        (WHOLE_TABLE, None),
    ]
    assert problems[-1].message == (
        "the pool has only 2 households (people living together count "
        "once), fewer than the panel size 3"
    )


@pytest.mark.parametrize("solver", SOLVERS)
def test_cross_feature_conflict_found_by_ilp_with_minimal_cost(solver: str) -> None:
    instance = cross_conflict()
    assert arithmetic_problems(instance) == []
    report = check(instance, solver=solver)
    assert not report.feasible
    assert report.problems == ()
    assert report.relaxation_cost == brute_force_cost(instance) == 2
    assert_relaxation_valid(instance, report)


def random_quota(rng: np.random.Generator, value: str) -> Quota:
    """Bounds 0..4; value '0' may not lower its min, value '1' may raise its max by one only."""
    low = int(rng.integers(0, 3))
    high = low + int(rng.integers(3))
    return Quota(low, high, low if value == "0" else None, high + 1 if value == "1" else None)


@pytest.mark.parametrize("solver", SOLVERS)
def test_relaxation_matches_brute_force_on_tiny_pools(solver: str) -> None:
    rng = np.random.default_rng(1)
    for _ in range(12):
        people = [(str(rng.integers(2)), str(rng.integers(3))) for _ in range(7)]
        instance = make_instance(
            [
                ("a", {v: random_quota(rng, v) for v in "01"}),
                ("b", {v: random_quota(rng, v) for v in "012"}),
            ],
            people,
            4,
            households=[0, 0, 1, NO_HOUSEHOLD, 2, 2, NO_HOUSEHOLD],
        )
        expected = brute_force_cost(instance)
        report = check(instance, solver=solver)
        if expected == 0:
            assert report.feasible and report.relaxation_cost is None
        elif expected is None:
            assert not report.feasible and report.relaxed_features is None
        else:
            assert not report.feasible
            assert report.relaxation_cost == expected
            assert_relaxation_valid(instance, report)


@pytest.mark.parametrize("solver", SOLVERS)
def test_households_conflict_with_quotas_within_k(solver: str) -> None:
    # Three women, all in one household: a panel holds at most one of them.
    people = [("w",)] * 3 + [("m",)] * 3
    instance = make_instance(
        [("gender", {"w": Quota(2, 3), "m": Quota(0, 3)})],
        people,
        3,
        households=[5, 5, 5, NO_HOUSEHOLD, NO_HOUSEHOLD, NO_HOUSEHOLD],
    )
    assert arithmetic_problems(instance) == []
    report = check(instance, solver=solver)
    assert not report.feasible and report.household_limit is None
    assert report.relaxation == (QuotaChange("gender", "w", 2, 3, 1, 3),)
    assert_relaxation_valid(instance, report)


@pytest.mark.parametrize("solver", SOLVERS)
def test_households_making_panel_size_impossible(solver: str) -> None:
    people = [("w",), ("m",)] * 3
    instance = make_instance(
        [("gender", {"w": Quota(0, 4), "m": Quota(0, 4)})], people, 4, households=[0, 0, 1, 1, 2, 2]
    )
    report = check(instance, solver=solver)
    assert not report.feasible
    assert report.household_limit == 3
    assert report.relaxation == () and report.relaxed_features is None
    assert report.relaxation_cost is None
    assert [(p.feature, p.value) for p in report.problems] == [(WHOLE_TABLE, None)]
    assert "only 3 households" in report.problems[0].message
    assert minimal_relaxation(instance, solver=solver) is None


@pytest.mark.parametrize("solver", SOLVERS)
def test_flex_bounds_are_honoured(solver: str) -> None:
    # Women may not drop below 3, so the fix must lower the 'old' minimum instead.
    instance = cross_conflict(w_min=3)
    report = check(instance, solver=solver)
    assert report.relaxation == (QuotaChange("age", "old", 3, 4, 1, 4),)
    assert report.relaxation_cost == brute_force_cost(instance) == 2
    assert_relaxation_valid(instance, report)
    assert report.relaxed_features is not None
    assert report.relaxed_features[0].quotas[0].min_flex == 3


@pytest.mark.parametrize("solver", SOLVERS)
def test_flex_forbidding_every_fix_gives_no_relaxation(solver: str) -> None:
    instance = cross_conflict(w_min=3, old_min=2)
    assert brute_force_cost(instance) is None
    report = check(instance, solver=solver)
    assert not report.feasible
    assert report.relaxed_features is None and report.relaxation == ()
    assert report.relaxation_cost is None and report.household_limit is None
    assert report.problems == (
        QuotaProblem(
            WHOLE_TABLE,
            None,
            "no panel meets the quotas even with every quota relaxed as far as "
            "its min_flex and max_flex allow",
        ),
    )
    assert minimal_relaxation(instance, solver=solver) is None


@pytest.mark.parametrize("solver", SOLVERS)
def test_max_flex_limits_raising_a_maximum(solver: str) -> None:
    people = [("w",)] * 5 + [("m",)] * 5
    instance = make_instance(
        [("gender", {"w": Quota(0, 2, None, 3), "m": Quota(0, 2, None, 2)})], people, 6
    )
    report = check(instance, solver=solver)
    assert report.relaxed_features is None
    instance = make_instance(
        [("gender", {"w": Quota(0, 2, None, 4), "m": Quota(0, 2, None, 2)})], people, 6
    )
    report = check(instance, solver=solver)
    assert report.relaxation == (QuotaChange("gender", "w", 0, 2, 0, 4),)
    assert_relaxation_valid(instance, report)


def test_both_solvers_agree_on_the_cost() -> None:
    instances = [cross_conflict(), cross_conflict(w_min=3)]
    for instance in instances:
        costs = {solver: check(instance, solver=solver).relaxation_cost for solver in SOLVERS}
        assert costs["highs"] == costs["cbc"] is not None


def test_result_is_deterministic() -> None:
    instance = cross_conflict()
    reports = [check(instance) for _ in range(3)]
    assert reports[0] == reports[1] == reports[2]


def test_bad_arguments_raise_coded_errors() -> None:
    instance = cross_conflict()
    with pytest.raises(UsageError):
        check(instance, solver="gurobi")
    with pytest.raises(UsageError):
        check(instance, time_limit=0)
    with pytest.raises(BadQuotaNumber):
        minimal_relaxation(cross_conflict(w_max=2))


def test_spent_time_limit_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    import sortition.panel.solver as solver_module

    monkeypatch.setattr(solver_module.Deadline, "remaining", lambda self: -1.0)
    with pytest.raises(TimeLimitReached):
        check(cross_conflict(), time_limit=5)
