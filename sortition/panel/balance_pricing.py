"""The most balanced panel for group weights: maximize weights @ counts + balance score (a MIP).

DIVERSIMAX prices its columns here, and its single-panel mode asks for the most balanced panel
with zero weights. The balance score (`sortition.panel.balance`) is offset - scale x sum of
|count - target| over cells; each |.| becomes a continuous deviation variable d >= 0 with two
rows, count - d <= target and count + d >= target, which the maximization presses down onto
the absolute value. Columns: one integer count per group (0 to the group's size), then one
deviation per cell. Rows: those of the panel rules (`PanelRows`), then two per cell.

One HiGHS model is kept and only its costs change between solves (silent, single-threaded and
seeded, so the answers repeat). Every answer is checked against the panel rules before use.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

from sortition.errors import SolverFailure
from sortition.instance import Instance
from sortition.numeric import inner
from sortition.panel.balance import BalanceObjective
from sortition.panel.rows import PanelRows
from sortition.panel.rules import PanelRules
from sortition.panel.solver import (
    MIP_ABS_GAP,
    MIP_FEASIBILITY_TOLERANCE,
    MIP_REL_GAP,
    Deadline,
    quiet_highs,
)

TARGET_MARGIN = 1e-9  # with a target, the MIP may stop at a panel beating it by this much
CLIMB_MARGIN = 1e-12  # a swap must raise the value by this much to be taken


@dataclass(frozen=True)
class BalancedPanel:
    """One answer: the composition (None if no panel fits), its value weights @ counts + score,
    the solver's proven upper bound on the best value, and whether the search ran to its end
    (False: stopped by the time limit or at the first panel beating a target)."""

    composition: np.ndarray | None
    value: float
    bound: float
    complete: bool


class BalancePricer:
    """argmax over quota-satisfying compositions x of weights @ x + objective.score(x)."""

    def __init__(
        self, instance: Instance, objective: BalanceObjective, deadline: Deadline | None = None
    ) -> None:
        self.objective = objective
        self.rules = PanelRules.of(instance)
        self.deadline = deadline or Deadline(None)
        rows = PanelRows.of(instance)
        groups = len(rows.column_rows)
        self.groups = groups
        cells = sum(len(p.targets) for p in objective.partitions)
        first_cell_row = len(rows.lower)
        targets = np.concatenate([p.targets for p in objective.partitions] or [np.zeros(0)])
        inf = highspy.kHighsInf
        lp = highspy.HighsLp()
        lp.num_col_ = groups + cells
        lp.num_row_ = first_cell_row + 2 * cells
        lp.sense_ = highspy.ObjSense.kMaximize
        lp.offset_ = objective.constant
        lp.col_cost_ = np.concatenate((np.zeros(groups), np.full(cells, -objective.scale)))
        lp.col_lower_ = np.zeros(groups + cells)
        lp.col_upper_ = np.concatenate(
            (instance.groups.sizes.astype(np.float64), np.full(cells, inf))
        )
        # cell rows: 2c is count - d <= target, 2c + 1 is count + d >= target
        lp.row_lower_ = np.concatenate(
            (rows.lower, np.ravel(np.column_stack((np.full(cells, -inf), targets))))
        )
        lp.row_upper_ = np.concatenate(
            (rows.upper, np.ravel(np.column_stack((targets, np.full(cells, inf)))))
        )
        group_cells = np.zeros((groups, len(objective.partitions)), dtype=np.int64)
        start = 0
        for j, partition in enumerate(objective.partitions):
            group_cells[:, j] = start + partition.cell_of_group
            start += len(partition.targets)
        indices: list[np.ndarray] = []
        values: list[np.ndarray] = []
        for g in range(groups):
            cell_rows = first_cell_row + 2 * group_cells[g]
            indices.append(np.concatenate((rows.column_rows[g], cell_rows, cell_rows + 1)))
            values.append(np.ones(len(indices[-1])))
        for c in range(cells):
            indices.append(np.array([first_cell_row + 2 * c, first_cell_row + 2 * c + 1]))
            values.append(np.array([-1.0, 1.0]))
        starts = np.zeros(len(indices) + 1, dtype=np.int32)
        starts[1:] = np.cumsum([len(i) for i in indices])
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = starts
        lp.a_matrix_.index_ = np.concatenate(indices).astype(np.int32)
        lp.a_matrix_.value_ = np.concatenate(values)
        lp.integrality_ = [highspy.HighsVarType.kInteger] * groups + [
            highspy.HighsVarType.kContinuous
        ] * cells
        self.h = quiet_highs(presolve=True)
        self.h.setOptionValue("mip_abs_gap", MIP_ABS_GAP)
        self.h.setOptionValue("mip_feasibility_tolerance", MIP_FEASIBILITY_TOLERANCE)
        self.h.passModel(lp)
        self.solves = 0

    def solve(
        self,
        weights: np.ndarray | None = None,
        *,
        target: float | None = None,
        gap: float = MIP_REL_GAP,
    ) -> BalancedPanel:
        """The composition maximizing weights @ counts + score (weights 0 when None), to the
        relative `gap`; with `target`, the search may stop at the first panel beating it.

        A time limit that stops the search returns the best panel found (complete=False) or
        raises TimeLimitReached if none was found yet.
        """
        h = self.h
        w = np.zeros(self.groups) if weights is None else np.asarray(weights, dtype=np.float64)
        h.changeColsCost(self.groups, np.arange(self.groups, dtype=np.int32), w)
        h.setOptionValue("mip_rel_gap", gap)
        h.setOptionValue("objective_target", -np.inf if target is None else target + TARGET_MARGIN)
        self.deadline.check("the balanced panel search")
        self.deadline.limit_highs(h)
        h.clearSolver()
        h.run()
        self.solves += 1
        status = h.getModelStatus()
        model_status = highspy.HighsModelStatus
        if status == model_status.kInfeasible:
            return BalancedPanel(None, -np.inf, -np.inf, True)
        info = h.getInfo()
        has_point = info.primal_solution_status == 2  # kSolutionStatusFeasible
        if status == model_status.kTimeLimit and not has_point:
            raise self.deadline.exceeded("the balanced panel search")
        if status not in (
            model_status.kOptimal,
            model_status.kObjectiveTarget,
            model_status.kTimeLimit,
        ):
            raise SolverFailure(
                f"the balanced panel search ended with status '{h.modelStatusToString(status)}'"
            )
        composition = np.rint(np.asarray(h.getSolution().col_value)[: self.groups]).astype(np.int64)
        if not self.rules.holds(composition):
            raise SolverFailure("the balanced panel search returned a panel that breaks the rules")
        value = inner(w, composition) + float(self.objective.scores(composition)[0])
        bound = max(float(info.mip_dual_bound), value)
        return BalancedPanel(composition, value, bound, status == model_status.kOptimal)


def climb(
    pricer: BalancePricer, weights: np.ndarray, composition: np.ndarray, steps: int
) -> tuple[np.ndarray, float]:
    """Best-improvement one-for-one swaps from `composition` on weights @ x + score(x), at most
    `steps` of them, each keeping every panel rule (`PanelRules.swap_allowed`); returns the
    local optimum and its value. A cheap heuristic: column generation asks the MIP only when
    climbing from its current panels finds nothing better."""
    rules, objective = pricer.rules, pricer.objective
    x = np.asarray(composition, dtype=np.int64).copy()
    every = np.arange(len(x))
    for _ in range(steps):
        out = np.flatnonzero(x > 0)
        gain = weights[None, :] - weights[out][:, None]  # (out, in)
        for partition in objective.partitions:
            cells, target = partition.cell_of_group, partition.targets
            count = np.bincount(cells, weights=x, minlength=len(target))
            now = np.abs(count - target)
            leave = np.abs(count - 1 - target) - now
            arrive = np.abs(count + 1 - target) - now
            change = leave[cells[out]][:, None] + arrive[cells][None, :]
            change[cells[out][:, None] == cells[None, :]] = 0.0
            gain -= objective.scale * change
        allowed = (x < rules.unit_sizes)[None, :] & (out[:, None] != every[None, :])
        allowed &= rules.swap_allowed(rules.usage(x)[None, :], out[:, None], every[None, :])[0]
        gain = np.where(allowed, gain, -np.inf)
        best = int(np.argmax(gain))
        if not gain.flat[best] > CLIMB_MARGIN:
            break
        x[out[best // len(x)]] -= 1
        x[best % len(x)] += 1
    return x, inner(weights, x) + float(objective.scores(x)[0])


def kick(
    pricer: BalancePricer, composition: np.ndarray, swaps: int, rng: np.random.Generator
) -> np.ndarray:
    """`composition` after `swaps` random one-for-one swaps that keep every panel rule (a
    perturbation before climbing again: iterated local search)."""
    rules = pricer.rules
    x = np.asarray(composition, dtype=np.int64).copy()
    every = np.arange(len(x))
    for _ in range(swaps):
        out = np.flatnonzero(x > 0)
        allowed = (x < rules.unit_sizes)[None, :] & (out[:, None] != every[None, :])
        allowed &= rules.swap_allowed(rules.usage(x)[None, :], out[:, None], every[None, :])[0]
        pairs = np.flatnonzero(allowed)
        if not len(pairs):
            break
        chosen = int(pairs[rng.integers(len(pairs))])
        x[out[chosen // len(x)]] -= 1
        x[chosen % len(x)] += 1
    return x
