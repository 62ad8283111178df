"""LEGACY: every draw meets the quotas, draws are reproducible, and on tiny pools the sampled
distribution matches the exact one computed by following every branch of the greedy process."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

import numpy as np
import pytest
from helpers.budget import examples
from helpers.invariants import panel_meets_quotas
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sortition.algorithms import legacy
from sortition.errors import InfeasibleQuotas
from sortition.instance import NO_HOUSEHOLD, Feature, Instance, Quota
from sortition.options import SolveOptions


def make_instance(values, bounds, panel_size, households=None) -> Instance:
    """values: (n, F) value indices; bounds[f]: one (min, max) per value of feature f."""
    values = np.asarray(values, dtype=np.int64).reshape(len(values), len(bounds))
    features = tuple(
        Feature(
            f"f{f}", tuple(f"v{j}" for j in range(len(b))), tuple(Quota(lo, hi) for lo, hi in b)
        )
        for f, b in enumerate(bounds)
    )
    ids = tuple(f"p{i}" for i in range(len(values)))
    return Instance(ids, features, values, panel_size, households)


def random_feasible_instance(
    seed: int, n: int, num_features: int, panel_size: int, tight: bool = False
) -> tuple[Instance, np.ndarray]:
    """A random pool with couples, and quotas built around a known valid panel (returned too)."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 4, size=num_features)
    values = (
        np.column_stack([rng.integers(0, s, size=n) for s in sizes])
        if num_features
        else (np.zeros((n, 0), dtype=np.int64))
    )
    households = np.where(
        rng.random(n) < 0.5, rng.integers(0, max(1, n // 2), size=n), NO_HOUSEHOLD
    )
    panel: list[int] = []
    used: list[int] = []
    for person in rng.permutation(n).tolist():
        label = int(households[person])
        if len(panel) < panel_size and (label < 0 or label not in used):
            panel.append(person)
            used.append(label)
    panel_array = np.array(sorted(panel), dtype=np.int64)
    bounds = []
    for f, s in enumerate(sizes):
        counts = np.bincount(values[panel_array, f], minlength=s).tolist()
        below, above = (
            np.zeros((2, s), dtype=np.int64) if tight else rng.integers(0, 2, size=(2, s))
        )
        bounds.append(
            [
                (max(0, c - int(lo)), c + int(hi))
                for c, lo, hi in zip(counts, below, above, strict=True)
            ]
        )
    instance = make_instance(values, bounds, len(panel), households)
    assert panel_meets_quotas(instance, panel_array)
    return instance, panel_array


def exact_legacy(instance: Instance) -> dict[tuple[int, ...], Fraction]:
    """LEGACY's exact panel distribution, by following every pick with its probability.

    A deliberately plain rendering of the rule, person by person, with exact fractions for the
    urgencies, so it shares nothing with the vectorized implementation under test.
    """
    n, k = instance.size, instance.panel_size
    values = instance.values.tolist()
    households = instance.households.tolist()
    bounds = [
        (f, j, q.min, q.max)
        for f, feature in enumerate(instance.features)
        for j, q in enumerate(feature.quotas)
    ]
    outcome: dict[tuple[int, ...], Fraction] = defaultdict(Fraction)

    def holds(person: int, f: int, j: int) -> bool:
        return values[person][f] == j

    def visit(panel: list[int], eligible: list[bool], chance: Fraction) -> None:
        chosen = {(f, j): sum(holds(p, f, j) for p in panel) for f, j, _, _ in bounds}
        if len(panel) == k:
            if all(chosen[f, j] >= lo for f, j, lo, _ in bounds):
                outcome[tuple(sorted(panel))] += chance
            return
        best, best_urgency = None, Fraction(0)
        for f, j, lo, _ in bounds:
            need = lo - chosen[f, j]
            if need > 0:
                holders = sum(1 for p in range(n) if eligible[p] and holds(p, f, j))
                if holders == 0:
                    return
                if Fraction(need, holders) > best_urgency:
                    best, best_urgency = (f, j), Fraction(need, holders)
        candidates = [p for p in range(n) if eligible[p] and (best is None or holds(p, *best))]
        for person in candidates:
            after = [*panel, person]
            full = [(f, j) for f, j, _, hi in bounds if sum(holds(p, f, j) for p in after) >= hi]
            still = [
                eligible[p]
                and p != person
                and not (households[p] >= 0 and households[p] == households[person])
                and not any(holds(p, f, j) for f, j in full)
                for p in range(n)
            ]
            visit(after, still, chance / len(candidates))

    start = [not any(holds(p, f, j) for f, j, _, hi in bounds if hi == 0) for p in range(n)]
    visit([], start, Fraction(1))
    total = sum(outcome.values())
    return {panel: chance / total for panel, chance in outcome.items()}


# A pool where the two most urgent values tie at the first step (a0 and b1, both 1/2): the tie
# goes to the lower (feature, value), a0, so person 0 or 1 is always picked first.
TIE = make_instance(
    [[0, 0], [0, 1], [1, 0], [1, 1]], [[(1, 2), (0, 2)], [(0, 2), (1, 2)]], panel_size=2
)
TIE_MARGINALS = [2 / 3, 3 / 4, 1 / 6, 5 / 12]


def test_exact_reference_agrees_with_hand_computation():
    marginals = np.zeros(TIE.size)
    for panel, chance in exact_legacy(TIE).items():
        marginals[list(panel)] += float(chance)
    np.testing.assert_allclose(marginals, TIE_MARGINALS)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_panel_has_size_k_and_meets_quotas_and_households(seed):
    instance, _ = random_feasible_instance(seed, n=60, num_features=4, panel_size=12)
    rng = np.random.default_rng(seed)
    for _ in range(20):
        panel = legacy.draw_panel(instance, rng)
        assert len(panel) == instance.panel_size
        assert np.all(np.diff(panel) > 0)
        assert panel_meets_quotas(instance, panel)


def test_same_seed_same_panel_and_different_seeds_differ():
    instance, _ = random_feasible_instance(7, n=80, num_features=3, panel_size=10)
    first = legacy.draw_panel(instance, np.random.default_rng(42))
    again = legacy.draw_panel(instance, np.random.default_rng(42))
    np.testing.assert_array_equal(first, again)
    panels = {
        tuple(legacy.draw_panel(instance, np.random.default_rng(s)).tolist()) for s in range(10)
    }
    assert len(panels) > 1


def test_same_seed_same_distribution():
    instance, _ = random_feasible_instance(3, n=40, num_features=3, panel_size=8)
    options = SolveOptions(legacy_draws=200)
    one = legacy.solve(instance, rng=np.random.default_rng(5), options=options)
    two = legacy.solve(instance, rng=np.random.default_rng(5), options=options)
    np.testing.assert_array_equal(one.compositions, two.compositions)
    np.testing.assert_array_equal(one.probabilities, two.probabilities)


def test_household_members_never_both_selected():
    # ten couples and nothing else to choose by: every panel takes at most one of each couple
    n = 20
    instance = make_instance(
        np.zeros((n, 1)), [[(0, n)]], panel_size=10, households=np.arange(n) // 2
    )
    rng = np.random.default_rng(0)
    for _ in range(30):
        panel = legacy.draw_panel(instance, rng)
        assert len(np.unique(panel // 2)) == 10
        assert panel_meets_quotas(instance, panel)


def test_value_with_maximum_zero_is_never_selected():
    instance = make_instance(
        [[0], [1], [0], [1], [2], [2]], [[(0, 3), (0, 0), (1, 1)]], panel_size=3
    )
    rng = np.random.default_rng(1)
    for _ in range(20):
        panel = legacy.draw_panel(instance, rng)
        assert not np.isin(panel, [1, 3]).any()
        assert panel_meets_quotas(instance, panel)


def test_minimums_above_panel_size_raise_at_once():
    instance = make_instance([[0], [1], [0], [1]], [[(2, 2), (1, 2)]], panel_size=2)
    with pytest.raises(InfeasibleQuotas, match="LEGACY found no panel after 1 attempt"):
        legacy.draw_panel(instance, np.random.default_rng(0))


def test_infeasible_quotas_raise_after_max_attempts():
    # two people hold value 0 and both are needed, but they share a household
    instance = make_instance(
        [[0], [0], [1], [1]],
        [[(2, 2), (0, 2)]],
        panel_size=2,
        households=[5, 5, NO_HOUSEHOLD, NO_HOUSEHOLD],
    )
    with pytest.raises(InfeasibleQuotas, match="LEGACY found no panel after 50 attempts") as info:
        legacy.draw_panel(instance, np.random.default_rng(0), max_attempts=50)
    assert "too tight for greedy" in str(info.value)
    with pytest.raises(InfeasibleQuotas):
        legacy.solve(instance, rng=np.random.default_rng(0), options=SolveOptions(legacy_draws=3))


def test_solve_distribution_is_well_formed():
    instance, _ = random_feasible_instance(11, n=50, num_features=3, panel_size=9)
    draws = 300
    dist = legacy.solve(
        instance, rng=np.random.default_rng(0), options=SolveOptions(legacy_draws=draws)
    )
    assert dist.algorithm == "legacy"
    assert dist.exact is False
    assert dist.details["draws"] == draws
    assert dist.details["attempts"] >= draws
    assert abs(dist.probabilities.sum() - 1.0) < 1e-9
    assert abs(dist.marginals().sum() - instance.panel_size) < 1e-9
    assert len(np.unique(dist.compositions, axis=0)) == dist.num_panels
    counts = dist.probabilities * draws
    np.testing.assert_allclose(counts, np.round(counts), atol=1e-9)
    for index in range(dist.num_panels):
        assert panel_meets_quotas(instance, dist.realize(index, 0.5))


@pytest.mark.parametrize(
    "instance",
    [
        TIE,
        random_feasible_instance(20, n=8, num_features=3, panel_size=4)[0],
        random_feasible_instance(8, n=8, num_features=3, panel_size=4)[0],
        random_feasible_instance(36, n=8, num_features=3, panel_size=4, tight=True)[0],  # restarts
    ],
    ids=["tie", "skewed", "two-couples", "dead-ends"],
)
@pytest.mark.parametrize("sampling", ["rejection", "by-rank"])
def test_sampled_distribution_matches_exact_legacy(instance, sampling, monkeypatch):
    if sampling == "by-rank":  # no rejection rounds: every pick takes the exact fallback
        monkeypatch.setattr(legacy, "_REJECTION_ROUNDS", 0)
    exact = exact_legacy(instance)
    draws = 20_000
    dist = legacy.solve(
        instance, rng=np.random.default_rng(2024), options=SolveOptions(legacy_draws=draws)
    )
    expected = np.zeros(instance.size)
    for panel, chance in exact.items():
        expected[list(panel)] += float(chance)
    # standard error of each estimate is at most 0.5 / sqrt(20000) = 0.0035
    np.testing.assert_allclose(dist.marginals(), expected, atol=0.015)
    group_of = instance.groups.group_of_person
    exact_compositions: dict[bytes, float] = defaultdict(float)
    for panel, chance in exact.items():
        key = np.bincount(group_of[list(panel)], minlength=len(instance.groups)).tobytes()
        exact_compositions[key] += float(chance)
    sampled = {
        row.tobytes(): p for row, p in zip(dist.compositions, dist.probabilities, strict=True)
    }
    assert set(sampled) <= set(exact_compositions)
    distance = 0.5 * sum(abs(sampled.get(key, 0.0) - p) for key, p in exact_compositions.items())
    assert distance < 0.03


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(2, 12),
    num_features=st.integers(0, 3),
    panel_size=st.integers(1, 6),
    tight=st.booleans(),
)
def test_property_every_draw_meets_quotas(seed, n, num_features, panel_size, tight):
    instance, _ = random_feasible_instance(seed, n, num_features, min(panel_size, n), tight)
    rng = np.random.default_rng(seed)
    for _ in range(3):
        panel = legacy.draw_panel(instance, rng)
        assert len(panel) == instance.panel_size
        assert panel_meets_quotas(instance, panel)
