"""Quality of a seating, recomputed from scratch, and a lower bound on repeated pairs.

A seating is an (R, n) array: the table (0-based) of every member in every round. The objective
is lexicographic, in this order:

1. balance violations: for every round, table and value of every balanced column, how far the
   table's count lies outside [floor, ceiling] of its proportional share, summed;
2. repeated pairs: over pairs of members not kept together by rule, the sum of
   max(0, meetings - 1), meetings being the rounds in which they share a table (held rounds
   included, see `sortition.tables.earlier`);
3. spread violations: as 1, for the spread columns.

The local search keeps these numbers incrementally; this module is the independent reference that
tests hold it to, and the source of the figures reported to organizers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sortition.tables.model import Column, SeatingProblem, share_bounds


@dataclass(frozen=True)
class Quality:
    """The figures of one seating."""

    balance_violation: int
    repeated_pairs: int
    spread_violation: int
    repeat_lower_bound: int
    worst_balance: dict[str, int]  # column -> largest distance outside floor/ceiling of a table
    worst_spread: dict[str, int]
    pairs_met_twice: int  # distinct pairs (not kept together) who meet more than once
    most_meetings: int  # most rounds any such pair shares a table
    rule_violations: tuple[str, ...]  # empty when every hard rule holds

    @property
    def objective(self) -> tuple[int, int, int]:
        return (self.balance_violation, self.repeated_pairs, self.spread_violation)


def level_weights(problem: SeatingProblem) -> tuple[int, int, int]:
    """(balance, repeats, spread) weights: a unit of a level outweighs every change below it."""
    n, rounds = problem.n, problem.rounds
    spread_max = 2 * n * rounds * len(problem.spread)
    repeat = spread_max + 1
    balance = repeat * (problem.total_rounds * n * (n - 1) // 2 + 1)
    return balance, repeat, 1


def table_counts(column: Column, tables: np.ndarray, num_tables: int) -> np.ndarray:
    """(T, values) counts of each value at each table, for one round's tables."""
    width = len(column.values)
    flat = tables * width + column.codes
    return np.bincount(flat, minlength=num_tables * width).reshape(num_tables, width)


