"""The HiGHS pricing (relaxation, rounding, reduced-cost fixing) against CBC on the whole MIP."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers.budget import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sortition.panel.model import PanelModel
from sortition.panel.pricing import HighsPricer
from sortition.panel.rows import PanelRows
from sortition.research.generator import generate
from sortition.research.generator_profiles import GeneratorSpec
from sortition.research.synthetic import synthetic_instance


def meets_rules(instance, composition: np.ndarray) -> bool:
    """Panel size, every quota and at most one member per household."""
    rows = PanelRows.of(instance)
    used = rows.usage(composition)
    return bool(
        np.all(composition >= 0)
        and np.all(composition <= instance.groups.sizes)
        and np.all(used >= rows.lower - 1e-9)
        and np.all(used <= rows.upper + 1e-9)
    )


def cbc_best(instance, weights: np.ndarray) -> float:
    composition = PanelModel(instance, solver="cbc").best(weights)
    assert composition is not None
    return float(weights @ composition)


@pytest.mark.parametrize("households", [0.0, 0.3])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_best_matches_the_full_mip(seed: int, households: float) -> None:
    instance = synthetic_instance(60, 12, 4, seed=seed, household_share=households)
    rng = np.random.default_rng(seed)
    weights = rng.random(len(instance.groups)) ** 3 - 0.2  # either sign, many near zero
    found = HighsPricer(instance).solve(weights).best
    assert found is not None and meets_rules(instance, found)
    assert float(weights @ found) == pytest.approx(cbc_best(instance, weights), abs=1e-9)


def test_threshold_answers_exactly() -> None:
    instance = synthetic_instance(80, 15, 5, seed=3, household_share=0.2)
    weights = np.random.default_rng(3).random(len(instance.groups))
    optimum = cbc_best(instance, weights)
    pricer = HighsPricer(instance)
    below = pricer.solve(weights, threshold=optimum - 1e-6).best
    assert below is not None and float(weights @ below) > optimum - 1e-6
    assert pricer.solve(weights, threshold=optimum + 1e-7).best is None


def test_bounds_force_groups_in_and_out() -> None:
    instance = synthetic_instance(60, 10, 3, seed=4)
    sizes = instance.groups.sizes.astype(float)
    weights = np.ones(len(sizes))
    pricer = HighsPricer(instance)
    free = pricer.solve(weights).best
    assert free is not None
    chosen = int(np.flatnonzero(free)[0])
    upper = sizes.copy()
    upper[chosen] = 0
    without = pricer.solve(weights, upper=upper).best
    assert without is not None and without[chosen] == 0 and meets_rules(instance, without)
    absent = int(np.flatnonzero(free == 0)[0])
    lower = np.zeros(len(sizes))
    lower[absent] = 1
    forced = pricer.solve(weights, lower=lower).best
    assert forced is None or (forced[absent] >= 1 and meets_rules(instance, forced))


def test_no_panel_gives_none() -> None:
    instance = synthetic_instance(40, 8, 3, seed=5)
    lower = instance.groups.sizes.astype(float)  # everyone forced in: more than k people
    assert HighsPricer(instance).solve(np.ones(len(lower)), lower=lower).best is None


def test_quick_bound_is_above_the_optimum() -> None:
    instance = synthetic_instance(100, 20, 5, seed=6, household_share=0.2)
    weights = np.random.default_rng(6).random(len(instance.groups))
    composition, bound = HighsPricer(instance).quick(weights)
    optimum = cbc_best(instance, weights)
    assert bound >= optimum - 1e-9
    assert composition is None or (
        meets_rules(instance, composition) and float(weights @ composition) <= optimum + 1e-9
    )


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    households=st.sampled_from([0.0, 0.25]),
    sparse=st.booleans(),
)
def test_property_best_is_optimal_and_feasible(seed: int, households: float, sparse: bool) -> None:
    instance = synthetic_instance(40, 8, 3, seed=seed % 50, household_share=households)
    rng = np.random.default_rng(seed)
    weights = rng.random(len(instance.groups))
    if sparse:  # column generation's duals: most weights exactly zero
        weights[rng.random(len(weights)) < 0.8] = 0.0
    found = HighsPricer(instance).solve(weights).best
    assert found is not None and meets_rules(instance, found)
    assert float(weights @ found) == pytest.approx(cbc_best(instance, weights), abs=1e-9)


def test_sub_mip_survives_a_highs_solve_error():
    """HiGHS 1.16's MIP presolve ends in 'Solve error' on this sub-MIP of the generated uk 2,000
    pool (found in a leximin run); the pricer retries without presolve instead of failing."""
    instance = generate(GeneratorSpec("uk", 2000, 100, "1", features=8)).instance
    saved = np.load(Path(__file__).parent / "data" / "highs_solve_error_uk2000.npz")
    pricer = HighsPricer(instance)
    composition = pricer._sub_mip(
        saved["weights"], saved["free"], saved["rounded"], saved["lower"], saved["upper"]
    )
    assert composition is not None
    assert np.all(composition >= saved["lower"]) and np.all(composition <= saved["upper"])
    used = pricer.rows.usage(composition)
    assert np.all(used >= pricer.rows.lower - 1e-9) and np.all(used <= pricer.rows.upper + 1e-9)
    best = pricer.solve(saved["weights"]).best
    assert best is not None
    assert saved["weights"] @ best >= saved["weights"] @ composition - 1e-9


def test_quick_chain_is_deterministic_feasible_and_starts_at_quick() -> None:
    instance = synthetic_instance(300, 30, 6, seed=8, household_share=0.2)
    start = np.random.default_rng(8).random(len(instance.groups)) / instance.groups.sizes
    chain = HighsPricer(instance).quick_chain(start, 12, float(np.exp(-0.5)))
    assert 0 < len(chain) <= 12
    assert all(meets_rules(instance, composition) for composition in chain)
    first, _bound = HighsPricer(instance).quick(start)
    assert np.array_equal(chain[0], first)
    # the penalties move the chain on: it does not repeat one panel
    assert len({c.tobytes() for c in chain}) > 1
    again = HighsPricer(instance).quick_chain(start, 12, float(np.exp(-0.5)))
    assert [c.tolist() for c in again] == [c.tolist() for c in chain]


def test_quick_chains_in_concurrent_threads_match_the_sequential_ones() -> None:
    """Each chain rounds in a worker thread; several chains at once (as a caller with threads of
    its own might run them) give exactly the answers they give one by one."""
    from concurrent.futures import ThreadPoolExecutor

    instance = synthetic_instance(300, 30, 6, seed=9, household_share=0.2)
    rng = np.random.default_rng(9)
    starts = [rng.random(len(instance.groups)) for _ in range(4)]
    alone = [HighsPricer(instance).quick_chain(s, 8, 0.5) for s in starts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda s: HighsPricer(instance).quick_chain(s, 8, 0.5), starts))
    assert [[c.tolist() for c in chain] for chain in together] == [
        [c.tolist() for c in chain] for chain in alone
    ]


def test_chain_beside_matches_the_inline_chain_while_the_caller_prices() -> None:
    """A chain run beside the caller (on the second copy of the relaxation) gives exactly the
    panels of the same chain run inline, while the caller prices exactly and quickly meanwhile;
    and the caller's answers are those it gives alone."""
    from concurrent.futures import ThreadPoolExecutor

    instance = synthetic_instance(300, 30, 6, seed=11, household_share=0.2)
    rng = np.random.default_rng(11)
    start, other = rng.random(len(instance.groups)), rng.random(len(instance.groups))
    inline = HighsPricer(instance).quick_chain(start, 10, 0.9)
    alone = HighsPricer(instance)
    best_alone = alone.solve(other).best
    quick_alone, _ = alone.quick(other)
    pricer = HighsPricer(instance)
    with ThreadPoolExecutor(max_workers=1) as pool:
        running = pricer.chain_beside(pool, start, 10, 0.9)
        best = pricer.solve(other).best
        quick, _ = pricer.quick(other)
        beside = pricer.finish_beside(running)
    assert [c.tolist() for c in beside] == [c.tolist() for c in inline]
    assert best is not None and best_alone is not None
    assert best.tolist() == best_alone.tolist()
    assert quick is not None and quick_alone is not None
    assert quick.tolist() == quick_alone.tolist()
    assert all(meets_rules(instance, c) for c in beside)


