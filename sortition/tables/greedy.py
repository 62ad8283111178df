"""The greedy baseline: each member, in turn, to the least similar table with a free seat.

This is what organizers do by hand or with a script such as groupselect, and the local search's
starting point. Round by round, units (members kept together, or alone) are seated one at a time:
first those under rules (largest, then most keep-apart pairs), then everyone else in a seeded
random order. A unit goes to the allowed table (enough free seats, none of its keep-apart
partners there) that is least similar to it, comparing in this order:

1. members already there who share one of its balanced values (summed over columns and members);
2. members there it has met in earlier rounds;
3. members there sharing one of its spread values;
4. then the table with more free seats, then a seeded random choice.

The greedy pass can paint itself into a corner with keep-apart pairs (a unit with no allowed
table left); that round then falls back to the seating that proved the rules feasible, with the
members who sit alone shuffled among their seats.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sortition.tables.model import Column, SeatingProblem


def greedy_seating(
    problem: SeatingProblem, rng: np.random.Generator, feasible: np.ndarray
) -> tuple[np.ndarray, int]:
    """An (R, n) seating and the number of rounds that fell back to `feasible`."""
    n, rounds = problem.n, problem.rounds
    units = problem.units
    unit_of = problem.unit_of
    balanced = _one_hot(problem.balance, n)
    spread = _one_hot(problem.spread, n)
    met = problem.earlier_meetings.copy()  # (held rounds, if any, count as met)
    partners: list[set[int]] = [set() for _ in range(n)]
    for a, b in problem.apart_pairs.tolist():
        partners[a].add(b)
        partners[b].add(a)
    unit_degree = np.zeros(len(units), dtype=np.int64)
    for a, b in problem.apart_pairs.tolist():
        unit_degree[unit_of[a]] += 1
        unit_degree[unit_of[b]] += 1
    ruled = [u for u in range(len(units)) if len(units[u]) > 1 or unit_degree[u] > 0]
    free_units = [u for u in range(len(units)) if u not in set(ruled)]

    seating = np.empty((rounds, n), dtype=np.int64)
    fallbacks = 0
    for r in range(rounds):
        keys = rng.random(len(units))
        order = sorted(ruled, key=lambda u: (-len(units[u]), -unit_degree[u], keys[u]))
        order += sorted(free_units, key=lambda u: keys[u])
        row = _seat_round(problem, order, balanced, spread, met, partners, rng)
        if row is None:
            row = _shuffled(problem, feasible, rng)
            fallbacks += 1
        seating[r] = row
        met += row[:, None] == row[None, :]
    return seating, fallbacks


def _one_hot(columns: Sequence[Column], n: int) -> np.ndarray:
    """(n, values) 0/1 matrix of the columns' values side by side."""
    parts = [np.eye(len(c.values), dtype=np.int64)[c.codes] for c in columns]
    return np.hstack(parts) if parts else np.zeros((n, 0), dtype=np.int64)


def _seat_round(
    problem: SeatingProblem,
    order: list[int],
    balanced: np.ndarray,
    spread: np.ndarray,
    met: np.ndarray,
    partners: list[set[int]],
    rng: np.random.Generator,
) -> np.ndarray | None:
    tables = problem.num_tables
    free = problem.sizes.copy()
    row = np.full(problem.n, -1, dtype=np.int64)
    balance_at = np.zeros((tables, balanced.shape[1]), dtype=np.int64)
    spread_at = np.zeros((tables, spread.shape[1]), dtype=np.int64)
    met_at = np.zeros((problem.n, tables), dtype=np.int64)  # met_at[i, t]: i has met, at t
    for u in order:
        members = list(problem.units[u])
        size = len(members)
        banned = {int(row[p]) for m in members for p in partners[m] if row[p] >= 0}
        allowed = [t for t in range(tables) if free[t] >= size and t not in banned]
        if not allowed:
            return None
        options = np.array(allowed, dtype=np.int64)
        similar = (balance_at[options] @ balanced[members].sum(0)).astype(np.int64)
        known = met_at[members][:, options].sum(0)
        alike = (spread_at[options] @ spread[members].sum(0)).astype(np.int64)
        keys = np.lexsort((rng.random(len(options)), -free[options], alike, known, similar))
        t = int(options[keys[0]])
        row[members] = t
        free[t] -= size
        balance_at[t] += balanced[members].sum(0)
        spread_at[t] += spread[members].sum(0)
        met_at[:, t] += (met[:, members] > 0).sum(1)
    return row


def _shuffled(
    problem: SeatingProblem, feasible: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """The feasible seating with the members who sit alone and under no rule shuffled."""
    row = feasible.copy()
    loose = np.ones(problem.n, dtype=bool)
    for members in problem.units:
        if len(members) > 1:
            loose[list(members)] = False
    loose[problem.apart_pairs.ravel()] = False
    idx = np.flatnonzero(loose)
    row[idx] = row[idx][rng.permutation(len(idx))]
    return row
