"""Rounding a distribution over panels to M equally likely tickets, for a public lottery.

An optimal distribution gives panels probabilities nobody can draw by hand; a public lottery draws
one of M numbered tickets instead, each ticket a concrete quota-satisfying panel. `to_tickets`
keeps every person's share of tickets as close as possible to their optimal probability (target):

1. Largest remainder: composition j of the distribution gets about M * q_j tickets.
2. Seat plan (integer programs, HiGHS or CBC): how many ticket seats each group of interchangeable
   people should hold so that the largest per-person deviation |tickets - M * target| is as small
   as possible. A group's seats go round robin, so members hold floor or ceil of seats / size;
   members may deviate by z exactly when the group holds between size * ceil(goal - z) and
   size * floor(goal + z) seats. A binary search over the possible z (distances from goals to
   whole numbers) finds the smallest z for which seats exist that obey every rule all tickets
   obey together (M * k seats, each quota times M, at most M seats per household); among those,
   the plan moves the fewest seats away from step 1. Nobody with a zero target gets a seat.
   Everybody whose target is worth REPRESENTATION_THRESHOLD tickets or more gets at least one
   ticket, unless that is impossible or raises z above max(optimum, 1 ticket); the lottery's
   `unrepresented` then reports who holds none. Proven optimal, the z of the plan without that
   rule bounds every lottery from below (details["lower_bound"]).
3. Carrying the plan out: a ticket's panel swaps one member of an over-planned group for one of an
   under-planned group (else along a chain of such swaps through other groups) while every quota
   and household rule holds; when no chain is left, an integer program redraws a few tickets
   together. New panels join the compositions. If the plan is still not reached, single swaps
   that lower (largest deviation, people at it) polish the result.
4. Tickets list the compositions in order, t_j copies each; a pointer per group walks its members
   cyclically, so members of a group hold floor or ceil of the group's seats. Rows are sorted.

Deterministic: no clock is read, solves are single-threaded with a node limit and searches break
ties by index, so the same input and library versions give byte-identical tickets on any machine.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pulp

from sortition.distribution import PROBABILITY_TOLERANCE, Distribution
from sortition.errors import UsageError
from sortition.instance import Instance
from sortition.options import SOLVERS
from sortition.panel.rules import PanelRules
from sortition.panel.solver import live_highs_model

DEFAULT_TICKETS = 1000
# Everyone whose target is worth at least this many tickets must hold one, if any plan allows.
REPRESENTATION_THRESHOLD = 0.1
# Branch-and-bound nodes per integer program: a work limit, so no result depends on the clock.
# The seat plan's programs are near-network problems that rarely branch at all.
MIP_NODES = 1000
# Tickets the repair step may redraw at once (it starts with fewer and doubles).
REDRAW_LIMIT = 64
# Relative gap accepted when redrawing: keeping a few more old members is not worth a long search.
REDRAW_GAP = 0.01
# Deviations (in tickets) closer than this are one level for the seat plan.
PLAN_TOLERANCE = 1e-7
# Deviations (in tickets) closer than this count as equal.
TIE_TOLERANCE = 1e-9
# Partner groups tried per vectorized validity check.
PARTNER_CHUNK = 64


@dataclass(frozen=True, eq=False)
class TicketLottery:
    """M equally likely tickets, each a quota-satisfying panel; ticket t is row t - 1."""

    instance: Instance
    tickets: np.ndarray  # (M, k) int64 person indices, each row sorted ascending
    targets: np.ndarray  # (n,) optimal selection probabilities (the distribution's marginals)
    details: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        tickets = np.array(self.tickets, dtype=np.int64)
        targets = np.array(self.targets, dtype=np.float64)
        if tickets.ndim != 2 or tickets.shape[0] < 1:
            raise ValueError("tickets must be a non-empty (M, k) array of person indices")
        if tickets.shape[1] != self.instance.panel_size:
            raise ValueError("every ticket must name k people")
        if targets.shape != (self.instance.size,):
            raise ValueError("one target per registrant is required")
        if tickets.size and (tickets.min() < 0 or tickets.max() >= self.instance.size):
            raise ValueError("tickets must hold person indices 0 .. n - 1")
        tickets.setflags(write=False)
        targets.setflags(write=False)
        object.__setattr__(self, "tickets", tickets)
        object.__setattr__(self, "targets", targets)

    @property
    def num_tickets(self) -> int:
        return int(self.tickets.shape[0])

    @cached_property
    def ticket_counts(self) -> np.ndarray:
        """How many tickets name each registrant."""
        counts = np.bincount(self.tickets.ravel(), minlength=self.instance.size)
        counts.setflags(write=False)
        return counts

    @property
    def shares(self) -> np.ndarray:
        """Each registrant's selection probability under the lottery."""
        return self.ticket_counts / self.num_tickets

    @property
    def deviations(self) -> np.ndarray:
        """Lottery probability minus optimal probability, per registrant."""
        deviations: np.ndarray = self.shares - self.targets
        return deviations

    @property
    def max_deviation(self) -> float:
        return float(np.abs(self.deviations).max())

    @property
    def unrepresented(self) -> int:
        """People with a positive target who hold no ticket."""
        return int(np.sum((self.targets > PROBABILITY_TOLERANCE) & (self.ticket_counts == 0)))

    def ticket(self, number: int) -> np.ndarray:
        """The panel (sorted person indices) on ticket `number`, counted from 1."""
        if not 1 <= number <= self.num_tickets:
            raise UsageError(
                f"there is no ticket {number}", hint=f"draw a number from 1 to {self.num_tickets}"
            )
        ticket: np.ndarray = self.tickets[number - 1]
        return ticket


