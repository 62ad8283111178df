"""Choosing and driving the MILP solver behind PuLP models: HiGHS (default) or CBC.

Models are written once, in PuLP. `LiveModel` solves one model many times with new objective
coefficients or variable bounds (as column generation does): with HiGHS it keeps one `highspy`
model alive and only changes costs and bounds; with CBC it re-solves the PuLP problem.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from enum import Enum
from typing import Any

import numpy as np
import pulp

from sortition.errors import SolverFailure, TimeLimitReached

# One place for numerical tolerances of the integer programs.
MIP_REL_GAP = 1e-9
MIP_ABS_GAP = 1e-10
# HiGHS' default. At 1e-9, HiGHS 1.16 called a pricing sub-MIP optimal at 3.5 when a panel of
# weight 4.0 fitted it (tests/test_tight_pools.py, pool ('uk', 60, 9, 213, 0.3)): a LEXIMIN stage
# then ended early. Counts are rounded and checked against the rules afterwards (`_fits`).
MIP_FEASIBILITY_TOLERANCE = 1e-6


def live_highs_model(problem: pulp.LpProblem) -> Any:
    """The PuLP problem as a live, silent, single-threaded, seeded highspy model (deterministic)."""
    silence_highs_banner()
    single_threaded_highs()
    backend = pulp.HiGHS(msg=False)
    backend.createAndConfigureSolver(problem)
    backend.buildSolverModel(problem)
    h = problem.solverModel
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("mip_feasibility_tolerance", MIP_FEASIBILITY_TOLERANCE)
    return h


def quiet_highs(*, presolve: bool = True, reset_scheduler: bool = True) -> Any:
    """An empty highspy model: silent, single-threaded and seeded, so solves are repeatable.

    Pass `reset_scheduler=False` when another thread may be solving: resetting HiGHS' global
    scheduler then is not thread-safe (a thread that never solved gets its own scheduler)."""
    import highspy

    silence_highs_banner()
    if reset_scheduler:
        single_threaded_highs()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("presolve", "on" if presolve else "off")
    return h


def live_column_lp() -> Any:
    """An empty highspy LP for column generation: silent, single-threaded, seeded, tight
    tolerances, no presolve and primal simplex, so every re-solve after adding columns
    warm-starts from a still-feasible basis."""
    h = quiet_highs(presolve=False)
    h.setOptionValue("primal_feasibility_tolerance", 1e-10)
    h.setOptionValue("dual_feasibility_tolerance", 1e-10)
    h.setOptionValue("solver", "simplex")
    h.setOptionValue("simplex_strategy", 4)
    return h


def add_empty_rows(h: Any, lower: np.ndarray, upper: np.ndarray) -> None:
    """Append rows without coefficients (columns fill them later) with these bounds."""
    empty = np.zeros(len(lower), dtype=np.int32)
    h.addRows(len(lower), lower, upper, 0, empty, np.array([], dtype=np.int32), np.array([]))


def solve_live_lp(h: Any, deadline: Deadline, name: str) -> None:
    """Re-solve the live LP of algorithm `name` after a change (within the deadline); a warm
    start that stalls is solved once more from scratch, and anything but an optimum raises
    SolverFailure ("the NAME LP ended with status ...")."""
    import highspy

    deadline.check(f"the {name} optimization")
    h.run()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        h.clearSolver()  # a warm start can stall: solve once more from scratch
        h.run()
        status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise SolverFailure(f"the {name} LP ended with status '{h.modelStatusToString(status)}'")


class SolveStatus(Enum):
    OPTIMAL = "optimal"
    TARGET_REACHED = "target reached"
    INFEASIBLE = "infeasible"
    TIME_LIMIT = "time limit"


@dataclass(frozen=True)
class MipResult:
    status: SolveStatus
    values: np.ndarray  # one value per variable, in the order given to LiveModel
    objective: float
    others: tuple[np.ndarray, ...] = ()  # further solutions found on the way that beat the target


class Deadline:
    """A wall-clock budget shared by every solve of one computation."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self._end = None if seconds is None else time.monotonic() + seconds

    def remaining(self) -> float | None:
        return None if self._end is None else self._end - time.monotonic()

    def check(self, what: str) -> None:
        left = self.remaining()
        if left is not None and left <= 0:
            raise self.exceeded(what)

    def limit_highs(self, h: Any) -> None:
        """Let the next run of the highspy model `h` take at most the time left.

        HiGHS compares its `time_limit` with the model's run time summed over every run so far,
        not with the time of the next run, so a model solved many times needs that sum added.
        """
        left = self.remaining()
        h.setOptionValue("time_limit", np.inf if left is None else h.getRunTime() + max(left, 0.0))

    def exceeded(self, what: str) -> TimeLimitReached:
        """The error for `what` running out of this budget (for solvers that stop on their own)."""
        return TimeLimitReached(
            f"{what} did not finish within the time limit of {self.seconds:g} s",
            hint="raise --time-limit or leave it out; nothing else was tried in its place",
        )


def silence_highs_banner() -> None:
    """HiGHS prints a copyright banner to stdout on its first model; keep our output clean."""
    global _BANNER_SILENCED
    if _BANNER_SILENCED:
        return
    import highspy

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 1)
            highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    _BANNER_SILENCED = True


_BANNER_SILENCED = False


def single_threaded_highs() -> None:
    """Prepare HiGHS for single-threaded, repeatable solves in this process.

    HiGHS keeps one global thread scheduler; if something else in the process already started it
    with more threads, a model asking for one thread fails, so reset the scheduler first.
    """
    import highspy

    highspy.Highs.resetGlobalScheduler(True)


