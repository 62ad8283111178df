"""Batch rounds (interior-point master, many columns per round) reach the same optima as the
simplex rounds they precede on large pools.

`BATCH_GROUPS` is lowered so that small pools take the batch path too; the results must match
the plain path's (maximin level, leximin probabilities, which are unique) and stay well formed.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import make_instance
from helpers.budget import examples
from helpers.invariants import assert_distribution_well_formed
from hypothesis import HealthCheck, given, settings
from test_algorithms import PROBABILITY_TOL, feasible_instances

import sortition.algorithms.master as master_module
from sortition.algorithms import solve
from sortition.algorithms.acceptance import realign
from sortition.algorithms.batch_rounds import BATCH_COLUMNS_PER_ROUND, BATCH_SHORT_CHAIN
from sortition.algorithms.support import start_master
from sortition.distribution import Distribution
from sortition.errors import TimeLimitReached
from sortition.instance import Instance
from sortition.options import SolveOptions
from sortition.panel.model import PanelModel
from sortition.panel.solver import Deadline
from sortition.research.generator import generate
from sortition.research.generator_profiles import GeneratorSpec
from sortition.research.synthetic import synthetic_instance


def run(algorithm: str, instance: Instance, solver: str = "highs") -> Distribution:
    return solve(
        algorithm, instance, rng=np.random.default_rng(0), options=SolveOptions(solver=solver)
    )


@pytest.fixture
def batch_everywhere(monkeypatch) -> list[int]:
    """Every master takes the batch path; the list counts how often it did."""
    calls: list[int] = []
    original = master_module.run_batch_rounds

    def counted(master, *args):
        calls.append(len(master.compositions))
        return original(master, *args)

    monkeypatch.setattr(master_module, "BATCH_GROUPS", 1)
    monkeypatch.setattr(master_module, "run_batch_rounds", counted)
    return calls


@pytest.fixture(scope="module")
def pool_with_households() -> Instance:
    return synthetic_instance(240, 24, 5, seed=11, household_share=0.2)


@pytest.fixture(scope="module")
def plain_results(pool_with_households) -> dict[str, Distribution]:
    return {name: run(name, pool_with_households) for name in ("maximin", "leximin")}


def test_batch_maximin_reaches_the_plain_optimum(
    batch_everywhere, pool_with_households, plain_results
):
    batch = run("maximin", pool_with_households)
    assert batch_everywhere, "the batch rounds did not run"
    assert_distribution_well_formed(batch)
    plain = plain_results["maximin"]
    assert batch.marginals().min() == pytest.approx(plain.marginals().min(), abs=1e-9)
    assert batch.details["pricing_gap"] <= 1e-9


def test_batch_leximin_gives_the_unique_leximin_probabilities(
    batch_everywhere, pool_with_households, plain_results
):
    messages: list[str] = []
    batch = solve(
        "leximin",
        pool_with_households,
        rng=np.random.default_rng(0),
        options=SolveOptions(progress=messages.append),
    )
    # the relaxation's leximin is realized in one stage: one batch phase for all its stages
    assert any("realizing it with real panels" in m for m in messages)
    assert any("--gap 0.01 stops within 1%" in m for m in messages)  # a hint for long runs
    assert not any("running the stages" in m for m in messages)
    assert len(batch_everywhere) == 1 and batch.details["stages"] > 1
    assert_distribution_well_formed(batch)
    expected = plain_results["leximin"].marginals()
    assert np.max(np.abs(batch.marginals() - expected)) <= PROBABILITY_TOL


def test_batch_rounds_are_deterministic(batch_everywhere, pool_with_households):
    one = run("leximin", pool_with_households)
    two = run("leximin", pool_with_households)
    assert np.array_equal(one.compositions, two.compositions)
    assert np.array_equal(one.probabilities, two.probabilities)


def test_cbc_pricing_never_takes_the_batch_path(batch_everywhere):
    # the batch rounds price with HiGHS' rounded relaxation; CBC has no such cheap answer
    instance = make_instance(
        np.array([[0, 0], [0, 1], [1, 0], [1, 1], [0, 0], [1, 1]]),
        [[(1, 2), (1, 2)], [(1, 2), (1, 2)]],
        3,
    )
    result = run("maximin", instance, solver="cbc")
    assert_distribution_well_formed(result)
    assert batch_everywhere == []


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(instance=feasible_instances())
def test_property_batch_and_plain_leximin_agree(batch_everywhere, instance):
    batch = run("leximin", instance)
    assert_distribution_well_formed(batch)
    master_module.BATCH_GROUPS = 10**9  # the plain path, inside the same monkeypatched test
    try:
        plain = run("leximin", instance)
    finally:
        master_module.BATCH_GROUPS = 1
    assert np.max(np.abs(batch.marginals() - plain.marginals())) <= PROBABILITY_TOL


def test_leximin_runs_the_stages_when_panels_cannot_realize_the_relaxation(
    batch_everywhere, monkeypatch
):
    # found by hypothesis: fractional panels reach a leximin that real panels do not
    values = np.array(
        [
            [0, 1, 2],
            [0, 0, 0],
            [0, 0, 0],
            [0, 0, 0],
            [0, 1, 1],
            [0, 0, 1],
            [0, 0, 1],
            [0, 0, 0],
            [0, 0, 0],
            [0, 0, 0],
            [0, 0, 0],
            [0, 0, 0],
            [0, 1, 0],
            [0, 0, 0],
            [0, 0, 0],
            [0, 1, 1],
            [0, 0, 2],
            [0, 0, 0],
            [0, 1, 0],
            [0, 1, 0],
            [0, 1, 0],
        ]
    )
    households = np.array([0, 1, 2, 3, 2, 3, 4, 0, -1, 4, 4, -1, -1, -1, -1, 1, -1, -1, -1, -1, -1])
    bounds = [[(5, 5), (0, 0)], [(3, 3), (2, 2)], [(1, 1), (3, 3), (1, 1)]]
    instance = make_instance(values, bounds, 5, households)
    messages: list[str] = []
    batch = solve(
        "leximin",
        instance,
        rng=np.random.default_rng(0),
        options=SolveOptions(progress=messages.append),
    )
    assert any("running the stages" in m for m in messages)
    assert_distribution_well_formed(batch)
    monkeypatch.setattr(master_module, "BATCH_GROUPS", 10**9)
    plain = run("leximin", instance)
    assert np.max(np.abs(batch.marginals() - plain.marginals())) <= PROBABILITY_TOL


def test_realized_leximin_carries_a_valid_maximin_certificate(
    batch_everywhere, pool_with_households
):
    # the first stage of the relaxation's leximin is the certificate; it must bound real panels
    result = run("leximin", pool_with_households)
    weights = np.asarray(result.details["certificate_weights"])
    assert weights.min() >= 0 and weights.max() > 0
    factors = pool_with_households.group_factors * pool_with_households.groups.sizes
    weights = weights / float(weights @ factors)
    best = PanelModel(pool_with_households).best(weights)
    assert float(weights @ best) <= result.marginals().min() + 1e-9


def test_a_master_solve_cut_short_by_the_time_limit_is_a_time_limit_error(pool_with_households):
    # interior-point solves can take long: HiGHS gets the time left and its stop is reported as
    # the time limit (exit 4), not as a solver failure
    master, _ = start_master(pool_with_households, SolveOptions(time_limit=3600.0))

    class AlmostOver(Deadline):
        def remaining(self) -> float:
            return 1e-12

    master.deadline = AlmostOver(3600.0)
    master.h.clearSolver()
    with pytest.raises(TimeLimitReached, match="time limit"):
        master.solve_stage()


def test_lagrangian_bound_does_not_depend_on_the_scale_of_the_duals(pool_with_households):
    """An interior point solve at a loose tolerance returns duals that are only roughly
    normalized; the bound rescales them, so it holds whatever their scale."""
    master, _ = start_master(pool_with_households, SolveOptions())
    duals = np.random.default_rng(3).random(len(master.sizes))
    best = master.model.best(duals / master.sizes)
    assert best is not None
    bound = master.bound(duals, best)
    assert master.bound(3.7 * duals, best) == pytest.approx(bound, rel=1e-12)
    maximin = run("maximin", pool_with_households).marginals().min()
    assert bound >= maximin - 1e-9


def test_a_master_solved_many_times_still_gets_the_time_left(pool_with_households):
    """HiGHS compares `time_limit` with the model's run time summed over all its runs: a master
    LP that has already spent more time in HiGHS than is left must still get one more solve
    (a LEXIMIN run with --time-limit 300 stopped at 189 s)."""
    master, _ = start_master(pool_with_households, SolveOptions(time_limit=3600.0))
    while master.h.getRunTime() < 0.3:  # spend 0.3 s in HiGHS over many solves
        master.h.clearSolver()
        master.solve_lp()

    class TwoTenthsLeft(Deadline):
        def remaining(self) -> float:
            return 0.2

    master.deadline = TwoTenthsLeft(3600.0)
    master.h.clearSolver()
    level, _duals, _convexity = master.solve_lp()  # one solve takes milliseconds
    assert level > 0


def test_batch_rounds_report_how_close_they_are(batch_everywhere, pool_with_households):
    messages: list[str] = []
    solve(
        "maximin",
        pool_with_households,
        rng=np.random.default_rng(0),
        options=SolveOptions(progress=messages.append),
    )
    lines = [m for m in messages if m.startswith("column generation:")]
    assert lines, messages
    gaps = [float(line.split("gap below ")[1].rstrip("%)")) for line in lines]
    assert gaps == sorted(gaps, reverse=True) and len(set(gaps)) == len(gaps)


def test_chains_shorten_under_tight_quotas_and_reach_the_same_optimum(
    batch_everywhere, monkeypatch
):
    """Tight quotas make most chain roundings fail; the next chains then price
    `BATCH_SHORT_CHAIN` points, and the optimum is the plain path's."""
    instance = generate(GeneratorSpec("uk", 400, 40, "chains", 8, quotas="tight")).instance
    with monkeypatch.context() as plain_path:
        plain_path.setattr(master_module, "BATCH_GROUPS", 10**9)
        plain = run("maximin", instance)
    lengths: list[int] = []
    original = PanelModel.quick_chain

    def recorded(self, start, length, penalty):
        lengths.append(length)
        return original(self, start, length, penalty)

    monkeypatch.setattr(PanelModel, "quick_chain", recorded)
    batch = run("maximin", instance)
    assert batch_everywhere, "the batch rounds did not run"
    assert lengths[0] == BATCH_COLUMNS_PER_ROUND
    assert BATCH_SHORT_CHAIN in lengths
    assert_distribution_well_formed(batch)
    assert batch.marginals().min() == pytest.approx(plain.marginals().min(), abs=1e-9)
    assert run("maximin", instance).compositions.tobytes() == batch.compositions.tobytes()


