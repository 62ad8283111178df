"""Seeded tabu search over swaps between tables within a round.

Each step picks a round with members in trouble (meeting a table mate again, or at a table with
a value outside its floor/ceiling), prices every swap of up to `ROWS` of them with every member
of another table (`SearchState.swap_deltas`, vectorized), and makes the best swap that is not
tabu, even if it makes things worse. Swaps are compared lexicographically: balance first, then
repeated pairs, then spread. A member may not return to the table it left for a few steps (a
random tenure), unless the swap would beat the best seating so far. Members kept together move as
a unit, exchanged with a unit of the same size or with as many members who sit alone.

Every hard rule holds throughout by construction: swaps keep table sizes, units move whole, and
swaps that would seat a keep-apart pair together are never allowed. The search stops at a
seating that meets the lower bounds (no balance or spread violation, repeated pairs at the
counting bound), after `patience` steps without a better seating, after `max_steps`, or at the
time limit. All randomness comes from the generator passed in and every tie is broken by it, so
the same seed gives the same seating on any machine; only a time limit that cuts the search
short makes the result depend on the machine's speed, and the outcome says so.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sortition.tables.metrics import repeat_lower_bound
from sortition.tables.model import SeatingProblem
from sortition.tables.state import SearchState, Swaps

TENURE = (2, 8)  # a member may not return to the table it left for this many steps (range)
ROWS = 48  # at most this many troubled members priced per step
UNITS = 2  # at most this many troubled units of several members priced per step
CLOCK_EVERY = 32  # steps between looks at the clock (and reports to `on_progress`)

Levels = tuple[int, int, int]
Move = tuple[Levels, list[int], list[int]]  # (change of levels, leaving, arriving)


@dataclass(frozen=True)
class SearchOutcome:
    """The best seating found and how the search ended."""

    seating: np.ndarray
    levels: Levels  # balance, repeats, spread of `seating`
    steps: int
    stopped: str  # "lower bound reached", "no improvement", "step limit", "time limit"


@dataclass(frozen=True)
class SearchProgress:
    """Where a running search stands, for a progress display: steps made and the best seating's
    levels so far, with the lower bound on repeated pairs it is trying to reach."""

    step: int
    balance: int  # values outside their floor/ceiling, summed over tables and rounds
    repeats: int  # pairs who meet more than once
    spread: int
    repeat_bound: int

    def describe(self) -> str:
        """One line for a terminal or a log."""
        return (
            f"search step {self.step:,}: best so far {self.balance} outside floor/ceiling, "
            f"{self.repeats} repeated pairs (lower bound {self.repeat_bound})"
        )


def default_patience(problem: SeatingProblem) -> int:
    """Steps without a better seating before stopping: grows with members and rounds."""
    return max(10_000, 30 * problem.n * problem.rounds)


def local_search(
    problem: SeatingProblem,
    start: np.ndarray,
    rng: np.random.Generator,
    *,
    max_steps: int | None = None,
    patience: int | None = None,
    time_limit: float | None = None,
    on_progress: Callable[[SearchProgress], None] | None = None,
) -> SearchOutcome:
    """Improve `start` (an (R, n) seating keeping every hard rule); see the module docstring.

    `on_progress`, if given, receives a `SearchProgress` every `CLOCK_EVERY` steps (the caller
    throttles); it only reads, so the seating is the same with or without it.
    """
    state = SearchState(problem, start)
    patience = default_patience(problem) if patience is None else patience
    max_steps = 20 * patience if max_steps is None else max_steps
    target = (0, repeat_lower_bound(problem), 0)
    deadline = None if time_limit is None else time.monotonic() + time_limit
    tabu = np.zeros((problem.rounds, problem.n, problem.num_tables), dtype=np.int64)
    best_levels = state.levels
    best = state.seating.copy()
    last_gain = step = 0
    stopped = "step limit"
    while True:
        if best_levels <= target:
            stopped = "lower bound reached"
            break
        if step >= max_steps:
            break
        if step - last_gain > patience:
            stopped = "no improvement"
            break
        if step % CLOCK_EVERY == 0:
            if on_progress is not None:
                on_progress(SearchProgress(step, *best_levels, target[1]))
            if deadline is not None and time.monotonic() > deadline:
                stopped = "time limit"
                break
        step += 1
        troubled = state.troubled()
        rounds = np.flatnonzero(troubled.any(axis=1))
        if not len(rounds):  # above the bound but nobody in trouble: no local move helps
            stopped = "no improvement"
            break
        r = int(rounds[rng.integers(len(rounds))])
        move = _best_move(state, r, np.flatnonzero(troubled[r]), rng, tabu, step, best_levels)
        if move is None:
            continue
        _, leaving, arriving = move
        a, b = int(state.seating[r, leaving[0]]), int(state.seating[r, arriving[0]])
        state.exchange(r, leaving, arriving)
        tenure = int(rng.integers(TENURE[0], TENURE[1] + 1))
        tabu[r, leaving, a] = step + tenure
        tabu[r, arriving, b] = step + tenure
        if state.levels < best_levels:
            best_levels = state.levels
            best = state.seating.copy()
            last_gain = step
    return SearchOutcome(best, best_levels, step, stopped)


def _lexicographic_minima(
    balance: np.ndarray, repeats: np.ndarray, spread: np.ndarray, allowed: np.ndarray
) -> np.ndarray:
    """Mask of the allowed entries whose (balance, repeats, spread) is the least."""
    keep = allowed.copy()
    for level in (balance, repeats, spread):
        keep &= level == level[keep].min()
    return keep


def _best_move(
    state: SearchState,
    r: int,
    troubled: np.ndarray,
    rng: np.random.Generator,
    tabu: np.ndarray,
    step: int,
    best_levels: Levels,
) -> Move | None:
    """The best allowed move in round r of a troubled member (ties broken at random)."""
    alone = troubled[state.singleton[troubled]]
    if len(alone) > ROWS:
        alone = np.sort(rng.choice(alone, size=ROWS, replace=False))
    candidates: list[Move] = []
    if len(alone):
        swaps = state.swap_deltas(r, alone)
        seating = state.seating[r]
        leaving_tabu = tabu[r, alone][:, seating] > step  # i may not go to j's table
        until = np.take(tabu[r], seating[alone], axis=1).T
        arriving_tabu = until > step  # nor j to i's
        is_tabu = leaving_tabu | arriving_tabu
        allowed = swaps.allowed & ~is_tabu
        aspiring = swaps.allowed & is_tabu & _beats(state, swaps, best_levels)
        allowed |= aspiring
        if allowed.any():
            keep = _lexicographic_minima(swaps.balance, swaps.repeats, swaps.spread, allowed)
            rows, cols = np.nonzero(keep)
            k = int(rng.integers(len(rows)))
            row, j = int(rows[k]), int(cols[k])
            change = (
                int(swaps.balance[row, j]),
                int(swaps.repeats[row, j]),
                int(swaps.spread[row, j]),
            )
            candidates.append((change, [int(alone[row])], [j]))
    units = np.unique(state.unit_of[troubled[~state.singleton[troubled]]])
    if len(units) > UNITS:
        units = np.sort(rng.choice(units, size=UNITS, replace=False))
    for u in units.tolist():
        move = _best_unit_move(state, r, u, rng, tabu, step, best_levels)
        if move is not None:
            candidates.append(move)
    if not candidates:
        return None
    lowest = min(c[0] for c in candidates)
    ties = [c for c in candidates if c[0] == lowest]
    return ties[int(rng.integers(len(ties)))]


def _beats(state: SearchState, swaps: Swaps, best: Levels) -> np.ndarray:
    """Elementwise: would the swap make the seating better than `best` (lexicographically)?"""
    b = state.balance + swaps.balance
    r = state.repeats + swaps.repeats
    s = state.spread + swaps.spread
    better: np.ndarray = (b < best[0]) | (
        (b == best[0]) & ((r < best[1]) | ((r == best[1]) & (s < best[2])))
    )
    return better


def _best_unit_move(
    state: SearchState,
    r: int,
    u: int,
    rng: np.random.Generator,
    tabu: np.ndarray,
    step: int,
    best_levels: Levels,
) -> Move | None:
    """For unit u of several members: at every other table, exchange it with a unit of the same
    size there (one at random) or with as many members who sit alone (at random)."""
    unit = list(state.problem.units[u])
    size = len(unit)
    a = int(state.seating[r, unit[0]])
    candidates: list[Move] = []
    for b in range(state.tables):
        if b == a:
            continue
        here = state.members(r, b)
        units_here = np.unique(state.unit_of[here]).tolist()
        same = [v for v in units_here if len(state.problem.units[v]) == size]
        options: list[list[int]] = []
        if same:
            options.append(list(state.problem.units[same[int(rng.integers(len(same)))]]))
        alone = np.sort(here[state.singleton[here]])
        if len(alone) >= size:
            options.append(sorted(rng.choice(alone, size=size, replace=False).tolist()))
        for arriving in options:
            change = state.move_delta(r, unit, arriving)
            if change is None:
                continue
            new = tuple(level + c for level, c in zip(state.levels, change, strict=True))
            is_tabu = bool((tabu[r, unit, b] > step).any() or (tabu[r, arriving, a] > step).any())
            if is_tabu and not new < best_levels:
                continue
            candidates.append((change, unit, arriving))
    if not candidates:
        return None
    lowest = min(c[0] for c in candidates)
    ties = [c for c in candidates if c[0] == lowest]
    return ties[int(rng.integers(len(ties)))]
