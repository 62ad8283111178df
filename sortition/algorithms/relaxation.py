"""The stage LP over fractional panels, whose duals start column generation near the optimum.

A stage of MAXIMIN/LEXIMIN asks for the distribution over panels that maximizes the level z. Its
relaxation lets the group counts of a "panel" be fractional: then the marginals m (expected
members per group) only need to meet the panel rows (size, quotas, households) and
m_g >= size_g * factor_g * z, an LP with one column per group. The panel polytope of these
instances is nearly integral, so the relaxation's duals are nearly optimal for the real stage;
column generation that smooths its duals towards them converges in far fewer rounds than one
that starts from the duals of a handful of panels.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

from sortition.instance import Instance
from sortition.numeric import inner
from sortition.panel.rows import PanelRows
from sortition.panel.solver import quiet_highs

FIX_DUAL_TOLERANCE = 1e-9  # duals above this mark groups that are tight in every optimum
# Seats a fixed group may fall below its fixed level in the relaxed stage LP; with an optimality
# gap the wider slack is tried when the LP is not optimal with the narrow one (tight_5000:
# infeasible at 2,451 of 2,454 groups fixed, even from scratch, because of the fixed levels' last
# digits). It moves the leximin by about 1e-5, so exact solves keep the narrow one (and the stages)
FIXED_SLACK = (1e-9, 1e-7)
# Primal and dual feasibility tolerance of the stage LPs. HiGHS' default (1e-7) is wider than the
# narrow slack: a level solved to it, once fixed, can leave the next stage LP infeasible (tight
# pools of 400 drawn with seeds 2 and 5: the 12th of 28 stages), and then the relaxation's
# leximin is not tried at all and exact LEXIMIN runs every stage (52 s against 10 s).
STAGE_LP_TOLERANCE = 1e-10
# ... except on large pools (`master.BATCH_GROUPS` groups or more), whose stage LPs solve at
# HiGHS' default first and at `STAGE_LP_TOLERANCE` only if the relaxation's leximin then fails:
# the degenerate relaxed LPs answer differently at the two tolerances, and the realization's
# path with it (LEXIMIN --gap 0.01: tight_5000 236 s against 358 s, generated uk 5,000 140 s
# against 181 s; benchmarks/RESULTS.md).


class RelaxedStage:
    """One live LP: rows of the panel polytope, then one row per group, z as the last column."""

    def __init__(
        self,
        instance: Instance,
        factors: np.ndarray | None = None,
        *,
        tolerance: float | None = STAGE_LP_TOLERANCE,
    ) -> None:
        """`factors` replace the instance's group factors (row g: m_g >= size_g * factor_g * z);
        `tolerance`: primal and dual feasibility tolerance, None for HiGHS' default."""
        rows = PanelRows.of(instance)
        sizes = instance.groups.sizes.astype(np.float64)
        groups = len(sizes)
        self._base_rows = len(rows.lower)
        factors = instance.group_factors if factors is None else np.asarray(factors, np.float64)
        self._scale = sizes * factors  # m_g >= size_g * factor_g * z
        self._fixed = np.zeros(groups, dtype=bool)  # groups whose z coefficient is now 0
        self.level = 0.0  # the optimal z of the last solve
        h = quiet_highs()
        self.tolerance = tolerance
        if tolerance is not None:
            h.setOptionValue("primal_feasibility_tolerance", tolerance)
            h.setOptionValue("dual_feasibility_tolerance", tolerance)
        h.passModel(rows.relaxation(sizes))
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        index = np.arange(groups, dtype=np.int32)
        h.addRows(
            groups,
            np.zeros(groups),
            np.full(groups, highspy.kHighsInf),
            groups,
            index,
            index,
            np.ones(groups),
        )
        h.addCol(
            1.0,
            -highspy.kHighsInf,
            highspy.kHighsInf,
            groups,
            index + self._base_rows,
            -self._scale,
        )
        self.h = h
        self.sizes = sizes

    def duals(
        self, fixed: np.ndarray, fixed_value: np.ndarray, slack: float = FIXED_SLACK[0]
    ) -> np.ndarray | None:
        """Group duals of the relaxed stage, scaled like the master's (sum over unfixed groups
        of dual * factor is 1), with `fixed` groups held at probability >= `fixed_value`.

        None if the LP does not solve to optimality (the caller then starts without a center).
        """
        h = self.h
        groups = len(self.sizes)
        z = groups  # the z column comes after the group columns
        rows = np.arange(self._base_rows, self._base_rows + groups, dtype=np.int32)
        for g in np.flatnonzero(fixed != self._fixed).tolist():
            h.changeCoeff(int(rows[g]), z, 0.0 if fixed[g] else -self._scale[g])
        self._fixed = fixed.copy()
        lower = np.where(fixed, fixed_value * self.sizes - slack, 0.0)
        h.changeRowsBounds(groups, rows, lower, np.full(groups, highspy.kHighsInf))
        if not _solved(h):
            return None
        self.level = float(h.getSolution().col_value[z])
        # HiGHS reports duals of a maximization with the sign flipped (see MasterLP.solve_lp)
        row_duals = -np.asarray(h.getSolution().row_dual)[self._base_rows :]
        weights: np.ndarray = np.maximum(row_duals, 0.0) * self.sizes
        return weights


