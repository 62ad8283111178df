"""LEXIMIN realized from the relaxation's optimal faces (algorithms/leximin.py, issue 14).

The relaxation's leximin gives every stage's optimal duals before any panel is known; pricing
restricted to the panels that score 1 on all of them (`relaxation.optimal_faces`,
`HighsPricer.restrict`) realizes it in one stage when real panels can. These tests check the
restriction itself, that the answer is the leximin the stages find, and that LEXIMIN falls back
to the stages whenever the faces cannot carry the answer.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers.invariants import assert_distribution_well_formed

import sortition.algorithms.leximin as leximin
from sortition.algorithms import relaxation, solve
from sortition.algorithms.relaxation import fractional_leximin
from sortition.instance import Instance
from sortition.options import SolveOptions, Status
from sortition.panel.model import PanelModel
from sortition.panel.pricing import FACE_TOLERANCE
from sortition.research.generator import generate
from sortition.research.generator_profiles import GeneratorSpec


def _pool(seed: int = 4) -> Instance:
    """A tight pool of 60 with households (seeds 4 to 6: 4, 2 and 2 people fit on no panel)."""
    spec = GeneratorSpec("uk", 60, 8, str(seed), 7, quotas="tight", household_share=0.3)
    return generate(spec).instance


def _stages(instance: Instance, monkeypatch: pytest.MonkeyPatch) -> np.ndarray:
    with monkeypatch.context() as patch:
        patch.setattr(leximin, "FACE_REALIZE", False)
        return solve("leximin", instance, rng=np.random.default_rng(0)).marginals()


def test_restricted_pricing_answers_only_with_panels_on_every_face() -> None:
    instance = _pool()
    fractional = fractional_leximin(instance, np.zeros(len(instance.groups.sizes), dtype=bool))
    assert fractional is not None
    faces = relaxation.optimal_faces(instance, fractional.stage_duals)
    assert faces is not None and 0 < len(faces) <= fractional.stages
    model = PanelModel(instance)
    assert model.restrict_to_faces(faces)
    rng = np.random.default_rng(1)
    found = []
    for _ in range(12):
        weights = rng.random(len(instance.groups.sizes))
        best = model.best(weights)
        assert best is not None
        found.append(best)
        found += model.quick_chain(weights, 5, 0.9)
    for composition in found:
        assert np.all(faces @ composition >= 1 - FACE_TOLERANCE - 1e-6)
    # lifting the restriction gives back the plain optimum
    model.restrict_to_faces(None)
    weights = rng.random(len(instance.groups.sizes))
    assert np.array_equal(model.best(weights), PanelModel(instance).best(weights))


@pytest.mark.parametrize("seed", [4, 6])
def test_realized_leximin_is_the_leximin_of_the_stages(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    instance = _pool(seed)
    lines: list[str] = []
    fast = solve(
        "leximin",
        instance,
        rng=np.random.default_rng(0),
        options=leximin.SolveOptions(progress=lines.append),
    )
    assert_distribution_well_formed(fast)
    np.testing.assert_allclose(fast.marginals(), _stages(instance, monkeypatch), atol=1e-6)
    assert any("from its optimal faces" in line for line in lines)


def test_no_panel_on_every_face_falls_back_to_the_stages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Faces no panel can meet (every score must reach 2): the stages run, same leximin."""
    instance = _pool()
    original = relaxation.optimal_faces
    monkeypatch.setattr(
        leximin, "optimal_faces", lambda i, w: None if (f := original(i, w)) is None else f / 2
    )
    lines: list[str] = []
    options = leximin.SolveOptions(progress=lines.append)
    result = solve("leximin", instance, rng=np.random.default_rng(0), options=options)
    assert_distribution_well_formed(result)
    assert not any("optimal faces" in line for line in lines)
    assert any(line.startswith("leximin stage") for line in lines)
    np.testing.assert_allclose(result.marginals(), _stages(instance, monkeypatch), atol=1e-6)