def check_ticket_count(num_tickets: int) -> None:
    """Refuse a number of tickets that is not a whole number of at least 1 (before any solving)."""
    if isinstance(num_tickets, bool) or not isinstance(num_tickets, int | np.integer):
        raise UsageError(
            f"the number of tickets must be a whole number, got {num_tickets!r}",
            hint="pass a whole number of tickets such as 1000",
        )
    if num_tickets < 1:
        raise UsageError(
            f"the number of tickets must be at least 1, got {num_tickets}",
            hint="pass a number of tickets such as 1000; more tickets follow the targets closer",
        )


def to_tickets(
    distribution: Distribution, num_tickets: int = DEFAULT_TICKETS, *, solver: str = "highs"
) -> TicketLottery:
    """Round `distribution` to `num_tickets` equally likely panels (see the module docstring)."""
    check_ticket_count(num_tickets)
    if solver not in SOLVERS:
        raise UsageError(f"unknown solver '{solver}'", hint=f"choose one of {', '.join(SOLVERS)}")
    total = int(num_tickets)
    instance = distribution.instance
    group_targets = distribution.group_marginals()
    unused = group_targets <= PROBABILITY_TOLERANCE  # these people get no seat
    goal = np.where(unused, 0.0, total * group_targets)
    counts = largest_remainder(distribution.probabilities, total)
    swaps = _SeatSwaps(instance, distribution.compositions, counts, goal, unused, solver)
    wanted = _must_hold_a_ticket(instance, goal, unused, total)
    plan, free = _seat_plan(instance, goal, swaps.seats, wanted, unused, total, solver)
    if not plan.represented:
        wanted = np.zeros_like(wanted)
    limit = total * instance.panel_size
    planned = swaps.follow(plan.seats, limit) if plan.seats is not None else 0
    reached = plan.seats is not None and np.array_equal(swaps.seats, plan.seats)
    polished = 0 if reached and plan.proven else swaps.polish(wanted, limit)
    compositions, counts = swaps.result()
    tickets = _write_tickets(instance, compositions, counts)
    used = np.flatnonzero(counts)
    details: dict[str, object] = {
        "solver": solver,
        "plan_reached": bool(reached),
        "representation_required": plan.represented,
        "swaps": planned + polished,
        "panels": len(used),
        "panels_outside_distribution": int(np.sum(used >= distribution.num_panels)),
    }
    if free.proven:
        # no lottery that gives nobody with a zero target a ticket has a smaller largest
        # deviation (in probability)
        details["lower_bound"] = free.deviation / total
        achieved = _deviation(swaps.seats, instance.groups.sizes, goal, unused)
        details["optimal"] = achieved <= free.deviation + PLAN_TOLERANCE
    targets = group_targets[instance.groups.group_of_person]
    return TicketLottery(instance, tickets, targets, details)