def test_chain_beside_keeps_the_face_restriction() -> None:
    """The second copy of the relaxation carries the rows of `restrict` (and loses them with
    it), so a chain run beside answers on the faces like one run inline."""
    from concurrent.futures import ThreadPoolExecutor

    instance = synthetic_instance(200, 20, 5, seed=12)
    pricer = HighsPricer(instance)
    weights = np.random.default_rng(12).random(len(instance.groups))
    best = pricer.solve(weights).best
    assert best is not None
    face = np.zeros((1, len(instance.groups)))
    face[0, np.flatnonzero(best)[:3]] = 1.0 / 3.0  # panels holding these three groups
    with ThreadPoolExecutor(max_workers=1) as pool:
        pricer.finish_beside(pricer.chain_beside(pool, weights, 3, 0.9))  # (a copy without)
        pricer.restrict(face)
        beside = pricer.finish_beside(pricer.chain_beside(pool, weights[::-1].copy(), 8, 0.9))
    assert beside
    assert all(float(face[0] @ c) >= 1.0 - 1e-6 for c in beside)
    inline = HighsPricer(instance)
    inline.restrict(face)
    assert [c.tolist() for c in beside] == [
        c.tolist() for c in inline.quick_chain(weights[::-1].copy(), 8, 0.9)
    ]


def test_panel_model_quick_chain_with_cbc_is_feasible() -> None:
    instance = synthetic_instance(120, 15, 4, seed=10)
    start = np.random.default_rng(10).random(len(instance.groups))
    chain = PanelModel(instance, solver="cbc").quick_chain(start, 4, 0.5)
    assert 0 < len(chain) <= 4
    assert all(meets_rules(instance, composition) for composition in chain)
