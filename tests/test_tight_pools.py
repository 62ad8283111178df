"""Correctness of MAXIMIN and LEXIMIN on tight-quota pools (issue 14), whatever the speed-ups.

The speed-ups of the pricing (objective-target stops, neighbourhood MIPs around the best known
panels, penalized chains of extra columns every round) change which panels the column generation
finds, never the optimum it proves. These tests pin that down on pools of the tight class
(`sortition generate --quotas tight`): brute force over every valid panel on tiny pools, the same
probabilities with every speed-up switched off on small ones, valid panels in every
distribution, and byte-identical results across processes and PYTHONHASHSEED.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from helpers.budget import examples
from helpers.invariants import assert_distribution_well_formed
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_algorithms import check_against_brute_force

import sortition.algorithms.leximin as leximin
import sortition.algorithms.stage_rounds as stage_rounds
from sortition.algorithms import solve
from sortition.algorithms.relaxation import fractional_leximin
from sortition.instance import Instance
from sortition.numeric import inner
from sortition.panel.model import PanelModel
from sortition.panel.rules import PanelRules
from sortition.research.generator import generate
from sortition.research.generator_profiles import GeneratorSpec

PROFILES = ("households", "uk", "chile")


def tight_pool(profile: str, n: int, k: int, seed: int, share: float | None) -> Instance:
    """A generated tight-quota instance (households share `share`, 7 features)."""
    spec = GeneratorSpec(profile, n, k, str(seed), 7, quotas="tight", household_share=share)
    return generate(spec).instance


@st.composite
def tiny_tight_pools(draw: st.DrawFn) -> Instance:
    """Tight pools small enough to list every panel (at most C(10, 4) = 210)."""
    profile = draw(st.sampled_from(PROFILES))
    n = draw(st.integers(7, 10))
    k = draw(st.integers(2, 4))
    share = draw(st.sampled_from((None, 0.3, 0.6)))
    return tight_pool(profile, n, k, draw(st.integers(0, 10_000)), share)


@settings(max_examples=examples(12), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=tiny_tight_pools())
def test_tight_pools_match_brute_force(instance: Instance) -> None:
    check_against_brute_force(instance, "highs")


@st.composite
def small_tight_pools(draw: st.DrawFn) -> Instance:
    profile = draw(st.sampled_from(PROFILES))
    n = draw(st.integers(30, 70))
    k = draw(st.integers(5, 10))
    share = draw(st.sampled_from((None, 0.3, 0.8)))
    return tight_pool(profile, n, k, draw(st.integers(0, 10_000)), share)


def without_speedups(monkeypatch: pytest.MonkeyPatch) -> None:
    """The column generation as it was before the speed-ups: no hints, no round chains, no
    swap columns before the exact pricing, no columns purged between LEXIMIN stages, no
    realization from the relaxation's faces (the stages run)."""
    monkeypatch.setattr(stage_rounds, "HINTS", 0)
    monkeypatch.setattr(stage_rounds, "FACE_SWAP_COLUMNS", 0)
    monkeypatch.setattr(stage_rounds, "ROUND_CHAIN", 0)
    monkeypatch.setattr(leximin, "PURGE_MARGIN", None)
    monkeypatch.setattr(leximin, "FACE_REALIZE", False)


@settings(max_examples=examples(8), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=small_tight_pools())
# found by a fresh-clone run: HiGHS at mip_feasibility_tolerance 1e-9 missed a pricing panel here
@example(instance=tight_pool("uk", 60, 9, 213, 0.3))
def test_every_panel_is_valid_and_leximin_matches_a_plain_resolve(instance: Instance) -> None:
    rng = np.random.default_rng(0)
    fast = {name: solve(name, instance, rng=rng) for name in ("maximin", "leximin")}
    for distribution in fast.values():
        assert_distribution_well_formed(distribution)
    with pytest.MonkeyPatch.context() as patch:
        without_speedups(patch)
        plain = solve("leximin", instance, rng=rng)
    np.testing.assert_allclose(fast["leximin"].marginals(), plain.marginals(), atol=1e-6)
    assert fast["maximin"].marginals().min() == pytest.approx(plain.marginals().min(), abs=1e-7)