def largest_remainder(probabilities: np.ndarray, total: int) -> np.ndarray:
    """floor(total * q_j), then one more for the largest remainders (ties: lower index first)."""
    exact = total * np.asarray(probabilities, dtype=np.float64)
    counts = np.floor(exact).astype(np.int64)
    missing = total - int(counts.sum())
    order = np.lexsort((np.arange(len(exact)), -(exact - counts)))
    counts[order[: max(missing, 0)]] += 1
    return counts


def member_deviations(seats: np.ndarray, sizes: np.ndarray, goal: np.ndarray) -> np.ndarray:
    """Largest |tickets - goal| over each group's members when its seats go round robin."""
    low = seats // sizes
    deviation = np.abs(low - goal)
    worst: np.ndarray = np.where(
        seats > low * sizes, np.maximum(deviation, np.abs(low + 1 - goal)), deviation
    )
    return worst


def _must_hold_a_ticket(
    instance: Instance, goal: np.ndarray, unused: np.ndarray, total: int
) -> np.ndarray:
    """Groups whose members must all hold a ticket; none if M * k seats cannot cover them."""
    wanted = ~unused & (goal >= REPRESENTATION_THRESHOLD)
    if int(instance.groups.sizes[wanted].sum()) > total * instance.panel_size:
        wanted[:] = False
    return wanted


@dataclass(frozen=True)
class _Plan:
    seats: np.ndarray | None  # (G,) planned seats per group; None if no plan was found
    deviation: float  # the plan's largest per-person deviation, in tickets
    proven: bool  # no plan under the same rules has a smaller largest deviation
    represented: bool  # the plan gives a ticket to every wanted group


def _seat_plan(
    instance: Instance,
    goal: np.ndarray,
    start: np.ndarray,
    wanted: np.ndarray,
    unused: np.ndarray,
    total: int,
    solver: str,
) -> tuple[_Plan, _Plan]:
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

    def search(wanted: np.ndarray, cap: float) -> _Plan:
        def bounds(level: float) -> tuple[np.ndarray, np.ndarray]:
            lowest = np.maximum(np.ceil(goal - level - PLAN_TOLERANCE), wanted.astype(np.int64))
            highest = np.minimum(np.floor(goal + level + PLAN_TOLERANCE), total)
            lowest, highest = np.maximum(lowest, 0) * sizes, highest * sizes
            lowest[unused] = highest[unused] = 0
            return lowest.astype(np.int64), highest.astype(np.int64)

        seats, _ = model.solve(*bounds(cap))
        if seats is None:
            return _Plan(None, np.inf, False, False)
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
        return _Plan(seats, _deviation(seats, sizes, goal, unused), proven, bool(wanted.any()))

    free = search(np.zeros_like(wanted), max(_deviation(start, sizes, goal, unused), 0.0))
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


def _deviation(seats: np.ndarray, sizes: np.ndarray, goal: np.ndarray, unused: np.ndarray) -> float:
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
        self.mip = _Mip(problem, self.seats, solver)

    def solve(self, lowest: np.ndarray, highest: np.ndarray) -> tuple[np.ndarray | None, bool]:
        """Seats within the bounds, or None; the flag says whether None is proven."""
        return self.mip.solve(lowest, highest)


class _Mip:
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