class LiveModel:
    """A PuLP model solved repeatedly with changing objective and bounds."""

    def __init__(
        self,
        problem: pulp.LpProblem,
        variables: list[pulp.LpVariable],
        solver: str,
        deadline: Deadline | None = None,
    ) -> None:
        self.problem = problem
        self.variables = variables
        self.solver = solver
        self.deadline = deadline or Deadline(None)
        self._highs = None
        self._sign = -1.0  # PuLP's HiGHS model minimizes; -1 turns our maximization into that
        if solver == "highs":
            h = live_highs_model(problem)
            self._highs = h
            self._index = np.array([v.index for v in variables], dtype=np.int32)
            h.setOptionValue("mip_rel_gap", MIP_REL_GAP)
            h.setOptionValue("mip_abs_gap", MIP_ABS_GAP)
            h.setOptionValue("mip_improving_solution_save", True)

    def set_objective(self, coefficients: np.ndarray, *, maximize: bool = True) -> None:
        coefficients = np.asarray(coefficients, dtype=np.float64)
        if self._highs is not None:
            self._sign = -1.0 if maximize else 1.0
            self._highs.changeColsCost(len(self._index), self._index, self._sign * coefficients)
            return
        self.problem.sense = pulp.LpMaximize if maximize else pulp.LpMinimize
        # Keep zero coefficients: an empty objective makes PuLP add a dummy variable.
        self.problem.setObjective(
            pulp.LpAffineExpression(list(zip(self.variables, coefficients.tolist(), strict=True)))
        )

    def set_bounds(self, lower: np.ndarray, upper: np.ndarray) -> None:
        lower = np.asarray(lower, dtype=np.float64)
        upper = np.asarray(upper, dtype=np.float64)
        if self._highs is not None:
            self._highs.changeColsBounds(len(self._index), self._index, lower, upper)
            return
        for v, lo, hi in zip(self.variables, lower.tolist(), upper.tolist(), strict=True):
            v.lowBound, v.upBound = lo, hi

    def solve(self, *, target: float | None = None) -> MipResult:
        """Solve to optimality, or (HiGHS only) stop at the first solution better than `target`.

        With a target, `others` holds the other solutions found that beat it too.
        """
        self.deadline.check("the panel optimization")
        if self._highs is not None:
            return self._solve_highs(self._highs, target)
        return self._solve_cbc(self.deadline.remaining())

    def _solve_highs(self, h: Any, target: float | None) -> MipResult:
        import highspy

        self.deadline.limit_highs(h)
        h.setOptionValue(
            "objective_target", -np.inf if target is None else float(self._sign * target)
        )
        h.run()
        status = h.getModelStatus()
        reached = status == highspy.HighsModelStatus.kObjectiveTarget
        if status == highspy.HighsModelStatus.kOptimal or reached:
            values = np.asarray(h.getSolution().col_value)[self._index]
            others: tuple[np.ndarray, ...] = ()
            if target is not None:
                others = tuple(
                    np.asarray(s.col_value)[self._index]
                    for s in h.getSavedMipSolutions()
                    if self._sign * s.objective > target
                )
            return MipResult(
                SolveStatus.TARGET_REACHED if reached else SolveStatus.OPTIMAL,
                values,
                self._sign * h.getInfo().objective_function_value,
                others,
            )
        if status == highspy.HighsModelStatus.kInfeasible:
            return MipResult(SolveStatus.INFEASIBLE, np.zeros(0), np.nan)
        if status == highspy.HighsModelStatus.kTimeLimit:
            return MipResult(SolveStatus.TIME_LIMIT, np.zeros(0), np.nan)
        raise SolverFailure(
            f"HiGHS stopped with status '{h.modelStatusToString(status)}'", hint="try --solver cbc"
        )

    def _solve_cbc(self, time_left: float | None) -> MipResult:
        backend = pulp.PULP_CBC_CMD(
            msg=False,
            gapRel=MIP_REL_GAP,
            gapAbs=MIP_ABS_GAP,
            timeLimit=None if time_left is None else max(1, time_left),
            threads=1,
        )
        code = self.problem.solve(backend)
        if code == pulp.LpStatusOptimal and self.problem.sol_status == pulp.LpSolutionOptimal:
            values = np.array([v.varValue or 0.0 for v in self.variables])
            return MipResult(
                SolveStatus.OPTIMAL, values, float(pulp.value(self.problem.objective) or 0.0)
            )
        if code == pulp.LpStatusInfeasible:
            return MipResult(SolveStatus.INFEASIBLE, np.zeros(0), np.nan)
        if self.problem.sol_status in (
            pulp.LpSolutionIntegerFeasible,
            pulp.LpSolutionNoSolutionFound,
        ):
            return MipResult(SolveStatus.TIME_LIMIT, np.zeros(0), np.nan)
        raise SolverFailure(
            f"CBC stopped with status '{pulp.LpStatus[code]}'", hint="try --solver highs"
        )


def require_optimal(result: MipResult, what: str) -> MipResult:
    """Raise the matching error unless the solve ended optimal."""
    if result.status == SolveStatus.OPTIMAL:
        return result
    if result.status == SolveStatus.TIME_LIMIT:
        raise TimeLimitReached(f"{what} hit the time limit", hint="raise --time-limit")
    raise SolverFailure(f"{what} ended with status '{result.status.value}'")