@dataclass(frozen=True)
class FractionalLeximin:
    """The leximin over fractional panels: probabilities per group, with how they were found."""

    probabilities: np.ndarray  # (G,) per member of each group
    first_duals: np.ndarray  # (G,) duals of the first stage, scaled like the master's
    stages: int
    first_level: float  # the first stage's level: the relaxation's maximin, a bound on the real one
    stage_duals: np.ndarray  # (S, G) each stage's duals per panel seat (see `optimal_faces`)


def fractional_leximin(
    instance: Instance,
    never: np.ndarray,
    stage: RelaxedStage | None = None,
    *,
    widen: bool = False,
    default_first: bool = False,
) -> FractionalLeximin | None:
    """Leximin of the relaxation: stage LPs of `RelaxedStage`, each fixing the groups with a
    positive dual at the stage level (tight in every optimum), `never` held at 0.

    Fractional panels include every real one, so this vector is lexicographically at least the
    true leximin; if panels can realize it, it is the leximin (see algorithms/leximin.py).
    None if a stage LP does not solve to optimality. `stage`: a live relaxed stage LP of the
    instance's factors to reuse (the master's), saving its construction on small pools. `widen`:
    retry a failed stage LP with the wider `FIXED_SLACK` (only for solves with a gap).
    `default_first` (large pools, no `stage`): stage LPs at HiGHS' default tolerance first, and
    at `STAGE_LP_TOLERANCE` only if that fails (see there).
    """
    if default_first and stage is None:
        loose = RelaxedStage(instance, tolerance=None)
        found = fractional_leximin(instance, never, loose, widen=widen)
        if found is not None:
            return found
    stage = RelaxedStage(instance) if stage is None else stage
    fixed = np.asarray(never, dtype=bool).copy()
    probabilities = np.zeros(len(fixed))
    first: np.ndarray | None = None
    first_level = 0.0
    stages = 0
    all_duals = []
    slack = FIXED_SLACK[0]
    while not fixed.all():
        duals = stage.duals(fixed, probabilities, slack)
        if duals is None and widen and slack < FIXED_SLACK[-1]:
            slack = FIXED_SLACK[-1]  # (and from now on: the levels fixed next assume it)
            duals = stage.duals(fixed, probabilities, slack)
        if duals is None:
            return None
        stages += 1
        all_duals.append(duals)
        if first is None:
            first, first_level = duals, stage.level
        tight = (duals > FIX_DUAL_TOLERANCE) & ~fixed
        if not tight.any():  # numerically flat duals: fix the largest one among the unfixed
            tight[int(np.argmax(np.where(fixed, -np.inf, duals)))] = True
        probabilities[tight] = stage.level * instance.group_factors[tight]
        fixed |= tight
    if first is None:
        return None
    per_seat = np.array(all_duals) / stage.sizes
    return FractionalLeximin(probabilities, first, stages, first_level, per_seat)


def optimal_faces(instance: Instance, weights: np.ndarray) -> np.ndarray | None:
    """Each row of `weights` (S, G: a stage's duals per panel seat, as in
    `FractionalLeximin.stage_duals`) divided by the best weight
    of a fractional panel, so that the best fractional panel scores exactly 1 on every row.

    Why these rows matter: if real panels realize the relaxation's leximin, each stage's real
    level equals its relaxed level, so the relaxed duals are optimal for the real stage too, and
    by complementary slackness every panel in the leximin distribution prices at the optimum:
    it scores 1 on every row. Pricing restricted to those panels generates no column the answer
    cannot use. Rows whose best weight is not positive are left out; None if an LP fails.
    """
    rows = PanelRows.of(instance)
    sizes = instance.groups.sizes.astype(np.float64)
    groups = len(sizes)
    h = quiet_highs(presolve=False)
    h.passModel(rows.relaxation(sizes))
    index = np.arange(groups, dtype=np.int32)
    faces = []
    for row in weights:
        h.changeColsCost(groups, index, row)
        if not _solved(h):
            return None
        best = inner(row, np.asarray(h.getSolution().col_value))
        if best > 0:
            faces.append(row / best)
    return np.array(faces).reshape(len(faces), groups)


def _solved(h: highspy.Highs) -> bool:
    """Solve; a warm start that does not end optimal is solved once more from scratch (one can
    end wrongly "infeasible" after fixed rows tighten: seen on a tight households pool at 175 of
    188 groups fixed). Whether the LP is now optimal."""
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        h.clearSolver()
        h.run()
    return bool(h.getModelStatus() == highspy.HighsModelStatus.kOptimal)