class _SeatSwaps:
    """Tickets as (composition, count) pairs, changed one seat swap at a time.

    A swap takes one ticket of composition j and trades a member of group a for one of group b;
    the result must meet every quota and household rule and joins the compositions
    (deduplicated). Only the seats of a and b change, so a swap targets deviations directly.
    """

    def __init__(
        self,
        instance: Instance,
        compositions: np.ndarray,
        counts: np.ndarray,
        goal: np.ndarray,
        unused: np.ndarray,
        solver: str,
    ) -> None:
        self.instance = instance
        self.solver = solver
        self.rules = PanelRules.of(instance)
        self.sizes = self.rules.unit_sizes
        self.goal = goal
        self.unused = unused
        num_groups = len(self.sizes)
        # rows 1 .. quota_rows - 1 are the quota rows (feature values in order)
        self.quota_rows = 1 + sum(family.size for family in self.rules.quota_families)
        self.comps = np.array(compositions, dtype=np.int64)
        self.counts = np.array(counts, dtype=np.int64)
        self.usage = self.rules.usage(self.comps).astype(np.int32)  # (P, rows) of every ticket
        self.size = len(self.counts)
        self.original = self.size  # compositions of the distribution come first
        self.index = {row.tobytes(): j for j, row in enumerate(self.comps)}
        self.seats = self.counts @ self.comps
        self.every = np.arange(num_groups)

    def result(self) -> tuple[np.ndarray, np.ndarray]:
        return self.comps[: self.size], self.counts[: self.size]

    # -- following the plan ----------------------------------------------------------------------

    def follow(self, plan: np.ndarray, limit: int) -> int:
        """Swap seats from groups above the plan to groups below it, as far as panels allow."""
        moves = 0
        stuck = np.zeros(len(self.every), dtype=bool)  # no direct swap found for them lately
        while moves < limit:
            excess = self.seats - plan
            below = np.flatnonzero(excess < 0)
            if not len(below):
                break
            partners = below[np.argsort(excess[below], kind="stable")]
            above = np.flatnonzero(excess > 0)
            for g in above[~stuck[above]].tolist():
                if self.swap_out(g, partners):
                    break
                stuck[g] = True
            else:
                g = -1
            if g >= 0:
                moves += 1
                continue
            chain = self.chain(above, below)
            if chain is not None and self.swap_along(chain):
                moves += len(chain) - 1
            else:
                changed = self.redraw(excess)
                if not changed:
                    break
                moves += changed
        return moves

    def redraw(self, excess: np.ndarray) -> int:
        """Redraw a few tickets at once with an integer program so that together they move the
        seats by -excess, each still a valid panel; for when no chain of single swaps does.
        Returns how many tickets changed (0: none found within REDRAW_LIMIT tickets)."""
        used = self._new_first(np.flatnonzero(self.counts[: self.size] > 0))
        picked: list[int] = []
        left = self.counts[: self.size].copy()

        def pick(suits: np.ndarray, number: int) -> None:
            """Make sure `number` picked tickets suit, picking more where needed."""
            number -= int(np.sum(suits[picked])) if picked else 0
            for j in used[suits[used]].tolist():
                if number <= 0:
                    return
                take = min(int(left[j]), number)
                picked.extend([j] * take)
                left[j] -= take
                number -= take

        comps = self.comps[: self.size]
        for g in np.flatnonzero(excess > 0).tolist():
            pick(comps[:, g] >= 1, int(excess[g]))
        # where the plan uses a quota to the full, only the few tickets with room can change
        shift = self.rules.usage(-excess)
        values = self.usage[: self.size]
        upper, lower = self.rules.row_upper, self.rules.row_lower
        for v in (1 + np.flatnonzero(shift[1 : self.quota_rows])).tolist():
            if shift[v] > 0:
                pick(values[:, v] < upper[v], int(shift[v]))
            else:
                pick(values[:, v] > lower[v], int(-shift[v]))
        for g in np.flatnonzero(excess < 0).tolist():
            pick(comps[:, g] < self.sizes[g], int(-excess[g]))
        while 0 < len(picked) <= REDRAW_LIMIT:
            rows = np.array(picked)
            panels = _redraw(self.instance, self.comps[rows], -excess, self.unused, self.solver)
            if panels is not None:
                changed = 0
                for j, old, new in zip(rows.tolist(), self.comps[rows], panels, strict=True):
                    if not np.array_equal(old, new):
                        self.move(j, new - old)
                        changed += 1
                return changed
            if len(rows) == REDRAW_LIMIT:
                break
            # more tickets give the program more room
            pick(np.ones(self.size, dtype=bool), min(2 * len(rows), REDRAW_LIMIT))
            if len(picked) == len(rows):
                break
        return 0

    def chain(self, sources: np.ndarray, targets: np.ndarray) -> list[int] | None:
        """Shortest chain of groups from a source to a target in which every link a -> b is a
        swap (a member of a out, one of b in) that some used panel allows (breadth first)."""
        parent = np.full(len(self.every), -1)
        seen = np.zeros(len(self.every), dtype=bool)
        seen[sources] = True
        is_target = np.zeros(len(self.every), dtype=bool)
        is_target[targets] = True
        frontier = sources.tolist()
        while frontier:
            following: list[int] = []
            for a in frontier:
                rows = self._rows_with(a)
                open_groups = self.every[~seen & ~self.unused]
                if not len(rows) or not len(open_groups):
                    continue
                reached = open_groups[self.allowed(rows, np.array([a]), open_groups).any(axis=0)]
                seen[reached] = True
                parent[reached] = a
                hits = reached[is_target[reached]]
                if len(hits):
                    chain = [int(hits[0])]
                    while parent[chain[-1]] >= 0:
                        chain.append(int(parent[chain[-1]]))
                    return chain[::-1]
                following += reached.tolist()
            frontier = following
        return None

    def swap_along(self, chain: list[int]) -> bool:
        """Apply the swaps of a chain in order; undo them all if one is no longer allowed."""
        for done, (a, b) in enumerate(itertools.pairwise(chain)):
            if not self.swap_out(a, np.array([b])):
                for c, d in reversed(list(itertools.pairwise(chain[: done + 1]))):
                    self.swap_out(d, np.array([c]))
                return False
        return True

    # -- polishing the largest deviation ---------------------------------------------------------

    def polish(self, wanted: np.ndarray, limit: int) -> int:
        """Swaps that give a missing ticket to a wanted group, else lower (largest deviation,
        people at it) lexicographically; the first improving swap in index order is taken."""
        wanted = wanted.copy()
        moves = 0
        while moves < limit:
            missing = wanted & (self.seats < self.sizes)
            if missing.any():
                if any(self.represent(g, wanted) for g in np.flatnonzero(missing).tolist()):
                    moves += 1
                    continue
                wanted &= ~missing  # no swap helps them; they stay unrepresented
            deviation = member_deviations(self.seats, self.sizes, self.goal)
            level = float(deviation.max()) if len(deviation) else 0.0
            if level <= TIE_TOLERANCE:
                break
            worst = np.flatnonzero(deviation >= level - TIE_TOLERANCE).tolist()
            if not any(self.improve(g, level, wanted) for g in worst):
                break
            moves += 1
        return moves

    def surplus(self) -> np.ndarray:
        """Tickets per member above the goal (negative: below)."""
        surplus: np.ndarray = self.seats / self.sizes - self.goal
        return surplus

    def at_least(self, seats: np.ndarray, level: float) -> np.ndarray:
        """How many members of each group deviate by `level` (within the tolerance) or more."""
        low = seats // self.sizes
        high = seats - low * self.sizes
        cut = level - TIE_TOLERANCE
        counts: np.ndarray = (np.abs(low - self.goal) >= cut) * (self.sizes - high) + (
            np.abs(low + 1 - self.goal) >= cut
        ) * high
        return counts

    def represent(self, g: int, wanted: np.ndarray) -> bool:
        """Give wanted group g a seat from the group furthest above its goal that can spare one."""
        spare = self.seats - 1
        allowed = (spare >= 0) & (~wanted | (spare >= self.sizes))
        allowed[g] = False
        order = np.lexsort((self.every, -self.surplus()))
        return self.swap_in(g, order[allowed[order]])

    def improve(self, g: int, level: float, wanted: np.ndarray) -> bool:
        """One seat to or from worst group g, if (worst level, people at it) goes down."""
        for step in (-1, 1):
            partners = self.partners(g, step, level, wanted)
            if self.swap_in(g, partners) if step > 0 else self.swap_out(g, partners):
                return True
        return False

    def partners(self, g: int, step: int, level: float, wanted: np.ndarray) -> np.ndarray:
        """Groups that may take the other side when worst group g changes by `step` seats,
        the ones with the opposite need first, then by index."""
        seats = self.seats.copy()
        seats[g] += step
        if seats[g] < 0 or (wanted[g] and seats[g] < self.sizes[g]):
            return self.every[:0]
        if step > 0 and self.unused[g]:
            return self.every[:0]
        g_after = member_deviations(seats[g : g + 1], self.sizes[g : g + 1], self.goal[g : g + 1])
        if g_after[0] > level + TIE_TOLERANCE:
            return self.every[:0]
        before = self.at_least(self.seats, level)
        gained = before[g] - self.at_least(seats, level)[g]
        partner_seats = self.seats - step
        ok = partner_seats >= 0
        ok &= member_deviations(partner_seats, self.sizes, self.goal) <= level + TIE_TOLERANCE
        ok &= ~wanted | (partner_seats >= self.sizes)
        ok &= before - self.at_least(partner_seats, level) + gained > 0
        if step < 0:
            ok &= ~self.unused
        ok[g] = False
        order = np.lexsort((self.every, -step * self.surplus()))
        return order[ok[order]]

    # -- swaps ------------------------------------------------------------------------------------

    def _rows_with(self, g: int) -> np.ndarray:
        """Used compositions with a member of g; new ones first, so fewer new panels appear."""
        used = (self.counts[: self.size] > 0) & (self.comps[: self.size, g] >= 1)
        return self._new_first(np.flatnonzero(used))

    def _new_first(self, rows: np.ndarray) -> np.ndarray:
        return np.concatenate([rows[rows >= self.original][::-1], rows[rows < self.original]])

    def swap_out(self, g: int, partners: np.ndarray) -> bool:
        """Replace a member of g by one of the first partner group some used panel allows."""
        return self._swap(self._rows_with(g), partners, lambda chunk: (np.array([g]), chunk))

    def swap_in(self, g: int, partners: np.ndarray) -> bool:
        """Replace a member of the first partner group some used panel allows by a member of g."""
        used = (self.counts[: self.size] > 0) & (self.comps[: self.size, g] < self.sizes[g])
        rows = self._new_first(np.flatnonzero(used))
        return self._swap(rows, partners, lambda chunk: (chunk, np.array([g])))

    def _swap(
        self,
        rows: np.ndarray,
        partners: np.ndarray,
        pairs: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]],
    ) -> bool:
        if not len(rows) or not len(partners):
            return False
        for start in range(0, len(partners), PARTNER_CHUNK):
            out_groups, in_groups = pairs(partners[start : start + PARTNER_CHUNK])
            hits = np.argwhere(self.allowed(rows, out_groups, in_groups).T)  # partner-major
            if len(hits):
                pair, row = hits[0]
                out_group = int(out_groups[pair if len(out_groups) > 1 else 0])
                in_group = int(in_groups[pair if len(in_groups) > 1 else 0])
                self.apply(int(rows[row]), out_group, in_group)
                return True
        return False

    def allowed(
        self, rows: np.ndarray, out_groups: np.ndarray, in_groups: np.ndarray
    ) -> np.ndarray:
        """(rows, pairs): may panel `rows` swap a member of out_groups[i] for in_groups[i]?

        One of out_groups / in_groups has length 1 and is broadcast against the other.
        """
        comps = self.comps[rows]
        ok: np.ndarray = (comps[:, out_groups] >= 1) & (comps[:, in_groups] < self.sizes[in_groups])
        ok &= (out_groups != in_groups)[None, :]
        ok &= self.rules.swap_allowed(self.usage[rows], out_groups, in_groups)
        return ok

    def apply(self, j: int, out_group: int, in_group: int) -> None:
        change = np.zeros(len(self.every), dtype=np.int64)
        change[out_group] -= 1
        change[in_group] += 1
        self.move(j, change)

    def move(self, j: int, change: np.ndarray) -> None:
        """One ticket of composition j becomes composition j + change."""
        row = self.comps[j] + change
        target = self.index.get(row.tobytes())
        if target is None:
            target = self._append(row)
            changed = np.flatnonzero(change)
            self.usage[target] = self.usage[j]
            self.rules.add_usage(self.usage[target], changed, change[changed])
        self.counts[j] -= 1
        self.counts[target] += 1
        self.seats += change

    def _append(self, row: np.ndarray) -> int:
        if self.size == len(self.counts):
            grow = max(16, self.size)
            self.comps = _extend(self.comps, grow)
            self.usage = _extend(self.usage, grow)
            self.counts = np.concatenate([self.counts, np.zeros(grow, dtype=np.int64)])
        j = self.size
        self.comps[j] = row
        self.index[row.tobytes()] = j
        self.size += 1
        return j


