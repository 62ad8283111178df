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

This module owns steps 1 and 4 and the public API; step 2 lives in `lottery_plan`, step 3 in
`lottery_swaps`.

Deterministic: no clock is read, solves are single-threaded with a node limit and searches break
ties by index, so the same input and library versions give byte-identical tickets on any machine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from sortition.distribution import PROBABILITY_TOLERANCE, Distribution
from sortition.errors import UsageError
from sortition.instance import Instance
from sortition.options import SOLVERS
from sortition.process.lottery_plan import PLAN_TOLERANCE, deviation, seat_plan
from sortition.process.lottery_swaps import SeatSwaps

DEFAULT_TICKETS = 1000
# Everyone whose target is worth at least this many tickets must hold one, if any plan allows.
REPRESENTATION_THRESHOLD = 0.1


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
    swaps = SeatSwaps(instance, distribution.compositions, counts, goal, unused, solver)
    wanted = _must_hold_a_ticket(instance, goal, unused, total)
    plan, free = seat_plan(instance, goal, swaps.seats, wanted, unused, total, solver)
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
        achieved = deviation(swaps.seats, instance.groups.sizes, goal, unused)
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


def _must_hold_a_ticket(
    instance: Instance, goal: np.ndarray, unused: np.ndarray, total: int
) -> np.ndarray:
    """Groups whose members must all hold a ticket; none if M * k seats cannot cover them."""
    wanted = ~unused & (goal >= REPRESENTATION_THRESHOLD)
    if int(instance.groups.sizes[wanted].sum()) > total * instance.panel_size:
        wanted[:] = False
    return wanted


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
