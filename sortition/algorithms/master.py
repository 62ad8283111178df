"""The column-generation master LP shared by MAXIMIN and LEXIMIN, driven through `highspy`.

Primal, at group level: choose probabilities q_c >= 0 for known panel compositions (sum 1) and a
level z; every group not yet fixed must reach probability z, every fixed group its fixed value;
maximize z. Pricing looks for a composition whose weight under the row duals exceeds the
convexity dual; because the q sum to one, z can rise by at most that excess (a Lagrangian bound),
so stopping when the excess is below `column_generation.PRICING_TOLERANCE` proves optimality to
that tolerance. Columns are added to one live model, so HiGHS warm-starts every re-solve. The
stage's rounds (`batch_rounds`, `stage_rounds`) run on the shared loop `column_generation.run`.
"""

from __future__ import annotations

from collections.abc import Callable

import highspy
import numpy as np

from sortition.algorithms.acceptance import Check, realign
from sortition.algorithms.batch_rounds import (
    BATCH_IPM_LOOSEST,
    BATCH_IPM_SHARE,
    run_batch_rounds,
)
from sortition.algorithms.column_generation import run
from sortition.algorithms.column_store import ColumnStore
from sortition.algorithms.relaxation import STAGE_LP_TOLERANCE, RelaxedStage
from sortition.algorithms.stage_rounds import SimplexRounds, StageResult
from sortition.errors import SolverFailure
from sortition.numeric import dot, inner
from sortition.panel.model import PanelModel
from sortition.panel.solver import Deadline, add_empty_rows, live_column_lp

FIX_SLACK = 1e-10  # fixed probabilities may be undershot by this much (LP feasibility)
RESCUE_SLACKS = (1e-9, 1e-8)  # wider slacks tried if rounding makes the fixed rows infeasible
BATCH_GROUPS = 1000  # masters with this many groups start each stage with batch rounds