@settings(max_examples=examples(8), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=small_tight_pools())
def test_purging_columns_after_every_stage_keeps_the_leximin(instance: Instance) -> None:
    """Columns dropped between stages (here after every stage, whatever the master's size)
    never change the leximin; the last stage's solution is never purged."""
    rng = np.random.default_rng(0)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(leximin, "PURGE_ABOVE", 0.0)
        patch.setattr(leximin, "PURGE_MARGIN", 0.0)
        purged = solve("leximin", instance, rng=rng)
    assert_distribution_well_formed(purged)
    with pytest.MonkeyPatch.context() as patch:
        without_speedups(patch)
        plain = solve("leximin", instance, rng=rng)
    np.testing.assert_allclose(purged.marginals(), plain.marginals(), atol=1e-6)


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("SORTITION_SLOW_TESTS") != "1",
    reason="about 30-80 s (the plain re-solve is what the speed-ups made fast); "
    "SORTITION_SLOW_TESTS=1 runs it",
)
def test_households_pool_of_200_leximin_matches_a_plain_resolve(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The benchmark's 200-volunteer pool (4 in 5 share a household): same leximin."""
    instance = tight_pool("households", 200, 20, 1, 0.8)
    rng = np.random.default_rng(0)
    fast = solve("leximin", instance, rng=rng)
    assert_distribution_well_formed(fast)
    without_speedups(monkeypatch)
    plain = solve("leximin", instance, rng=rng)
    np.testing.assert_allclose(fast.marginals(), plain.marginals(), atol=1e-6)


def test_relaxed_leximin_survives_a_warm_start_that_ends_wrongly_infeasible() -> None:
    """On the benchmark's households pool of 200 a warm-started relaxed stage once ended
    "infeasible" at 175 of 188 groups fixed (a cold solve is optimal), so the relaxation's
    leximin came back None and large pools would skip their one-stage shortcut."""
    instance = tight_pool("households", 200, 20, 1, 0.8)
    fractional = fractional_leximin(instance, np.zeros(len(instance.groups.sizes), dtype=bool))
    assert fractional is not None
    probabilities = fractional.probabilities
    assert np.all(probabilities > 0) and np.all(probabilities <= 1 + 1e-9)
    expected = instance.groups.sizes @ probabilities
    assert expected == pytest.approx(instance.panel_size, abs=1e-6)
    # fractional panels include every real one: its lowest probability bounds the maximin
    maximin = solve("maximin", instance, rng=np.random.default_rng(0))
    assert fractional.first_level >= maximin.marginals().min() - 1e-9


DRAW = """
import hashlib, sys
import numpy as np
from sortition.algorithms import solve
from sortition.research.generator import generate
from sortition.research.generator_profiles import GeneratorSpec
spec = GeneratorSpec("households", 80, 10, "7", 7, quotas="tight", household_share=0.8)
instance = generate(spec).instance
for name in ("maximin", "leximin"):
    d = solve(name, instance, rng=np.random.default_rng(0))
    digest = hashlib.sha256(d.compositions.tobytes() + d.probabilities.tobytes()).hexdigest()
    print(name, digest)
"""


def test_tight_results_are_byte_identical_across_processes_and_hash_seeds() -> None:
    outputs = set()
    for seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", DRAW],
            capture_output=True,
            text=True,
            env=env,
            check=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1, outputs
    assert hashlib.sha256(next(iter(outputs)).encode()).hexdigest()


def test_a_neighbourhood_mip_that_cannot_reach_its_target_adds_no_invalid_panel() -> None:
    """Found by the purging property test above: on this pool a hint's neighbourhood MIP is
    infeasible, yet HiGHS reported its objective target reached with a point breaking a quota
    (region=North West twice, maximum 1); the pricer now checks every answer against the rows
    and solves again without the target."""
    instance = tight_pool("uk", 42, 8, 10_000, None)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(leximin, "PURGE_ABOVE", 0.0)
        patch.setattr(leximin, "PURGE_MARGIN", 0.0)
        purged = solve("leximin", instance, rng=np.random.default_rng(0))
    assert_distribution_well_formed(purged)


@settings(max_examples=examples(10), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=small_tight_pools(), data=st.data())
def test_swap_neighbours_keep_every_rule_and_the_faces(
    instance: Instance, data: st.DataObject
) -> None:
    """The swap columns tried before the exact pricing in LEXIMIN's realization: each is one swap
    from a given panel, keeps every rule and the faces, beats the threshold, best first; and the
    faces screen agrees with the direct test on every swap that keeps the rules."""
    model = PanelModel(instance)
    rules = PanelRules.of(instance)
    groups = len(instance.groups.sizes)
    rng = np.random.default_rng(data.draw(st.integers(0, 10_000)))
    panels = []
    for _ in range(3):
        found = model.best(rng.random(groups))
        assert found is not None
        panels.append(found)
    # faces every panel meets (the lowest-scoring one exactly: score 1)
    faces = rng.random((2, groups))
    faces /= np.min(faces @ np.array(panels, dtype=np.float64).T, axis=1)[:, None]
    pricer = model.pricer
    assert pricer is not None
    model.restrict_to_faces(faces)
    weights = rng.random(groups)
    threshold = min(inner(weights, p) for p in panels) - data.draw(st.sampled_from((0.0, 0.3)))
    found = model.swap_neighbours(panels, weights, threshold, 10)
    assert len(found) <= 10
    scores = [inner(weights, c) for c in found]
    assert scores == sorted(scores, reverse=True)
    for column in found:
        assert (
            rules.holds(column) and pricer.on_faces(column) and inner(weights, column) > threshold
        )
        assert min(int(np.abs(column - p).sum()) for p in panels) == 2
    for panel in panels:
        out, arriving = np.nonzero(np.ones((groups, groups), dtype=bool))
        keep = (panel[out] > 0) & (panel[arriving] < instance.groups.sizes[arriving])
        keep &= out != arriving
        out, arriving = out[keep], arriving[keep]
        screened = pricer.keeps_faces(panel, out, arriving)
        for k in range(len(out)):
            swapped = panel.copy()
            swapped[out[k]] -= 1
            swapped[arriving[k]] += 1
            assert bool(screened[k]) == pricer.on_faces(swapped)
    model.restrict_to_faces(None)
    assert pricer.keeps_faces(panels[0], np.array([0]), np.array([1])).all()