def outside(counts: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Distance of every count outside [low, high], elementwise."""
    distance: np.ndarray = np.maximum(low - counts, 0) + np.maximum(counts - high, 0)
    return distance


def column_violation(problem: SeatingProblem, column: Column, seating: np.ndarray) -> np.ndarray:
    """(R, T, values) distance outside floor/ceiling of every table's count of every value."""
    low, high = share_bounds(column, problem.sizes, problem.n)
    return np.stack(
        [
            outside(table_counts(column, seating[r], problem.num_tables), low, high)
            for r in range(seating.shape[0])
        ]
    )


def meetings(problem: SeatingProblem, seating: np.ndarray) -> np.ndarray:
    """(n, n) rounds each pair shares a table, held rounds included; 0 on the diagonal and for
    pairs kept together."""
    met = problem.earlier_meetings.copy()
    for tables in seating:
        met += tables[:, None] == tables[None, :]
    np.fill_diagonal(met, 0)
    unit_of = problem.unit_of
    met[unit_of[:, None] == unit_of[None, :]] = 0
    return met


RepeatedPair = tuple[int, int, tuple[int, ...]]  # members i < j and the rounds they share


def every_round(problem: SeatingProblem, seating: np.ndarray) -> np.ndarray:
    """(held + R, n): the held rounds (a negative table where a member was not on the panel),
    then the new ones: the whole assembly's seating, rounds numbered alike everywhere."""
    if problem.earlier is None:
        return np.asarray(seating)
    return np.vstack([problem.earlier.tables, seating])


def repeated_meetings(problem: SeatingProblem, seating: np.ndarray) -> list[RepeatedPair]:
    """Every pair (i, j), i < j in panel order, not kept together, that shares a table in more
    than one round, with those rounds (0-based, held rounds first), sorted by i then j: the
    pairs behind the repeated-pairs figure, for `repeats.csv` and the facilitators' pages."""
    seating = np.asarray(seating, dtype=np.int64)
    first, second = np.nonzero(np.triu(meetings(problem, seating), 1) > 1)  # row-major order
    every = every_round(problem, seating)
    # (a member absent from a held round has a negative table there: never a meeting)
    together = (every[:, first] == every[:, second]) & (every[:, first] >= 0)  # (rounds, pairs)
    return [
        (int(i), int(j), tuple(int(r) for r in np.flatnonzero(together[:, k])))
        for k, (i, j) in enumerate(zip(first.tolist(), second.tolist(), strict=True))
    ]


def repeat_lower_bound(problem: SeatingProblem) -> int:
    """Repeated pairs no seating avoids, by counting (0 when counting allows none), plus those
    already in the held rounds (`held_repeats`).

    A member of a unit of k meets at least q - k others outside the unit per round (q the
    smallest table), but only n - k such others exist: over R rounds at least
    R(q - k) - (n - k) of those meetings repeat one, and each repeat is seen by two members.
    Also, all rounds hold sum_t C(s_t, 2) - sum_u C(k_u, 2) meetings of pairs not kept together,
    of which at most that many pairs can be first meetings.
    And by pigeonhole: a table of s members in any round after the first holds members of at
    most T tables (the number of tables) of the round before, so at least the pairs of s split
    as evenly as possible into T parts sat together then too; every such pair not kept together
    repeats a meeting. With fewer tables than seats at a table (40 members at 5 tables of 8),
    this is the bound that counts: 3 of the 28 pairs at every table, every round after the first.
    """
    rounds, n = problem.rounds, problem.n
    q = int(problem.sizes.min())
    unit_sizes = np.array([len(u) for u in problem.units], dtype=np.int64)
    per_unit = np.maximum(rounds * (q - unit_sizes) - (n - unit_sizes), 0) * unit_sizes
    by_member = -(-int(per_unit.sum()) // 2)
    forced = int((unit_sizes * (unit_sizes - 1) // 2).sum())
    per_round = int((problem.sizes * (problem.sizes - 1) // 2).sum()) - forced
    by_total = max(0, rounds * per_round - (n * (n - 1) // 2 - forced))
    again = sum(_pairs_split_evenly(int(s), problem.num_tables) for s in problem.sizes)
    by_tables = (rounds - 1) * max(0, again - forced)
    return held_repeats(problem) + max(by_member, by_total, by_tables)


def held_repeats(problem: SeatingProblem) -> int:
    """Repeated encounters already in the held rounds (0 without them), among members not kept
    together: no seating of the new rounds undoes them. The bounds above count the new rounds
    alone, and max(0, a + b - 1) >= max(0, a - 1) + max(0, b - 1) for meetings a in the held
    rounds and b in the new ones, so their sum with these still bounds the whole."""
    if problem.earlier is None:
        return 0
    met = np.triu(problem.earlier_meetings, 1)
    unit_of = problem.unit_of
    met[unit_of[:, None] == unit_of[None, :]] = 0
    return int(np.maximum(met - 1, 0).sum())


def _pairs_split_evenly(size: int, parts: int) -> int:
    """Pairs inside the parts when `size` members are split as evenly as possible into
    `parts` parts: the fewest pairs any split keeps together."""
    base, larger = divmod(size, parts)
    return larger * (base + 1) * base // 2 + (parts - larger) * base * (base - 1) // 2


def rule_violations(problem: SeatingProblem, seating: np.ndarray) -> tuple[str, ...]:
    """Every broken hard rule, as text (empty if the seating keeps them all)."""
    problems: list[str] = []
    expected = np.sort(problem.sizes)
    if seating.shape != (problem.rounds, problem.n):
        return (f"the seating has shape {seating.shape}, not {(problem.rounds, problem.n)}",)
    for r, tables in enumerate(seating, start=1):
        if tables.min() < 0 or tables.max() >= problem.num_tables:
            problems.append(f"round {r}: a table number out of range")
            continue
        sizes = np.sort(np.bincount(tables, minlength=problem.num_tables))
        if not np.array_equal(sizes, expected):
            problems.append(f"round {r}: table sizes {sizes.tolist()}, not {expected.tolist()}")
        for group in problem.together:
            if len({int(tables[m]) for m in group.members}) > 1:
                problems.append(f"round {r}: {group.describe()} is split")
        for pair in problem.apart:
            if tables[pair.a] == tables[pair.b]:
                problems.append(f"round {r}: {pair.describe(problem.ids)} share a table")
    return tuple(problems)


def evaluate(problem: SeatingProblem, seating: np.ndarray) -> Quality:
    """All figures of a seating, recomputed from scratch."""
    seating = np.asarray(seating, dtype=np.int64)
    violations = rule_violations(problem, seating)
    if violations and violations[0].startswith("the seating has shape"):
        raise ValueError(violations[0])
    balance = {c.name: column_violation(problem, c, seating) for c in problem.balance}
    spread = {c.name: column_violation(problem, c, seating) for c in problem.spread}
    met = meetings(problem, seating)
    upper = np.triu(met, 1)
    return Quality(
        balance_violation=int(sum(int(v.sum()) for v in balance.values())),
        repeated_pairs=int(np.maximum(upper - 1, 0).sum()),
        spread_violation=int(sum(int(v.sum()) for v in spread.values())),
        repeat_lower_bound=repeat_lower_bound(problem),
        worst_balance={name: int(v.max(initial=0)) for name, v in balance.items()},
        worst_spread={name: int(v.max(initial=0)) for name, v in spread.items()},
        pairs_met_twice=int((upper > 1).sum()),
        most_meetings=int(upper.max(initial=0)),
        rule_violations=violations,
    )
