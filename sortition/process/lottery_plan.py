"""The lottery's seat plan: how many ticket seats each group of interchangeable people holds.

It owns step 2 of `sortition.process.lottery.to_tickets`: `seat_plan` binary-searches the
smallest largest per-person deviation for which seats exist that obey every rule all tickets obey
together (`_PlanModel`), moving the fewest seats away from the start. It also owns `Mip`, the
deterministic integer-program runner (HiGHS or CBC, single-threaded, node-limited) that the seat
plan and the ticket redraws (`sortition.process.lottery_swaps`) share, and `member_deviations`,
the per-group deviation both the plan and the swaps measure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pulp

from sortition.instance import Instance
from sortition.panel.rules import PanelRules
from sortition.panel.solver import live_highs_model

# Branch-and-bound nodes per integer program: a work limit, so no result depends on the clock.
# The seat plan's programs are near-network problems that rarely branch at all.
MIP_NODES = 1000
# Deviations (in tickets) closer than this are one level for the seat plan.
PLAN_TOLERANCE = 1e-7


def member_deviations(seats: np.ndarray, sizes: np.ndarray, goal: np.ndarray) -> np.ndarray:
    """Largest |tickets - goal| over each group's members when its seats go round robin."""
    low = seats // sizes
    deviation = np.abs(low - goal)
    worst: np.ndarray = np.where(
        seats > low * sizes, np.maximum(deviation, np.abs(low + 1 - goal)), deviation
    )
    return worst


@dataclass(frozen=True)
class Plan:
    seats: np.ndarray | None  # (G,) planned seats per group; None if no plan was found
    deviation: float  # the plan's largest per-person deviation, in tickets
    proven: bool  # no plan under the same rules has a smaller largest deviation
    represented: bool  # the plan gives a ticket to every wanted group


def seat_plan(
    instance: Instance,
    goal: np.ndarray,
    start: np.ndarray,
    wanted: np.ndarray,
    unused: np.ndarray,
    total: int,
    solver: str,
) -> tuple[Plan, Plan]:
    """Seats per group with the smallest possible largest per-person deviation, and among those
    the fewest seats moved away from `start`: (the plan to follow, the plan without the
    representation rule, whose proven deviation bounds every lottery).

    A group of size s whose members may deviate by z can hold s * ceil(goal - z) up to
    s * floor(goal + z) seats (members hold floor or ceil of seats / s), an interval; so for each
    candidate z (a distance from a goal to a whole number) the plan is a small integer program
    with bounds, and a binary search over the candidates finds the smallest feasible z.
    Representation is kept only if it costs at most one ticket more than the free optimum.
    """
    sizes = instance.groups.sizes
    model = _PlanModel(instance, start, total, solver)

    def search(wanted: np.ndarray, cap: float) -> Plan:
        def bounds(level: float) -> tuple[np.ndarray, np.ndarray]:
            lowest = np.maximum(np.ceil(goal - level - PLAN_TOLERANCE), wanted.astype(np.int64))
            highest = np.minimum(np.floor(goal + level + PLAN_TOLERANCE), total)
            lowest, highest = np.maximum(lowest, 0) * sizes, highest * sizes
            lowest[unused] = highest[unused] = 0
            return lowest.astype(np.int64), highest.astype(np.int64)

        seats, _ = model.solve(*bounds(cap))
        if seats is None:
            return Plan(None, np.inf, False, False)
        levels = _candidate_levels(goal[~unused], cap)
        low, high = 0, len(levels)  # levels[high:] and cap are feasible; below `low` none is
        proven = True
        while low < high:
            middle = (low + high) // 2
            lowest, highest = bounds(levels[middle])
            found, infeasible = (
                (None, True) if np.any(lowest > highest) else model.solve(lowest, highest)
            )
            if found is None:
                low = middle + 1
                proven &= infeasible
            else:
                high, seats = middle, found
        return Plan(seats, deviation(seats, sizes, goal, unused), proven, bool(wanted.any()))

    free = search(np.zeros_like(wanted), max(deviation(start, sizes, goal, unused), 0.0))
    if free.seats is None:  # only if `start` breaks a rule itself: try without a cap
        free = search(np.zeros_like(wanted), np.inf)
    if not wanted.any() or free.seats is None:
        return free, free
    held = search(wanted, max(free.deviation, 1.0))
    return (held if held.seats is not None else free), free


def _candidate_levels(goal: np.ndarray, cap: float) -> np.ndarray:
    """Sorted distances from goals to whole numbers up to `cap` (merged within the tolerance):
    the largest deviation of a plan is one of them."""
    if not np.isfinite(cap):
        cap = float(np.max(goal, initial=0.0))
    reach = int(np.ceil(cap)) + 1
    base = np.floor(goal)
    levels = np.abs(goal[:, None] - (base[:, None] + np.arange(-reach, reach + 2)[None, :]))
    levels = np.sort(levels[levels <= cap + PLAN_TOLERANCE])
    keep = np.ones(len(levels), dtype=bool)
    keep[1:] = np.diff(levels) > PLAN_TOLERANCE
    return levels[keep]


