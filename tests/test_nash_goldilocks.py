"""NASH and GOLDILOCKS: the published example, the bundled samples against every other algorithm,
certificates checked by brute force on tiny pools, property tests on random feasible pools,
infeasible quotas, the time limit and determinism."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers import make_instance
from helpers.budget import examples
from helpers.invariants import assert_distribution_well_formed
from hypothesis import HealthCheck, example, given, settings
from test_algorithms import INFEASIBLE, all_valid_panels, feasible_instances, lp_maximize

from sortition.algorithms import ALGORITHM_NAMES, DEFAULT_COMPARISON, solve
from sortition.algorithms.column_generation import NASH_GAP
from sortition.algorithms.goldilocks import GAMMA
from sortition.distribution import Distribution
from sortition.errors import InfeasibleQuotas, TimeLimitReached
from sortition.inputs.build import load_instance
from sortition.instance import Feature, Instance, Quota
from sortition.options import SolveOptions
from sortition.research.synthetic import synthetic_instance

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
NEW = ("nash", "goldilocks")
TOL = 1e-6


def run(name: str, instance: Instance, seed: int = 0, **options) -> Distribution:
    return solve(name, instance, rng=np.random.default_rng(seed), options=SolveOptions(**options))


def sample(name: str, panel_size: int, households: tuple[str, ...] = ()) -> Instance:
    folder = SAMPLES / name
    return load_instance(
        folder / "pool.csv",
        folder / "quotas.csv",
        panel_size=panel_size,
        household_columns=households,
    ).instance


def geometric_mean(distribution: Distribution) -> float:
    return distribution.fairness().geometric_mean


def goldilocks_objective(marginals: np.ndarray, panel_size: int, gamma: float = GAMMA) -> float:
    """(n/k) max_i p_i + gamma (k/n) / min_i p_i, infinite if someone is never selected."""
    n = len(marginals)
    low = float(marginals.min())
    if low <= 0:
        return np.inf
    return n / panel_size * float(marginals.max()) + gamma * panel_size / n / low


def test_registry_lists_the_new_algorithms():
    assert ALGORITHM_NAMES == (
        "leximin",
        "maximin",
        "nash",
        "goldilocks",
        "legacy",
        "diversimax",
        "fair-maxentropy",
        "maxentropy",
    )
    assert DEFAULT_COMPARISON == ("leximin", "maximin", "nash", "goldilocks", "legacy")


# -- the published example: everyone at 1 in 10 ------------------------------------------------


@pytest.mark.parametrize(("algorithm", "tolerance"), [("nash", 1e-3), ("goldilocks", TOL)])
def test_example_small_20_gives_everyone_one_in_ten(algorithm, tolerance):
    dist = run(algorithm, sample("example_small_20", 20))
    assert_distribution_well_formed(dist)
    np.testing.assert_allclose(dist.marginals(), 0.1, atol=tolerance)
    assert dist.details["optimality_gap"] <= 1e-4


# -- the samples: each new algorithm beats every other algorithm on its own objective -----------

SAMPLE_CASES = {
    "example_small_20": ("example_small_20", 20, ()),
    "renca": ("renca", 40, ("address",)),
}


@pytest.fixture(scope="module", params=list(SAMPLE_CASES))
def sample_distributions(request) -> dict[str, Distribution]:
    """Every algorithm compare runs by default on one sample, computed once (leximin takes ~10 s
    on renca; diversimax, minutes, is tested in test_diversimax.py)."""
    instance = sample(*SAMPLE_CASES[request.param])
    return {name: run(name, instance, legacy_draws=200) for name in DEFAULT_COMPARISON}


def test_nash_has_the_highest_geometric_mean(sample_distributions):
    nash = sample_distributions["nash"]
    assert_distribution_well_formed(nash)
    assert nash.details["optimality_gap"] <= NASH_GAP
    # the certificate: the best geometric mean is at most (1 + gap) times this one
    assert nash.details["geometric_mean"] == pytest.approx(geometric_mean(nash), rel=1e-12)
    for name, other in sample_distributions.items():
        assert geometric_mean(nash) >= geometric_mean(other) - TOL, name


def test_goldilocks_has_the_lowest_objective(sample_distributions):
    goldilocks = sample_distributions["goldilocks"]
    assert_distribution_well_formed(goldilocks)
    k = goldilocks.instance.panel_size
    value = goldilocks_objective(goldilocks.marginals(), k)
    assert goldilocks.details["objective"] == pytest.approx(value, rel=1e-12)
    assert goldilocks.details["optimality_gap"] <= 1e-6
    assert goldilocks.details["lower_bound"] <= value + TOL
    for name, other in sample_distributions.items():
        assert value <= goldilocks_objective(other.marginals(), k) + TOL, name


# -- certificates checked by brute force over every panel of tiny pools ----------------------


def brute_force_goldilocks(instance: Instance, panels: list[tuple[int, ...]]) -> float:
    """min over distributions of (n/k) max p + (k/n) / min p, person by person: for a lower
    level l the least upper level is an LP; the objective is convex in l (golden section)."""
    n, k, count = instance.size, instance.panel_size, len(panels)
    incidence = np.zeros((n, count))
    for c, panel in enumerate(panels):
        incidence[list(panel), c] = 1.0
    inf = np.inf
    convexity = np.append(np.ones(count), 0.0)

    def highest_min() -> float:  # max z: incidence q >= z, sum q = 1
        matrix = np.vstack([convexity, np.hstack([incidence, -np.ones((n, 1))])])
        lower = np.concatenate(([1.0], np.zeros(n)))
        upper = np.concatenate(([1.0], np.full(n, inf)))
        return lp_maximize(
            np.append(np.zeros(count), 1.0),
            matrix,
            lower,
            upper,
            np.append(np.zeros(count), -inf),
            np.full(count + 1, inf),
        )

    def objective(level: float) -> float:  # min u: level <= incidence q <= u, sum q = 1
        matrix = np.vstack(
            [
                convexity,
                np.hstack([incidence, -np.ones((n, 1))]),
                np.hstack([incidence, np.zeros((n, 1))]),
            ]
        )
        lower = np.concatenate(([1.0], np.full(n, -inf), np.full(n, level)))
        upper = np.concatenate(([1.0], np.zeros(n), np.full(n, inf)))
        high = -lp_maximize(
            np.append(np.zeros(count), -1.0),
            matrix,
            lower,
            upper,
            np.zeros(count + 1),
            np.full(count + 1, inf),
        )
        return n / k * high + k / n / level

    left, right = 1e-3 * highest_min(), highest_min() - 1e-10
    ratio = (np.sqrt(5.0) - 1.0) / 2.0
    for _ in range(80):
        a, b = right - ratio * (right - left), left + ratio * (right - left)
        if objective(a) <= objective(b):
            right = b
        else:
            left = a
    return objective(0.5 * (left + right))


@settings(max_examples=examples(10), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=feasible_instances(min_people=4, max_people=9, max_panel=4))
def test_certificates_hold_over_every_panel_of_tiny_pools(instance):
    panels = all_valid_panels(instance)
    nash = run("nash", instance)
    goldilocks = run("goldilocks", instance)
    assert_distribution_well_formed(nash)
    assert_distribution_well_formed(goldilocks)
    valid = set(panels)
    for dist in (nash, goldilocks):
        for index in range(dist.num_panels):
            assert tuple(dist.realize(index, 0.5).tolist()) in valid
    p = nash.marginals()
    selectable = np.zeros(instance.size, dtype=bool)
    selectable[np.unique(np.concatenate([list(panel) for panel in panels]))] = True
    assert nash.details["never_selected"] == int((~selectable).sum())
    if not selectable.all():
        return  # someone is never selected: min p = 0 for every distribution
    # Nash: the best panel under weights 1/p_i, found by enumeration, proves the gap
    weights = 1.0 / p
    best = max(float(weights[list(panel)].sum()) for panel in panels)
    gap = best / instance.size - 1.0
    assert gap <= NASH_GAP + 1e-9
    assert gap == pytest.approx(nash.details["optimality_gap"], abs=1e-9)
    # Goldilocks: equal to the optimum found by LPs over every panel
    value = goldilocks_objective(goldilocks.marginals(), instance.panel_size)
    assert value == pytest.approx(brute_force_goldilocks(instance, panels), abs=TOL)


# -- random feasible pools ------------------------------------------------------------------


def zero_level_pool() -> Instance:
    """Found by hypothesis (a fresh-clone CI run): GOLDILOCKS' early cut LP returned l = 0 (its
    tangent cuts bound 1/l only from below), and the tangent at l = 0 divided by zero. The cut
    now goes at max(l, 1/t_max)."""
    values = [[0, 0, 0]] * 30
    for i in (2, 3):
        values[i] = [1, 0, 0]
    for i in (4, 8, 19, 29):
        values[i] = [1, 2, 0]
    for i in (5, 6, 12, 27):
        values[i] = [0, 0, 1]
    values[9] = [0, 1, 0]
    for i in (11, 24, 26):
        values[i] = [0, 2, 0]
    households = [-1] * 30
    for house, members in enumerate(((0, 10), (5, 12), (6, 24))):
        for i in members:
            households[i] = house
    return Instance(
        ids=tuple(f"p{i}" for i in range(30)),
        features=(
            Feature("f0", ("v0", "v1"), (Quota(min=2, max=4), Quota(min=0, max=2))),
            Feature(
                "f1",
                ("v0", "v1", "v2"),
                (Quota(min=1, max=1), Quota(min=0, max=0), Quota(min=3, max=3)),
            ),
            Feature("f2", ("v0", "v1"), (Quota(min=3, max=3), Quota(min=1, max=1))),
        ),
        values=np.array(values),
        panel_size=4,
        households=np.array(households),
    )


@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=feasible_instances())
@example(instance=zero_level_pool())
def test_property_nash_and_goldilocks_on_random_feasible_pools(instance):
    k = instance.panel_size
    maximin = run("maximin", instance)
    nash = run("nash", instance)
    goldilocks = run("goldilocks", instance)
    for dist in (nash, goldilocks):
        assert_distribution_well_formed(dist)
        assert dist.marginals().sum() == pytest.approx(k, abs=1e-9 * k)
        for members in instance.groups.members:  # interchangeable people, equal chances
            assert np.ptp(dist.marginals()[members]) <= 1e-12
    assert geometric_mean(nash) >= geometric_mean(maximin) - TOL
    assert geometric_mean(nash) >= geometric_mean(goldilocks) - TOL
    value = goldilocks_objective(goldilocks.marginals(), k)
    assert value <= goldilocks_objective(maximin.marginals(), k) + TOL
    assert value <= goldilocks_objective(nash.marginals(), k) + TOL


def test_nash_converges_where_two_panels_mirror_each_other():
    """Found by hypothesis: full Newton steps of the restricted problem jumped between two
    mirror-image points forever ("did not converge"); damped steps end at the optimum, which
    enumeration of every valid panel certifies."""
    instance = Instance(
        ids=tuple(f"p{i}" for i in range(9)),
        features=(
            Feature(
                name="f0",
                values=("v0", "v1", "v2"),
                quotas=(Quota(min=2, max=2), Quota(min=2, max=4), Quota(min=0, max=2)),
            ),
        ),
        values=np.array([[0], [0], [0], [1], [1], [1], [2], [0], [2]]),
        panel_size=6,
        households=np.array([-1, 0, -1, 0, -1, -1, -1, -1, -1]),
    )
    nash = run("nash", instance)
    assert_distribution_well_formed(nash)
    weights = 1.0 / nash.marginals()
    best = max(float(weights[list(panel)].sum()) for panel in all_valid_panels(instance))
    assert best / instance.size - 1.0 <= NASH_GAP + 1e-9


def test_someone_never_selectable_is_reported_not_fatal():
    # value 1 is capped at 0 seats: person 3 sits on no valid panel
    instance = make_instance([[0], [0], [0], [1]], [[(0, 2), (0, 0)]], 2)
    for name in NEW:
        dist = run(name, instance)
        assert_distribution_well_formed(dist)
        assert dist.details["never_selected"] == 1
        np.testing.assert_allclose(dist.marginals(), [2 / 3, 2 / 3, 2 / 3, 0.0], atol=1e-9)


# -- errors, time limit, determinism ------------------------------------------------------------


@pytest.mark.parametrize("algorithm", NEW)
@pytest.mark.parametrize("case", list(INFEASIBLE))
def test_infeasible_quotas_raise(case, algorithm):
    values, bounds, k, households = INFEASIBLE[case]
    with pytest.raises(InfeasibleQuotas):
        run(algorithm, make_instance(values, bounds, k, households))


@pytest.mark.parametrize("algorithm", NEW)
def test_tiny_time_limit_raises(algorithm):
    with pytest.raises(TimeLimitReached):
        run(algorithm, synthetic_instance(400, 40, 6, seed=1), time_limit=1e-6)


@pytest.mark.parametrize("algorithm", NEW)
def test_deterministic(algorithm):
    instance = synthetic_instance(40, 8, 3, seed=3, household_share=0.2)
    one, two = run(algorithm, instance, seed=1), run(algorithm, instance, seed=2)
    assert_distribution_well_formed(one)
    assert np.array_equal(one.compositions, two.compositions)
    assert np.array_equal(one.probabilities, two.probabilities)
    assert one.details == two.details
