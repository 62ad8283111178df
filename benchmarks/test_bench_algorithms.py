"""Runtime benchmarks of LEXIMIN, MAXIMIN and LEGACY on the bundled samples and synthetic pools.

Nothing here asserts a time; the published Gurobi figures (Flanigan et al., Nature 2021; see
shared/reference/published.md and benchmarks/RESULTS.md) are for comparison only. Each case
does assert that the result is right where the right answer is known, so a fast wrong answer
cannot pass.

    pytest benchmarks --benchmark-only                   # everything
    pytest benchmarks --benchmark-only -k "not 1700"     # without the huge case
    pytest benchmarks --benchmark-only -m "not huge"     # the same, by marker
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from sortition.distribution import Distribution
from sortition.instance import Instance
from sortition.options import SolveOptions
from sortition.panel.rules import meets_rules
from sortition.research.synthetic import synthetic_instance

TOLERANCE = 1e-6


def check_panels(dist: Distribution) -> None:
    """Every panel in the support has k members and meets every quota and household rule."""
    instance = dist.instance
    groups = instance.groups
    for row in range(dist.num_panels):
        panel = dist.realize(row, 0.0)
        assert len(panel) == instance.panel_size
        for f, feature in enumerate(instance.features):
            counts = np.bincount(instance.values[panel, f], minlength=len(feature.values))
            assert np.all(counts >= feature.minimums) and np.all(counts <= feature.maximums)
        labels = instance.households[panel]
        labels = labels[labels >= 0]
        assert len(labels) == len(np.unique(labels)), "two members of one household"
    assert len(groups) == dist.compositions.shape[1]


def check_marginals(dist: Distribution) -> np.ndarray:
    marginals = dist.marginals()
    assert abs(marginals.sum() - dist.instance.panel_size) < 1e-6
    assert np.all(marginals >= -TOLERANCE) and np.all(marginals <= 1 + TOLERANCE)
    return marginals


# ---------------------------------------------------------------------------------------------
# The two published example instances: LEXIMIN gives everyone exactly k/n = 10%.


@pytest.mark.published
def test_leximin_example_large_200(
    run_solver: Callable[..., Distribution], load_sample: Callable[..., Instance]
) -> None:
    """Published: 1,161.8 s with Gurobi; every probability 10.0%."""
    instance = load_sample("example_large_200")
    _ = instance.groups
    dist = run_solver("leximin", instance, rounds=5)
    marginals = check_marginals(dist)
    np.testing.assert_allclose(marginals, 0.1, atol=TOLERANCE)
    check_panels(dist)


@pytest.mark.published
def test_leximin_example_small_20(
    run_solver: Callable[..., Distribution], load_sample: Callable[..., Instance]
) -> None:
    """Published: 2.7 s with Gurobi; every probability 10.0%."""
    instance = load_sample("example_small_20")
    _ = instance.groups
    dist = run_solver("leximin", instance, rounds=5)
    marginals = check_marginals(dist)
    np.testing.assert_allclose(marginals, 0.1, atol=TOLERANCE)
    check_panels(dist)


# ---------------------------------------------------------------------------------------------
# The Chilean samples, with households (one per address).


def test_leximin_renca(
    run_solver: Callable[..., Distribution], load_sample: Callable[..., Instance]
) -> None:
    instance = load_sample("renca", ["address"])
    _ = instance.groups
    dist = run_solver("leximin", instance, rounds=3)
    marginals = check_marginals(dist)
    assert marginals.min() > 0.05
    check_panels(dist)


def test_leximin_santiago_region(
    run_solver: Callable[..., Distribution], load_sample: Callable[..., Instance]
) -> None:
    instance = load_sample("santiago-region", ["address"])
    _ = instance.groups
    dist = run_solver("leximin", instance, rounds=1)
    marginals = check_marginals(dist)
    assert marginals.min() > 0
    check_panels(dist)


# ---------------------------------------------------------------------------------------------
# Synthetic pools with many distinct feature vectors, so type compression helps little.
# Published Gurobi LEXIMIN times for real pools of this kind: 6.0-46.2 s (161-404 people),
# 4,011.6 s for sf_e_110 (1,727 people, k = 110, 7 categories).


def _leximin_synthetic(
    run_solver: Callable[..., Distribution], n: int, k: int, features: int, rounds: int
) -> Distribution:
    instance = synthetic_instance(n, k, features, seed=0)
    _ = instance.groups
    dist = run_solver("leximin", instance, rounds=rounds)
    marginals = check_marginals(dist)
    assert marginals.min() > 0
    # leximin is equal within a group of interchangeable people
    for members in instance.groups.members:
        assert np.ptp(marginals[members]) < TOLERANCE
    check_panels(dist)
    return dist


def test_leximin_synthetic_300(run_solver: Callable[..., Distribution]) -> None:
    _leximin_synthetic(run_solver, 300, 30, 6, rounds=3)


def test_leximin_synthetic_400(run_solver: Callable[..., Distribution]) -> None:
    _leximin_synthetic(run_solver, 400, 40, 7, rounds=1)


@pytest.mark.huge
def test_leximin_synthetic_1700(run_solver: Callable[..., Distribution]) -> None:
    """Like sf_e_110 (1,727 people, k = 110, 7 categories): published 4,011.6 s with Gurobi."""
    _leximin_synthetic(run_solver, 1700, 110, 7, rounds=1)


# ---------------------------------------------------------------------------------------------
# MAXIMIN with households, and LEGACY draw throughput.


def test_maximin_households_200(run_solver: Callable[..., Distribution]) -> None:
    instance = synthetic_instance(200, 20, 5, seed=1, household_share=0.3)
    _ = instance.groups
    dist = run_solver("maximin", instance, rounds=3)
    marginals = check_marginals(dist)
    assert marginals.min() > 0
    check_panels(dist)


def test_legacy_draws_2000(benchmark: Any, bench_options: Callable[..., SolveOptions]) -> None:
    """1,000 LEGACY draws on a 2,000-person, 7-feature pool; draws/s is in extra_info."""
    from sortition.algorithms import solve

    draws = 1000
    instance = synthetic_instance(2000, 100, 7, seed=0)
    _ = instance.groups
    options = bench_options(legacy_draws=draws)
    result: list[Distribution] = []
    cpu: list[float] = []

    def once() -> Distribution:
        start = time.process_time()
        dist = solve("legacy", instance, rng=np.random.default_rng(0), options=options)
        cpu.append(time.process_time() - start)
        result.append(dist)
        return dist

    benchmark.pedantic(once, rounds=3, iterations=1, warmup_rounds=0)
    dist = result[-1]
    assert not dist.exact
    marginals = check_marginals(dist)
    assert marginals.max() <= 1
    check_panels(dist)
    benchmark.extra_info.update(
        {
            "algorithm": "legacy",
            "n": 2000,
            "k": 100,
            "draws": draws,
            "draws_per_second": draws / benchmark.stats.stats.median,
            "cpu_seconds_median": statistics.median(cpu),
            "draws_per_cpu_second": draws / statistics.median(cpu),
        }
    )


# ---------------------------------------------------------------------------------------------
# Rounding a distribution to 1,000 equally likely lottery tickets (sortition.process.lottery).


def test_lottery_tickets_renca(
    benchmark: Any, load_sample: Callable[..., Instance], bench_options: Callable[..., SolveOptions]
) -> None:
    """to_tickets on the renca LEXIMIN distribution; the largest deviation is in extra_info."""
    from sortition.algorithms import solve
    from sortition.process.lottery import TicketLottery, to_tickets

    instance = load_sample("renca", ["address"])
    dist = solve("leximin", instance, rng=np.random.default_rng(0), options=bench_options())
    cpu: list[float] = []

    def once() -> TicketLottery:
        start = time.process_time()
        lottery = to_tickets(dist, 1000)
        cpu.append(time.process_time() - start)
        return lottery

    lottery = benchmark.pedantic(once, rounds=3, iterations=1, warmup_rounds=0)
    assert lottery.num_tickets == 1000
    assert all(meets_rules(instance, ticket) for ticket in lottery.tickets)
    assert lottery.max_deviation <= 0.002
    assert lottery.unrepresented == 0
    benchmark.extra_info.update(
        {
            "n": len(instance.ids),
            "k": instance.panel_size,
            "panels_in_distribution": dist.num_panels,
            "tickets": lottery.num_tickets,
            "max_deviation": lottery.max_deviation,
            "unrepresented": lottery.unrepresented,
            "cpu_seconds_median": statistics.median(cpu),
            **{
                key: value
                for key, value in lottery.details.items()
                if isinstance(value, int | float | str)
            },
        }
    )