def deviation(seats: np.ndarray, sizes: np.ndarray, goal: np.ndarray, unused: np.ndarray) -> float:
    deviation = member_deviations(seats, sizes, goal)[~unused]
    return float(deviation.max()) if len(deviation) else 0.0


class _PlanModel:
    """Seats per group meeting every rule all tickets obey together, as close to `start` as
    possible (fewest seats moved): sum M * k, each quota times M, at most M per household."""

    def __init__(self, instance: Instance, start: np.ndarray, total: int, solver: str) -> None:
        groups = instance.groups
        sizes = groups.sizes.tolist()
        width = len(str(len(sizes)))
        problem = pulp.LpProblem("seat_plan", pulp.LpMinimize)
        self.seats = [
            pulp.LpVariable(f"seats_{g:0{width}d}", 0, total * size, cat=pulp.LpInteger)
            for g, size in enumerate(sizes)
        ]
        more = [pulp.LpVariable(f"more_{g:0{width}d}", 0) for g in range(len(sizes))]
        fewer = [pulp.LpVariable(f"fewer_{g:0{width}d}", 0) for g in range(len(sizes))]
        problem += pulp.lpSum(more) + pulp.lpSum(fewer)
        for g, (seats, up, down) in enumerate(zip(self.seats, more, fewer, strict=True)):
            problem += seats - up + down == int(start[g]), f"moved_{g:0{width}d}"
        problem += pulp.lpSum(self.seats) == total * instance.panel_size, "panel_size"
        rules = PanelRules.of(instance)
        for family in rules.quota_families:
            f = family.index
            for v, holders in enumerate(family.members):
                count = pulp.lpSum(self.seats[g] for g in holders.tolist())
                problem += count >= total * int(family.lower[v]), f"min_{f}_{v}"
                problem += count <= total * int(family.upper[v]), f"max_{f}_{v}"
        houses = rules.household_family
        for label, members in zip(houses.labels, houses.members, strict=True):
            seats = pulp.lpSum(self.seats[g] for g in members.tolist())
            problem += seats <= total, f"household_{label}"
        self.mip = Mip(problem, self.seats, solver)

    def solve(self, lowest: np.ndarray, highest: np.ndarray) -> tuple[np.ndarray | None, bool]:
        """Seats within the bounds, or None; the flag says whether None is proven."""
        return self.mip.solve(lowest, highest)


class Mip:
    """A PuLP model solved single-threaded with a node limit by HiGHS (built once; bounds change
    in place) or CBC. `solve` returns the rounded values of `variables`, or None and whether the
    model is proven infeasible."""

    def __init__(
        self,
        problem: pulp.LpProblem,
        variables: list[pulp.LpVariable],
        solver: str,
        gap: float = 0.0,
    ) -> None:
        self.problem = problem
        self.variables = variables
        self.gap = gap
        self._highs = None
        if solver == "highs":
            h = live_highs_model(problem)
            h.setOptionValue("mip_rel_gap", gap)
            h.setOptionValue("mip_max_nodes", MIP_NODES)
            self._highs = h
            self._index = np.array([v.index for v in variables], dtype=np.int32)

    def solve(
        self, lowest: np.ndarray | None = None, highest: np.ndarray | None = None
    ) -> tuple[np.ndarray | None, bool]:
        if self._highs is not None:
            return self._solve_highs(self._highs, lowest, highest)
        if lowest is not None and highest is not None:
            for variable, low, high in zip(
                self.variables, lowest.tolist(), highest.tolist(), strict=True
            ):
                variable.lowBound, variable.upBound = low, high
        backend = pulp.PULP_CBC_CMD(msg=False, threads=1, gapRel=self.gap, maxNodes=MIP_NODES)
        code = self.problem.solve(backend)
        if self.problem.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
            values = np.array([v.varValue or 0.0 for v in self.variables])
            return np.rint(values).astype(np.int64), False
        return None, code == pulp.LpStatusInfeasible

    def _solve_highs(
        self, h: Any, lowest: np.ndarray | None, highest: np.ndarray | None
    ) -> tuple[np.ndarray | None, bool]:
        import highspy

        if lowest is not None and highest is not None:
            h.changeColsBounds(
                len(self._index),
                self._index,
                lowest.astype(np.float64),
                highest.astype(np.float64),
            )
        h.run()
        feasible = int(highspy.SolutionStatus.kSolutionStatusFeasible)
        if h.getInfo().primal_solution_status == feasible:
            values = np.asarray(h.getSolution().col_value)[self._index]
            return np.rint(values).astype(np.int64), False
        return None, h.getModelStatus() == highspy.HighsModelStatus.kInfeasible