def _by_composition(master) -> dict[bytes, float]:
    probabilities = master.probabilities().tolist()
    return dict(zip([c.tobytes() for c in master.compositions], probabilities, strict=True))


def test_a_purge_after_the_last_solve_keeps_its_probabilities(pool_with_households):
    """HiGHS drops its solution when columns are deleted; the master's probabilities must still
    be those of its last solve, on the columns kept (a purge after a stage's final solve once
    returned a wrong distribution), and a second purge without a solve between changes nothing."""
    master = _solved_master_with_chains(pool_with_households)
    before = _by_composition(master)
    dropped = master.purge(0.0)
    assert dropped > 0
    after = _by_composition(master)
    assert set(after) < set(before)
    assert all(after[key] == pytest.approx(before[key], abs=1e-12) for key in after)
    assert sum(before[key] for key in set(before) - set(after)) == pytest.approx(0.0, abs=1e-12)
    assert master.purge(0.0) == 0


def test_leximin_purging_after_every_solve_of_its_realization_is_still_the_leximin(
    monkeypatch, pool_with_households, plain_results
):
    import sortition.algorithms.leximin as leximin_module
    import sortition.algorithms.stage_rounds as stage_rounds_module

    monkeypatch.setattr(leximin_module, "REALIZE_CHAINS_AFTER", 0)
    monkeypatch.setattr(stage_rounds_module, "LONG_STAGE_PURGE", (1, 0.0, -1))
    purged = run("leximin", pool_with_households)
    assert_distribution_well_formed(purged)
    assert np.allclose(
        np.sort(purged.marginals()), np.sort(plain_results["leximin"].marginals()), atol=1e-6
    )


