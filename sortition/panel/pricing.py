"""Exact panel pricing with HiGHS: LP relaxation, rounding, reduced-cost fixing, a small MIP.

Column generation asks thousands of times for the panel of highest weight. Handing the whole
integer program to a MIP solver costs about a second on a 5,000-person pool, mostly in presolve
and root heuristics, although the LP relaxation is almost integral (one fractional count per
constraint at most). So we solve the relaxation (warm-started, milliseconds), round it with a
tiny MIP over its fractional counts, and then use LP duality: a count that sits at a bound with
reduced cost |d| can only move if the panel's weight drops by |d| per unit, so every count whose
|d| exceeds (LP bound - value to beat) keeps its LP value in any better panel. What is left is a
MIP over a few dozen counts; its optimum is the exact optimum of the full problem.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import highspy
import numpy as np

from sortition.errors import SolverFailure, TimeLimitReached
from sortition.instance import Instance
from sortition.numeric import dot, inner
from sortition.panel.rows import PanelRows
from sortition.panel.solver import (
    MIP_ABS_GAP,
    MIP_FEASIBILITY_TOLERANCE,
    MIP_REL_GAP,
    Deadline,
    quiet_highs,
)

LP_TOLERANCE = 1e-10  # primal and dual feasibility of the relaxation
FIXING_MARGIN = 1e-9  # reduced costs must beat the gap by this much before a count is fixed
INTEGRAL = 1e-7  # LP values this close to an integer count as integral
TARGET_MARGIN = 1e-9  # a MIP may stop early at a panel beating its target by this much
FACE_TOLERANCE = 1e-7  # with `HighsPricer.restrict`: a panel may score this far below 1


@dataclass(frozen=True)
class Priced:
    """A pricing answer: the best composition found (None if no panel fits), other good ones."""

    best: np.ndarray | None
    others: tuple[np.ndarray, ...] = ()


class HighsPricer:
    """Best or improving panel compositions for group weights; exact, single-threaded, seeded."""

    def __init__(self, instance: Instance, deadline: Deadline | None = None) -> None:
        self.rows = PanelRows.of(instance)
        self.sizes = instance.groups.sizes.astype(np.float64)
        self.deadline = deadline or Deadline(None)
        self._all = np.arange(len(self.sizes), dtype=np.int32)
        self._faces: np.ndarray | None = None
        self._twin: highspy.Highs | None = None  # the relaxation again, for chains run beside
        self._beside = 0  # chains now running beside the caller's own pricing
        self.lp = self._relaxation_lp()

    def restrict(self, faces: np.ndarray | None) -> None:
        """From now on consider only panels scoring at least 1 - `FACE_TOLERANCE` on every row of
        `faces` (S, G: weights per panel seat), as extra rows of every relaxation and sub-MIP;
        None lifts the restriction. Must not be called while a chain is being priced."""
        self._twin = None  # (made again, with the new rows, by the next chain run beside)
        if self._faces is not None:
            first = len(self.rows.lower)
            rows = np.arange(first, first + len(self._faces), dtype=np.int32)
            self.lp.deleteRows(len(rows), rows)
            self.lp.clearSolver()
            self._faces = None
        if faces is None or not len(faces):
            return
        self._faces = np.asarray(faces, dtype=np.float64)
        _add_face_rows(self.lp, self._faces, np.zeros(len(self._faces)))
        self.lp.clearSolver()

    def on_faces(self, composition: np.ndarray) -> bool:
        """Whether the composition meets the restriction of `restrict` (True without one)."""
        if self._faces is None:
            return True
        return bool(np.all(dot(self._faces, composition) >= 1.0 - FACE_TOLERANCE - 1e-6))

    def keeps_faces(
        self, composition: np.ndarray, leaving: np.ndarray, arriving: np.ndarray
    ) -> np.ndarray:
        """For each k, whether `composition` with one member of group leaving[k] swapped for one
        of group arriving[k] still meets the restriction of `restrict` (all True without one).
        A screen: `on_faces` decides for the swaps kept."""
        if self._faces is None:
            return np.ones(len(leaving), dtype=bool)
        scores = dot(self._faces, composition)[:, None]
        scores = scores + self._faces[:, arriving] - self._faces[:, leaving]
        kept: np.ndarray = np.all(scores >= 1.0 - FACE_TOLERANCE - 1e-6, axis=0)
        return kept

    def solve(
        self,
        weights: np.ndarray,
        *,
        lower: np.ndarray | None = None,
        upper: np.ndarray | None = None,
        threshold: float | None = None,
        hints: tuple[np.ndarray, ...] = (),
    ) -> Priced:
        """The composition maximizing weights @ counts within the bounds.

        With `threshold`, stop at any composition beating it (returning every one found) and
        prove that none exists when the answer is empty. `hints` (good known compositions) then
        seed small neighbourhood MIPs tried before the full one: counts on which a hint and the
        relaxation agree stay fixed (RINS), which finds a beating panel in a few milliseconds
        where the full MIP spends most of its time in root cuts.
        """
        weights = np.asarray(weights, dtype=np.float64)
        lower = np.zeros(len(self.sizes)) if lower is None else np.asarray(lower, np.float64)
        upper = self.sizes if upper is None else np.asarray(upper, np.float64)
        relaxed = self._relaxation(weights, lower, upper)
        if relaxed is None:
            return Priced(None)
        values, reduced, bound = relaxed
        if threshold is not None and bound <= threshold:
            return Priced(None)  # even the relaxation cannot beat it
        fractional = np.abs(values - np.rint(values)) > INTEGRAL
        rounded = np.rint(values)
        incumbent = self._sub_mip(weights, fractional, rounded, lower, upper)
        if (
            incumbent is not None
            and threshold is not None
            and inner(weights, incumbent) > threshold
        ):
            return Priced(incumbent)
        if threshold is not None:
            for hint in hints:
                differ = fractional | (rounded != hint)
                found = self._sub_mip(weights, differ, rounded, lower, upper, target=threshold)
                if found is not None and inner(weights, found) > threshold:
                    return Priced(found)
        beat = threshold if threshold is not None else -np.inf
        if incumbent is not None:
            beat = max(beat, inner(weights, incumbent))
        free = np.abs(reduced) <= (bound - beat) + FIXING_MARGIN
        # with a threshold, the MIP may stop at its first panel beating it (objective target):
        # any such panel is a column, and a proof that none exists needs the full search anyway
        exact = self._sub_mip(weights, free | fractional, rounded, lower, upper, target=threshold)
        if exact is None or (
            incumbent is not None and inner(weights, incumbent) >= inner(weights, exact)
        ):
            exact = incumbent
        if exact is None or (threshold is not None and inner(weights, exact) <= threshold):
            return Priced(None)
        return Priced(exact)

    def quick(
        self, weights: np.ndarray, *, support: bool = False
    ) -> tuple[np.ndarray | None, float]:
        """A good composition (the relaxation rounded, not proven best) and an upper bound on
        the best weight (the relaxation's value); (None, -inf) if no panel fits.

        With `support`, a rounding that fails (tight quotas often leave no panel with every
        integral count kept) is retried over every count the relaxation uses, the others at 0.
        """
        weights = np.asarray(weights, dtype=np.float64)
        lower = np.zeros(len(self.sizes))
        relaxed = self._relaxation(weights, lower, self.sizes)
        if relaxed is None:
            return None, -np.inf
        values, _, bound = relaxed
        fractional = np.abs(values - np.rint(values)) > INTEGRAL
        # a heuristic answer may be missing; the bound still holds
        found = self._rounded(weights, fractional, np.rint(values), lower, self.sizes)
        if found is None and support:
            used = values > INTEGRAL
            found = self._rounded(weights, used, np.rint(values), lower, self.sizes)
        return found, bound

    def quick_chain(
        self, start: np.ndarray, length: int, penalty: float, *, beside: bool = False
    ) -> list[np.ndarray]:
        """`length` quick compositions (see `quick`) for a sequence of weights: the first is
        `start`, and each next one multiplies by `penalty` the weights of the groups the last
        relaxation used (multiplicative weights, so the chain spreads over many groups).

        The sequence depends only on the relaxations, so their rounding MIPs run in a second
        thread while the next relaxation solves (HiGHS releases the GIL while it solves); the
        answers are the same however the threads interleave. Roundings that fail are left out.

        `beside`: the chain runs in a worker thread while the caller keeps pricing, so its
        relaxations use a second copy of the relaxation LP (`chain_beside` says how).
        """
        weights = np.asarray(start, dtype=np.float64)
        lower = np.zeros(len(self.sizes))
        lp = self._twin_lp() if beside else None
        pending = []
        with ThreadPoolExecutor(max_workers=1) as rounder:
            for _ in range(length):
                relaxed = self._relaxation(weights, lower, self.sizes, lp)
                if relaxed is None:
                    break
                values = relaxed[0]
                fractional = np.abs(values - np.rint(values)) > INTEGRAL
                pending.append(
                    rounder.submit(
                        self._rounded,
                        weights,
                        fractional,
                        np.rint(values),
                        lower,
                        self.sizes,
                        in_thread=True,
                    )
                )
                weights = np.where(values > INTEGRAL, weights * penalty, weights)
            found = [future.result() for future in pending]
        return [composition for composition in found if composition is not None]

    def chain_beside(
        self, pool: ThreadPoolExecutor, start: np.ndarray, length: int, penalty: float
    ) -> Future[list[np.ndarray]]:
        """`quick_chain(start, length, penalty)` started in `pool`, on the second copy of the
        relaxation LP, so that the caller may go on pricing (`quick`, `solve`) until it takes
        the result; `finish_beside` must follow that. Meanwhile the caller's MIPs leave HiGHS'
        global scheduler alone (resetting it is not thread-safe). The copy starts from the
        basis of the caller's relaxation at the call (its own last basis gave tight_1700 LEXIMIN
        seed 1 67 s instead of 46 s: degenerate relaxations answer by where they start), so the
        chain's answers depend only on `start` and on the solves before the call, never on the
        timing."""
        twin = self._twin_lp()  # (made here, in the caller's thread)
        basis = self.lp.getBasis()
        if basis.valid:  # warm-start from where the caller's relaxation stands
            twin.setBasis(basis)
        self._beside += 1
        return pool.submit(self.quick_chain, start, length, penalty, beside=True)

    def finish_beside(self, chain: Future[list[np.ndarray]]) -> list[np.ndarray]:
        """The panels of a chain started by `chain_beside` (waits for it)."""
        try:
            return chain.result()
        finally:
            self._beside -= 1

    def _twin_lp(self) -> highspy.Highs:
        if self._twin is None:
            self._twin = self._relaxation_lp()
        return self._twin

    def _relaxation_lp(self) -> highspy.Highs:
        """A new relaxation LP (with the rows of `restrict`, if any): no presolve, tight
        tolerances, so that re-solves with new costs warm-start."""
        lp: highspy.Highs = quiet_highs(presolve=False, reset_scheduler=not self._beside)
        lp.setOptionValue("primal_feasibility_tolerance", LP_TOLERANCE)
        lp.setOptionValue("dual_feasibility_tolerance", LP_TOLERANCE)
        lp.passModel(self.rows.relaxation(self.sizes))
        if self._faces is not None:
            _add_face_rows(lp, self._faces, np.zeros(len(self._faces)))
        return lp

    def _rounded(self, *arguments: np.ndarray, in_thread: bool = False) -> np.ndarray | None:
        """`_sub_mip`, with a solver failure read as no answer (for heuristic callers)."""
        try:
            return self._sub_mip(*arguments, in_thread=in_thread)
        except SolverFailure:
            return None

    def _relaxation(
        self,
        weights: np.ndarray,
        lower: np.ndarray,
        upper: np.ndarray,
        lp: highspy.Highs | None = None,
    ) -> tuple[np.ndarray, np.ndarray, float] | None:
        self.deadline.check("the panel optimization")
        lp = self.lp if lp is None else lp
        lp.changeColsCost(len(self._all), self._all, weights)
        lp.changeColsBounds(len(self._all), self._all, lower, upper)
        lp.run()
        status = lp.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            lp.clearSolver()  # a stalled warm start: once more from scratch
            lp.run()
            status = lp.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            raise SolverFailure(
                f"the panel relaxation ended with status '{lp.modelStatusToString(status)}'"
            )
        solution = lp.getSolution()
        values = np.clip(np.asarray(solution.col_value), lower, upper)
        return values, np.asarray(solution.col_dual), inner(weights, values)

    def _sub_mip(
        self,
        weights: np.ndarray,
        free: np.ndarray,
        rounded: np.ndarray,
        lower: np.ndarray,
        upper: np.ndarray,
        *,
        in_thread: bool = False,
        target: float | None = None,
    ) -> np.ndarray | None:
        """Best composition with every non-free count fixed at its rounded LP value
        (`in_thread`: called from a worker thread while the main thread may be solving). With
        `target`, HiGHS may stop at the first composition whose weight exceeds it."""
        columns = np.flatnonzero(free)
        fixed = rounded.copy()
        fixed[columns] = 0.0
        shift = self.rows.usage(fixed)
        if not len(columns):
            fits = self._fits(fixed, lower, upper) and self.on_faces(fixed)
            return fixed.astype(np.int64) if fits else None
        mip = quiet_highs(presolve=True, reset_scheduler=not (in_thread or self._beside))
        mip.setOptionValue("mip_rel_gap", MIP_REL_GAP)
        mip.setOptionValue("mip_abs_gap", MIP_ABS_GAP)
        mip.setOptionValue("mip_feasibility_tolerance", MIP_FEASIBILITY_TOLERANCE)
        if target is not None:
            mip.setOptionValue("objective_target", float(target) + TARGET_MARGIN)
        self.deadline.limit_highs(mip)
        lp = self.rows.model(columns, lower[columns], upper[columns], shift, integer=True)
        lp.col_cost_ = weights[columns]
        mip.passModel(lp)
        if self._faces is not None:
            _add_face_rows(mip, self._faces[:, columns], dot(self._faces, fixed))
        mip.run()
        status = mip.getModelStatus()
        if status == highspy.HighsModelStatus.kSolveError:
            # HiGHS' MIP presolve occasionally fails on a numerically awkward cost vector; the
            # same MIP without presolve is a different code path and solves
            mip.clearSolver()
            mip.setOptionValue("presolve", "off")
            mip.run()
            status = mip.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            return None
        if status == highspy.HighsModelStatus.kTimeLimit:
            raise TimeLimitReached(
                "the panel optimization hit the time limit", hint="raise --time-limit"
            )
        if status not in (
            highspy.HighsModelStatus.kOptimal,
            highspy.HighsModelStatus.kObjectiveTarget,
        ):
            raise SolverFailure(
                f"the panel optimization ended with status '{mip.modelStatusToString(status)}'"
            )
        composition = fixed
        composition[columns] = np.rint(np.asarray(mip.getSolution().col_value))
        if not self._fits(composition, lower, upper):
            if status == highspy.HighsModelStatus.kObjectiveTarget:
                # HiGHS can report the objective target reached with a point that breaks the
                # rows (seen on an infeasible neighbourhood MIP): solve again without a target,
                # which either proves infeasibility or returns a checked optimum
                return self._sub_mip(
                    weights, free, rounded, lower, upper, in_thread=in_thread, target=None
                )
            raise SolverFailure("the panel optimization returned a panel that breaks the rules")
        return composition.astype(np.int64)

    def _fits(self, composition: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> bool:
        """Whether group counts keep their bounds and every row of the panel rules."""
        if np.any(composition < lower - 1e-9) or np.any(composition > upper + 1e-9):
            return False
        used = self.rows.usage(composition)
        return bool(
            np.all(used >= self.rows.lower - 1e-9) and np.all(used <= self.rows.upper + 1e-9)
        )


def _add_face_rows(h: highspy.Highs, faces: np.ndarray, shift: np.ndarray) -> None:
    """Rows faces @ counts >= 1 - FACE_TOLERANCE - shift over the model's columns."""
    nonzero = [np.flatnonzero(row) for row in faces]
    starts = np.zeros(len(faces), dtype=np.int32)
    starts[1:] = np.cumsum([len(n) for n in nonzero])[:-1]
    index = np.concatenate(nonzero).astype(np.int32) if nonzero else np.zeros(0, np.int32)
    values = np.concatenate([row[n] for row, n in zip(faces, nonzero, strict=True)])
    lower = 1.0 - FACE_TOLERANCE - shift
    upper = np.full(len(faces), highspy.kHighsInf)
    h.addRows(len(faces), lower, upper, len(index), starts, index, values)