def _redraw(
    instance: Instance, old: np.ndarray, change: np.ndarray, unused: np.ndarray, solver: str
) -> np.ndarray | None:
    """New contents for the panels `old` (R, G) that together hold `change` more seats per
    group, each meeting every quota and household rule, keeping as many old members as possible.
    Only groups already on these panels or named in `change` may appear on them.
    """
    rules = PanelRules.of(instance)
    needed = old.sum(axis=0) + change
    pool = np.flatnonzero((needed > 0) | (old.sum(axis=0) > 0))
    sizes = rules.unit_sizes[pool].tolist()
    problem = pulp.LpProblem("redraw", pulp.LpMaximize)
    seats: list[list[pulp.LpVariable]] = []
    kept = []
    # every rule's classes restricted to the pool, in local indices
    quotas = [
        (family.index, v, np.flatnonzero(family.of_unit[pool] == v), lower, upper)
        for family in rules.quota_families
        for v, (lower, upper) in enumerate(zip(family.lower, family.upper, strict=True))
    ]
    housed = rules.household_family.of_unit[pool]
    households = [
        present
        for c in range(rules.household_family.size)
        if len(present := np.flatnonzero(housed == c)) > 1
    ]
    for r, panel in enumerate(old[:, pool]):
        row = [
            pulp.LpVariable(f"y_{r}_{i}", 0, size, cat=pulp.LpInteger)
            for i, size in enumerate(sizes)
        ]
        seats.append(row)
        for i in np.flatnonzero(panel).tolist():
            keep = pulp.LpVariable(f"keep_{r}_{i}", 0, int(panel[i]))
            problem += keep - row[i] <= 0, f"kept_{r}_{i}"
            kept.append(keep)
        problem += pulp.lpSum(row) == instance.panel_size, f"size_{r}"
        for f, v, holders, lower, upper in quotas:
            count = pulp.lpSum(row[i] for i in holders.tolist())
            problem += count >= int(lower), f"min_{r}_{f}_{v}"
            problem += count <= int(upper), f"max_{r}_{f}_{v}"
        for h, members in enumerate(households):
            problem += pulp.lpSum(row[i] for i in members.tolist()) <= 1, f"household_{r}_{h}"
    for i, g in enumerate(pool.tolist()):
        problem += pulp.lpSum(row[i] for row in seats) == int(needed[g]), f"seats_{i}"
    problem += pulp.lpSum(kept)
    variables = [v for row in seats for v in row]
    values, _ = _Mip(problem, variables, solver, gap=REDRAW_GAP).solve()
    if values is None:
        return None
    panels = np.zeros_like(old)
    panels[:, pool] = values.reshape(len(old), len(pool))
    return panels


def _extend(array: np.ndarray, rows: int) -> np.ndarray:
    return np.vstack([array, np.zeros((rows, array.shape[1]), dtype=array.dtype)])


def _write_tickets(instance: Instance, compositions: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """t_j copies of composition j in order; in each group a pointer walks the members."""
    groups = instance.groups
    sizes = groups.sizes
    tickets = np.empty((int(counts.sum()), instance.panel_size), dtype=np.int64)
    handed_out = np.zeros(len(groups), dtype=np.int64)  # seats of each group so far
    row = 0
    for j, copies in enumerate(counts.tolist()):
        if copies == 0:
            continue
        block = []
        for g in np.flatnonzero(compositions[j]).tolist():
            take = int(compositions[j, g])
            # copy i takes the group's seats handed_out + i * take + 0 .. take - 1, cyclically
            seat = handed_out[g] + np.arange(copies)[:, None] * take + np.arange(take)[None, :]
            block.append(groups.members[g][seat % sizes[g]])
            handed_out[g] += copies * take
        tickets[row : row + copies] = np.sort(np.hstack(block), axis=1)
        row += copies
    return tickets