def test_purged_columns_come_back_once_when_they_price_out_again(pool_with_households):
    """`MasterLP.returning` offers a purged column again when its weight beats the threshold (a
    matrix product instead of a MIP finding it anew), and only once; others stay stored."""
    master = _solved_master_with_chains(pool_with_households)
    before = _keys(master)
    assert master.purge(0.0) > 0
    purged = [np.frombuffer(key, dtype=np.int64) for key in before - _keys(master)]
    assert master.returning(np.zeros(len(master.sizes)), 0.5) == []
    favoured = purged[0]
    weights = favoured / master.sizes
    threshold = float(weights @ favoured) - 1e-9
    expected = [c.tobytes() for c in purged if float(weights @ c) > threshold]
    back = master.returning(weights, threshold)
    assert favoured.tobytes() in expected
    assert sorted(c.tobytes() for c in back) == sorted(expected)
    assert master.returning(weights, threshold) == []  # taken out of the store
    assert all(master.add(c) for c in back)  # deleted columns: the master takes them again


def _solved_master_with_chains(instance):
    """A master holding six chains of columns at random weights, solved once."""
    master, _ = start_master(instance, SolveOptions())
    rng = np.random.default_rng(4)
    for _ in range(6):
        weights = rng.random(len(master.sizes)) / master.sizes
        for composition in master.model.quick_chain(weights, 10, 0.6):
            master.add(composition)
    master.solve_lp()
    return master