class MasterLP:
    """Live LP over known compositions; rows 1..G are groups, row 0 is sum q = 1."""

    def __init__(
        self,
        panel_model: PanelModel,
        deadline: Deadline,
        report: Callable[[str], None] | None = None,
        gap: float = 0.0,
    ) -> None:
        self.model = panel_model
        self.deadline = deadline
        self.report = report  # receives a line when batch rounds pass a gap mark (long runs)
        self.gap = gap  # a stage may stop once its level is within this share of the bound
        self.bound_point: np.ndarray | None = None  # duals of the best bound in this stage
        self.stage_bound = np.inf  # the best Lagrangian bound of the current stage (at bound_point)
        self._last_values: np.ndarray | None = None  # column values of the last LP solved
        self._adopted: np.ndarray | None = None  # accepted from a check since the last solve
        # receives (level, best bound) after every LP solve of a stage, for a progress bar
        self.on_progress: Callable[[float, float], None] | None = None
        self.sizes = panel_model.sizes.astype(np.float64)
        groups = len(self.sizes)
        h = live_column_lp()
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        inf = highspy.kHighsInf
        # z column first: coefficient -1 in every unfixed group row.
        add_empty_rows(h, np.array([1.0]), np.array([1.0]))
        add_empty_rows(h, np.zeros(groups), np.full(groups, inf))
        rows = np.arange(1, groups + 1, dtype=np.int32)
        self.factors = panel_model.instance.group_factors  # row g: p_g >= factor_g * z
        h.addCol(1.0, -inf, inf, groups, rows, -self.factors)
        self.h = h
        self.fixed = np.zeros(groups, dtype=bool)
        self.fixed_value = np.zeros(groups)
        self.slack = FIX_SLACK
        self.compositions: list[np.ndarray] = []
        self._known: dict[bytes, int] = {}
        self._purged = ColumnStore(groups)  # deleted by `purge`, not added since
        # the fractional stage LP whose duals start each stage's smoothing (HiGHS only)
        # (large pools: at HiGHS' default tolerance, see `relaxation.STAGE_LP_TOLERANCE`)
        tolerance = None if _batch_sized(groups) else STAGE_LP_TOLERANCE
        self.relaxed = (
            RelaxedStage(panel_model.instance, tolerance=tolerance) if panel_model.pricer else None
        )

    @property
    def large(self) -> bool:
        """True for masters of `BATCH_GROUPS` groups or more priced by HiGHS: their stages
        start with batch rounds."""
        return self.relaxed is not None and _batch_sized(len(self.sizes))

    def retarget(self, factors: np.ndarray) -> None:
        """Ask every unfixed group g for probability factors[g] * z from now on (and price the
        relaxation the same way)."""
        self.factors = np.asarray(factors, dtype=np.float64)
        for g in np.flatnonzero(~self.fixed).tolist():
            self.h.changeCoeff(g + 1, 0, -self.factors[g])
        if self.relaxed is not None:
            self.relaxed = RelaxedStage(
                self.model.instance, self.factors, tolerance=self.relaxed.tolerance
            )

    def add(self, composition: np.ndarray) -> bool:
        """Add a composition as a column; False if it is already present."""
        key = np.asarray(composition, dtype=np.int64).tobytes()
        if key in self._known:
            return False
        self._known[key] = len(self.compositions)
        self._purged.discard(key)  # (found anew: no longer a purged column)
        self.compositions.append(np.asarray(composition, dtype=np.int64))
        nz = np.flatnonzero(composition)
        rows = np.concatenate(([0], nz + 1)).astype(np.int32)
        values = np.concatenate(([1.0], composition[nz] / self.sizes[nz]))
        self.h.addCol(0.0, 0.0, highspy.kHighsInf, len(rows), rows, values)
        return True

    def fix(self, groups: np.ndarray, value: float) -> None:
        """Require `groups` to keep level `value` (probability value * factor) from now on."""
        for g in np.flatnonzero(groups).tolist():
            self.h.changeCoeff(g + 1, 0, 0.0)
            self.h.changeRowBounds(g + 1, value * self.factors[g] - self.slack, highspy.kHighsInf)
        self.fixed |= groups
        self.fixed_value[groups] = value * self.factors[groups]

    def purge(self, margin: float) -> int:
        """Delete the columns that carry no probability in the LP's current solution and price
        below its convexity dual by more than `margin` (far from re-entering the basis); returns
        how many. Later LEXIMIN stages otherwise re-solve an LP of thousands of columns, most of
        them panels that fitted earlier stages' levels."""
        solution = self.h.getSolution()
        if not (solution.value_valid and solution.dual_valid):
            return 0  # already purged since the last solve: HiGHS dropped its solution then
        values = np.asarray(solution.col_value)[1:]
        duals = np.asarray(solution.row_dual)
        convexity = float(duals[0])
        weights = np.maximum(-duals[1:], 0.0) / self.sizes
        scores = dot(np.array(self.compositions, dtype=np.float64), weights)
        basic = np.array(
            [status == highspy.HighsBasisStatus.kBasic for status in self.h.getBasis().col_status]
        )[1:]
        drop = ~basic & (values <= 1e-13) & (scores < convexity - margin)
        if not drop.any():
            return 0
        if self._last_values is not None:  # (columns added since the last solve hold 0)
            self._last_values = self._padded(self._last_values)[~drop]
        dropped = np.flatnonzero(drop)
        self.h.deleteCols(len(dropped), (dropped + 1).astype(np.int32))
        for c in dropped.tolist():  # (kept for `returning`)
            self._purged.put(self.compositions[c])
        keep = np.flatnonzero(~drop).tolist()
        self.compositions = [self.compositions[c] for c in keep]
        self._known = {c.tobytes(): i for i, c in enumerate(self.compositions)}
        return len(dropped)

    def returning(self, weights: np.ndarray, threshold: float) -> list[np.ndarray]:
        """The purged columns whose weight beats `threshold` again, taken from the store in the
        order purged: a matrix product where a MIP would find them anew (see LONG_STAGE_PURGE)."""
        return self._purged.returning(weights, threshold)

    def iterations(self) -> int:
        """Simplex iterations of the last LP solve (a deterministic measure of its cost)."""
        return int(self.h.getInfo().simplex_iteration_count)

    def _widen_slack(self, slack: float) -> None:
        """Let every fixed group undershoot its value by `slack` (numerical rescue)."""
        self.slack = slack
        for g in np.flatnonzero(self.fixed).tolist():
            self.h.changeRowBounds(g + 1, self.fixed_value[g] - slack, highspy.kHighsInf)

    def solve_lp(self, approximate: bool = False) -> tuple[float, np.ndarray, float]:
        """Solve the live LP: (level, group duals, convexity dual). With `approximate`, an
        interior point solve that stopped at its own loose tolerance without passing HiGHS'
        final check (status Unknown) still counts: its duals only guide pricing."""
        self.deadline.check("the column generation")
        self._adopted = None
        status = self._run()
        if (
            approximate
            and status == highspy.HighsModelStatus.kUnknown
            and self.h.getSolution().dual_valid
        ):
            status = highspy.HighsModelStatus.kOptimal
        if status != highspy.HighsModelStatus.kOptimal:
            # A warm start can stall ("basis change is taboo"): solve once more from scratch.
            self.h.clearSolver()
            status = self._run()
        for slack in RESCUE_SLACKS:
            # Fixed levels come from a solution within tolerance; rounding can leave them a hair
            # out of reach. Widen their slack a little rather than fail.
            if status != highspy.HighsModelStatus.kInfeasible or slack <= self.slack:
                continue
            self._widen_slack(slack)
            self.h.clearSolver()
            status = self._run()
        if status != highspy.HighsModelStatus.kOptimal:
            raise SolverFailure(
                f"the master LP ended with status '{self.h.modelStatusToString(status)}'"
            )
        solution = self.h.getSolution()
        self._last_values = np.array(solution.col_value[1:], dtype=np.float64)
        duals = np.asarray(solution.row_dual)
        # HiGHS reports duals of a maximization with the sign of d(objective)/d(bound) flipped;
        # normalize so group duals are non-negative shadow prices.
        convexity = float(duals[0])
        group_duals = -np.asarray(duals[1:])
        return float(solution.col_value[0]), group_duals, convexity

    def _run(self) -> highspy.HighsModelStatus:
        """Solve the live LP within the time left (an interior-point solve can take a while)."""
        self.deadline.limit_highs(self.h)
        self.h.run()
        status: highspy.HighsModelStatus = self.h.getModelStatus()
        if status == highspy.HighsModelStatus.kTimeLimit:
            raise self.deadline.exceeded("the column generation")
        return status

    def solve_stage(
        self,
        give_up_below: float = -np.inf,
        ipm: tuple[float, float] = (BATCH_IPM_SHARE, BATCH_IPM_LOOSEST),
        chains_after: int | None = None,
    ) -> StageResult:
        """Column generation until no composition can raise z by more than the tolerance (or
        the optimality gap asked for), or until a Lagrangian bound proves z below
        `give_up_below` (the result then has the level reached and that bound's gap). `ipm` sets
        the batch rounds' interior point tolerance (see `batch_rounds.run_batch_rounds`);
        `chains_after` gives the simplex rounds chain columns from that round on (see
        `SimplexRounds`).

        The stage starts from the duals of the fractional stage LP (priced exactly: a column
        and the first bound); large masters then run the batch rounds (`batch_rounds`); the
        simplex rounds (`stage_rounds.SimplexRounds`, on the shared loop `column_generation.run`)
        finish it.
        """
        center: np.ndarray | None = None
        best_bound = np.inf
        self.bound_point = None
        self.stage_bound = np.inf
        if self.relaxed is not None:
            start = self.relaxed.duals(self.fixed, self.fixed_value)
            if start is not None and start[~self.fixed].sum() > 0:
                best = self.model.best(start / self.sizes)
                if best is None:
                    raise SolverFailure("the panel problem became infeasible")
                self.add(best)
                best_bound, center = self.bound(start, best), start
                self.bound_point, self.stage_bound = start, best_bound
        if center is not None and self.large:
            best_bound, accepted = run_batch_rounds(self, center, best_bound, give_up_below, ipm)
            if accepted is not None:
                return accepted
        rounds = SimplexRounds(self, center, best_bound, give_up_below, chains_after)
        try:
            run(rounds)
        finally:
            rounds.close()
        assert rounds.result is not None
        return rounds.result

    def gap_reached(self, level: float, bound: float) -> bool:
        """True if a gap was asked for, the best bound's duals are known, and the level is
        within that gap of `bound` (relative to the bound)."""
        return self.gap > 0 and self.bound_point is not None and bound - level <= self.gap * bound

    def repriced_bound(self) -> float:
        """The Lagrangian bound of the best bound's duals, priced exactly (the smoothing rounds
        only have a relaxation's bound for them); kept as the stage's best bound, so the same
        duals are never priced twice."""
        assert self.bound_point is not None
        best = self.model.best(self.bound_point / self.sizes)
        if best is None:
            raise SolverFailure("the panel problem became infeasible")
        return self.bound(self.bound_point, best)

    def loose_result(
        self,
        group_duals: np.ndarray,
        best_bound: float,
        check: Check | None = None,
    ) -> StageResult | None:
        """The stage's result from a loose interior point solve, if the level its probabilities
        actually reach (clipped and renormalized, as `probabilities` returns them) is within the
        optimality gap of the bound; None otherwise. This saves the tight solve with crossover
        (half a minute on 5,000 people). `check` (column values and the `column_keys` of an LP
        copied at an earlier round, from an `acceptance` check) replaces the last solve's column
        values, moved onto the current columns (`acceptance.realign`), and is kept as the stage's
        probabilities if accepted. Only for stages without positive fixed values, which a loose
        solve may undershoot."""
        if not self.accepts_loose:
            return None
        if check is None:
            q = self.probabilities()
        else:
            realigned = realign(check, self)
            if realigned is None:
                return None
            q = _normalized(realigned)
        level = self.level_of(q)
        point = self.bound_point
        if point is None or not self.gap_reached(level, best_bound):
            return None
        if check is not None:
            self._adopted = q
        duals = np.maximum(group_duals, 0.0)
        return StageResult(level, duals, best_bound - level, point)

    def column_keys(self) -> tuple[bytes, ...]:
        """The identity of every column, in order: what a copy of the LP taken now holds."""
        return tuple(c.tobytes() for c in self.compositions)

    def column_index(self, key: bytes) -> int | None:
        """The position of the column with this identity (`column_keys`); None if none has."""
        return self._known.get(key)

    def level_of(self, q: np.ndarray) -> float:
        """The level column probabilities `q` give (least share of its target, free groups)."""
        marginals = dot(q, np.array(self.compositions)) / self.sizes
        free = ~self.fixed
        return float((marginals[free] / self.factors[free]).min())

    @property
    def accepts_loose(self) -> bool:
        """Whether `loose_result` may accept (a gap, no group fixed at a positive value)."""
        return self.gap > 0 and not (self.fixed & (self.fixed_value > 0)).any()

    def tell(self, level: float, bound: float) -> None:
        """Pass the stage's level and best bound to `on_progress`, if set."""
        if self.on_progress is not None:
            self.on_progress(level, bound)

    def bound(self, duals: np.ndarray, best_composition: np.ndarray) -> float:
        """Lagrangian upper bound on the stage level for these duals (exact best panel).

        The duals are first scaled so that sum over unfixed groups of dual * factor is 1 (dual
        feasibility of the z column), which an interior point solve at a loose tolerance only
        meets approximately; the bound then holds exactly."""
        scale = inner(duals[~self.fixed], self.factors[~self.fixed])
        if scale > 0:
            duals = duals / scale
        return inner(duals / self.sizes, best_composition) - self.fixed_part(duals)

    def relaxed_bound(self, duals: np.ndarray, relaxed_value: float) -> float:
        """The Lagrangian bound of `bound` with the best panel's weight replaced by the value
        of the pricing relaxation at duals / sizes (an upper bound on it)."""
        scale = inner(duals[~self.fixed], self.factors[~self.fixed])
        if scale <= 0:
            return np.inf
        return relaxed_value / scale - self.fixed_part(duals / scale)

    def fixed_part(self, duals: np.ndarray) -> float:
        """What the fixed groups' rows take off the Lagrangian bound for these duals."""
        return inner(duals[self.fixed], self.fixed_value[self.fixed] - self.slack)

    def probabilities(self) -> np.ndarray:
        """Current column probabilities q (clipped at 0, renormalized): the last solve's, or
        those `loose_result` accepted from a check since."""
        if self._adopted is not None:
            return self._adopted
        if self._last_values is None:
            raise SolverFailure("the master LP has not been solved")
        return _normalized(self._padded(self._last_values))

    def last_probabilities(self) -> np.ndarray | None:
        """Column probabilities of the last LP that was solved (clipped at 0, renormalized), or
        None if none was: what the master has to offer when the time limit stops it mid-stage.
        Columns added since then get probability 0."""
        if self._last_values is None or not (self._last_values > 1e-13).any():
            return None
        return _normalized(self._padded(self._last_values))

    def _padded(self, values: np.ndarray) -> np.ndarray:
        """Values of the last solve's columns, with 0 for the columns added since."""
        out = np.zeros(len(self.compositions))
        out[: len(values)] = values
        return out

    def stage_certificate(self) -> tuple[np.ndarray, float] | None:
        """The current stage's best dual point and its Lagrangian bound on the stage level (a
        valid upper bound even where it came from the pricing relaxation), if one is known."""
        if self.bound_point is None or not np.isfinite(self.stage_bound):
            return None
        return self.bound_point, self.stage_bound


def _batch_sized(groups: int) -> bool:
    """Whether a master of this many groups is large: its stages start with batch rounds (when
    priced by HiGHS) and its relaxed stage LPs solve at HiGHS' default tolerance."""
    return groups >= BATCH_GROUPS


def _normalized(values: np.ndarray) -> np.ndarray:
    """Column values clipped at 0 (LP noise) and scaled to sum to one."""
    values = np.where(values > 1e-13, values, 0.0)
    return np.asarray(values / values.sum())