def test_faces_that_cannot_carry_the_answer_fall_back_to_the_stages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A face met only by panels that seat a whole group: the realization stops short of the
    relaxation's leximin, and the stages (pricing unrestricted again) find the true one."""
    instance = _pool()
    sizes = instance.groups.sizes.astype(np.float64)
    fractional = fractional_leximin(instance, np.zeros(len(sizes), dtype=bool))
    assert fractional is not None
    # the person the leximin seats least often, alone in a group: every panel must seat them
    alone = np.flatnonzero(sizes == 1)
    group = int(alone[np.argmin(fractional.probabilities[alone])])
    row = np.zeros(len(sizes))
    row[group] = 1.0
    monkeypatch.setattr(leximin, "optimal_faces", lambda i, w: row[None, :])
    lines: list[str] = []
    options = leximin.SolveOptions(progress=lines.append)
    result = solve("leximin", instance, rng=np.random.default_rng(0), options=options)
    assert_distribution_well_formed(result)
    assert any("from its optimal faces" in line for line in lines)
    assert any("running the stages" in line for line in lines)
    np.testing.assert_allclose(result.marginals(), _stages(instance, monkeypatch), atol=1e-6)


def test_relaxed_stage_that_fails_is_retried_with_the_wider_fixed_slack(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With a gap allowed, a relaxed stage LP that is not optimal with the narrow slack on fixed
    groups (tight_5000: infeasible at 2,451 of 2,454 fixed) is solved again with the wider one,
    which then holds for the later stages; the leximin moves by about 1e-5."""
    instance = _pool()
    never = np.zeros(len(instance.groups.sizes), dtype=bool)
    plain = fractional_leximin(instance, never)
    assert plain is not None and plain.stages > 1
    original = relaxation.RelaxedStage.duals
    slacks: list[float] = []

    def failing_once(self, fixed, fixed_value, slack=relaxation.FIXED_SLACK[0]):  # type: ignore[no-untyped-def]
        slacks.append(slack)
        if fixed.any() and slack == relaxation.FIXED_SLACK[0]:
            return None  # the narrow slack fails as soon as a group is fixed
        return original(self, fixed, fixed_value, slack)

    monkeypatch.setattr(relaxation.RelaxedStage, "duals", failing_once)
    assert fractional_leximin(instance, never) is None  # exact solves do not widen it
    slacks.clear()
    widened = fractional_leximin(instance, never, widen=True)
    assert widened is not None and widened.stages == plain.stages
    assert slacks[:3] == [
        relaxation.FIXED_SLACK[0],
        relaxation.FIXED_SLACK[0],
        relaxation.FIXED_SLACK[1],
    ]
    assert all(s == relaxation.FIXED_SLACK[1] for s in slacks[3:])
    assert np.allclose(widened.probabilities, plain.probabilities, atol=1e-4)


def test_realization_progress_shows_the_share_without_a_bound() -> None:
    """The realization's share is at most 1 by construction: a "bound" of 1 would prove nothing
    and read as a promise that the rest will be realized, so its statuses carry none."""
    statuses: list[Status | None] = []  # (None clears the status line)
    solve(
        "leximin",
        _pool(4),
        rng=np.random.default_rng(0),
        options=SolveOptions(status=statuses.append),
    )
    shown = [s for s in statuses if s is not None]
    realizing = [s for s in shown if "share of the relaxation's leximin" in s.phase]
    assert realizing
    assert all(s.bound is None and s.level is not None for s in realizing)
    assert all("bound" not in s.describe() for s in realizing)


def test_large_pools_solve_the_relaxation_at_the_default_tolerance_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`default_first` (large pools): the relaxed stage LPs at HiGHS' default tolerance, and
    the whole relaxation's leximin again at `STAGE_LP_TOLERANCE` only if a stage LP fails."""
    instance = _pool()
    never = np.zeros(len(instance.groups.sizes), dtype=bool)
    tight = fractional_leximin(instance, never)
    assert tight is not None
    original = relaxation.RelaxedStage.duals
    seen: list[float | None] = []
    fail_at_default = [False]

    def recording(self, fixed, fixed_value, slack=relaxation.FIXED_SLACK[0]):  # type: ignore[no-untyped-def]
        seen.append(self.tolerance)
        if self.tolerance is None and fail_at_default[0] and fixed.any():
            return None  # as when a loosely solved level leaves the next stage LP infeasible
        return original(self, fixed, fixed_value, slack)

    monkeypatch.setattr(relaxation.RelaxedStage, "duals", recording)
    default = fractional_leximin(instance, never, default_first=True)
    assert default is not None and set(seen) == {None}
    np.testing.assert_allclose(default.probabilities, tight.probabilities, atol=1e-6)
    seen.clear()
    fail_at_default[0] = True
    retried = fractional_leximin(instance, never, default_first=True)
    assert retried is not None
    assert seen[0] is None and seen[-1] == relaxation.STAGE_LP_TOLERANCE
    np.testing.assert_allclose(retried.probabilities, tight.probabilities, atol=1e-9)