def _keys(master):
    return {c.tobytes() for c in master.compositions}


def test_a_check_taken_before_a_purge_is_read_by_panel_not_by_position(pool_with_households):
    """An acceptance check's values belong to the columns at its start (`column_keys`); after
    a purge and new columns they must land on the same panels, and a check whose valued column
    was purged since is no distribution over the master's columns (`acceptance.realign`)."""
    master = _solved_master_with_chains(pool_with_households)
    values = np.asarray(master.h.getSolution().col_value)[1:]
    keys = master.column_keys()
    before = dict(zip(keys, values.tolist(), strict=True))
    assert master.purge(0.0) > 0
    rng = np.random.default_rng(9)
    weights = rng.random(len(master.sizes)) / master.sizes
    added = sum(master.add(c) for c in master.model.quick_chain(weights, 10, 0.6))
    assert added > 0
    moved = realign((values, keys), master)
    assert moved is not None
    now = dict(zip(master.column_keys(), moved.tolist(), strict=True))
    assert all(now[key] == before.get(key, 0.0) for key in now)
    assert sum(before[key] for key in set(before) - set(now)) == pytest.approx(0.0, abs=1e-12)
    # a value on a column that is gone: no answer, rather than values read by position
    gone = next(k for k in keys if k not in set(master.column_keys()))
    forged = values.copy()
    forged[keys.index(gone)] = 0.5
    assert realign((forged, keys), master) is None
