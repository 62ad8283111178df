"""The local search's working state: a seating plus the counts that make a move's effect cheap.

Kept up to date move by move, so that no move recomputes whole tables:

- `counts[r, t, v]`: members of (global) value v at table t in round r, over balanced and spread
  columns; `cells` holds each count's distance outside [floor, ceiling] of the proportional share,
  `down`/`up` what removing or adding one member of that value would change;
- `meet[i, j]`: rounds in which i and j share a table (held rounds included); pairs kept
  together by rule and the diagonal sit far below zero, so that the tests "meet >= 1" and
  "meet >= 2" ignore them;
- `known[r, i, t]` and `again[r, i, t]`: how many members at table t in round r member i meets
  at least once / at least twice over all rounds (so `again[r, i, own table]` counts i's repeated
  table mates there);
- `seats[r, t]`: the members at table t (padded with n), `apart_count[r, i, t]`: how many of i's
  keep-apart partners sit at table t;
- `balance`, `repeats`, `spread`: the three objective levels, exact after every move.

`swap_deltas` prices, in a few numpy operations, every swap of each of a set of members with
every member of another table in one round: the inner loop of the search. `move_delta` prices any
exchange of two member sets (units of several members, and tests).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sortition.tables.metrics import outside
from sortition.tables.model import SeatingProblem, share_bounds

_FAR = 1 << 20  # subtracted from meetings that never count


@dataclass(frozen=True)
class Swaps:
    """Prices of the swaps of members `who` (rows) with every member (columns) in one round:
    the change of each objective level, and whether the swap keeps every hard rule."""

    who: np.ndarray
    balance: np.ndarray
    repeats: np.ndarray
    spread: np.ndarray
    allowed: np.ndarray


class SearchState:
    """A seating with its incremental counts and the three objective levels."""

    def __init__(self, problem: SeatingProblem, seating: np.ndarray) -> None:
        self.problem = problem
        n, rounds, tables = problem.n, problem.rounds, problem.num_tables
        self.n, self.rounds, self.tables = n, rounds, tables
        columns = [*problem.balance, *problem.spread]
        self.balanced_columns = len(problem.balance)
        offsets = np.cumsum([0] + [len(c.values) for c in columns])
        self.values = int(offsets[-1])
        self.codes = np.zeros((n, len(columns)), dtype=np.int64)
        lows, highs = [np.zeros((tables, 0), np.int64)], [np.zeros((tables, 0), np.int64)]
        for f, column in enumerate(columns):
            self.codes[:, f] = column.codes + offsets[f]
            low, high = share_bounds(column, problem.sizes, n)
            lows.append(low)
            highs.append(high)
        self.low, self.high = np.hstack(lows), np.hstack(highs)
        self.is_balance_value = np.arange(self.values) < offsets[self.balanced_columns]

        self.seating = np.array(seating, dtype=np.int64)
        self.unit_of = problem.unit_of
        self.singleton = np.array([len(problem.units[u]) == 1 for u in self.unit_of], dtype=bool)
        self.all_rounds = np.arange(rounds)[:, None]
        self.everyone = np.arange(n)
        width = int(problem.sizes.max()) + 1  # a spare seat while a unit move is half done
        self.seats = np.full((rounds, tables, width), n, dtype=np.int64)
        self.counts = np.zeros((rounds, tables, self.values), dtype=np.int64)
        self.meet = np.zeros((n, n), dtype=np.int64)
        for r in range(rounds):
            for t in range(tables):
                members = np.flatnonzero(self.seating[r] == t)
                self.seats[r, t, : len(members)] = members
            np.add.at(self.counts[r], (self.seating[r][:, None], self.codes), 1)
            self.meet += self.seating[r][:, None] == self.seating[r][None, :]
        self.meet += problem.earlier_meetings  # pairs who met in rounds already held
        self.meet[self.unit_of[:, None] == self.unit_of[None, :]] -= _FAR  # and the diagonal
        self.cells = np.zeros((rounds, tables, self.values), dtype=np.int64)
        self.down = np.zeros_like(self.cells)
        self.up = np.zeros_like(self.cells)
        for r in range(rounds):
            self._price_cells(r, slice(None))
        self.known = self._per_table(self.meet >= 1)
        self.again = self._per_table(self.meet >= 2)

        pairs = problem.apart_pairs
        self.has_apart = len(pairs) > 0
        self.apart = np.zeros((n, n), dtype=np.int64)
        self.apart[pairs[:, 0], pairs[:, 1]] = 1
        self.apart[pairs[:, 1], pairs[:, 0]] = 1
        self.partners = [np.flatnonzero(row) for row in self.apart]
        self.apart_count = self._per_table(self.apart > 0)
        self.balance, self.repeats, self.spread = self.recount()

    def _per_table(self, related: np.ndarray) -> np.ndarray:
        """(R, n, T): how many members i is related to sit at each table in each round (a
        matrix product of 0/1 values, exact in floating point)."""
        out = np.zeros((self.rounds, self.n, self.tables), dtype=np.int64)
        weights = related.astype(np.float64)
        for r in range(self.rounds):
            onehot = np.zeros((self.n, self.tables))
            onehot[self.everyone, self.seating[r]] = 1.0
            out[r] = np.rint(weights @ onehot).astype(np.int64)
        return out

    # -----------------------------------------------------------------------------------------
    # Levels

    def _price_cells(self, r: int, tables: slice | list[int]) -> None:
        counts = self.counts[r, tables]
        low, high = self.low[tables], self.high[tables]
        base = outside(counts, low, high)
        self.cells[r, tables] = base
        self.down[r, tables] = outside(counts - 1, low, high) - base
        self.up[r, tables] = outside(counts + 1, low, high) - base

    def _cell_sums(self, r: int, tables: list[int]) -> tuple[int, int]:
        cells = self.cells[r, tables]
        balance = int(cells[:, self.is_balance_value].sum())
        return balance, int(cells.sum()) - balance

    def recount(self) -> tuple[int, int, int]:
        """(balance, repeats, spread) recomputed from the counts (for checks)."""
        balance = int(self.cells[:, :, self.is_balance_value].sum())
        spread = int(self.cells[:, :, ~self.is_balance_value].sum())
        repeats = int(np.triu(np.maximum(self.meet - 1, 0), 1).sum())
        return balance, repeats, spread

    @property
    def levels(self) -> tuple[int, int, int]:
        return (self.balance, self.repeats, self.spread)

    def members(self, r: int, t: int) -> np.ndarray:
        row = self.seats[r, t]
        members: np.ndarray = row[row < self.n]
        return members

    def troubled(self) -> np.ndarray:
        """(R, n): who meets a table mate again, or sits at a table with a value outside its
        floor/ceiling, in each round."""
        repeated = self.again[self.all_rounds, self.everyone, self.seating] > 0
        bad_tables = np.asarray(self.cells.any(axis=2))
        troubled: np.ndarray = repeated | bad_tables[self.all_rounds, self.seating]
        return troubled

    # -----------------------------------------------------------------------------------------
    # Pricing moves

    def swap_deltas(self, r: int, who: np.ndarray) -> Swaps:
        """Every swap, in round r, of each member in `who` (each alone in its unit) with each
        member j; allowed when j is alone in its unit, at another table, and no keep-apart
        partner of either sits at the arriving table."""
        who = np.asarray(who, dtype=np.int64)
        seating = self.seating[r]
        a = seating[who]
        b = seating
        once = self.meet[who] >= 1
        known, again = self.known[r], self.again[r]
        repeats = (
            np.take(known[who], b, axis=1)
            + np.take(known, a, axis=1).T
            - 2 * once
            - again[who, a][:, None]
            - again[self.everyone, b][None, :]
        )
        balance = np.zeros(repeats.shape, dtype=np.int64)
        spread = np.zeros(repeats.shape, dtype=np.int64)
        down, up = self.down[r], self.up[r]
        for f in range(self.codes.shape[1]):
            code_i, code_j = self.codes[who, f], self.codes[:, f]
            # i leaves a (value code_i) and j arrives there; j leaves b and i arrives there
            cells = down[a, code_i][:, None] + np.take(up[a], code_j, axis=1)
            cells += (down[b, code_j])[None, :] + np.take(up[:, code_i].T, b, axis=1)
            cells[code_i[:, None] == code_j[None, :]] = 0
            if f < self.balanced_columns:
                balance += cells
            else:
                spread += cells
        allowed = (b[None, :] != a[:, None]) & self.singleton[None, :]
        if self.has_apart:
            partners = self.apart[who]  # i's partners; j may be one of them and leaves
            allowed &= np.take(self.apart_count[r, who], b, axis=1) == partners
            allowed &= partners == np.take(self.apart_count[r], a, axis=1).T
        return Swaps(who, balance, repeats, spread, allowed)

    def move_delta(
        self, r: int, leaving: Sequence[int], arriving: Sequence[int]
    ) -> tuple[int, int, int] | None:
        """(balance, repeats, spread) change if the members `leaving` (all at one table a) and
        `arriving` (all at one table b) exchanged tables in round r; None if a keep-apart pair
        would meet."""
        seating = self.seating[r]
        x = np.asarray(leaving, dtype=np.int64)
        y = np.asarray(arriving, dtype=np.int64)
        a, b = int(seating[x[0]]), int(seating[y[0]])
        rest_a = np.setdiff1d(self.members(r, a), x)
        rest_b = np.setdiff1d(self.members(r, b), y)
        if self.has_apart and (
            self.apart[np.ix_(x, rest_b)].any() or self.apart[np.ix_(y, rest_a)].any()
        ):
            return None
        meet = self.meet
        repeats = (
            int((meet[np.ix_(x, rest_b)] >= 1).sum())
            - int((meet[np.ix_(x, rest_a)] >= 2).sum())
            + int((meet[np.ix_(y, rest_a)] >= 1).sum())
            - int((meet[np.ix_(y, rest_b)] >= 2).sum())
        )
        shift = np.bincount(self.codes[x].ravel(), minlength=self.values) - np.bincount(
            self.codes[y].ravel(), minlength=self.values
        )
        low, high = self.low[[a, b]], self.high[[a, b]]
        before = self.counts[r, [a, b]]
        after = before + np.stack([-shift, shift])
        change = outside(after, low, high) - outside(before, low, high)
        balance = int(change[:, self.is_balance_value].sum())
        return balance, repeats, int(change.sum()) - balance

    # -----------------------------------------------------------------------------------------
    # Moving

    def swap(self, r: int, i: int, j: int) -> None:
        """Swap members i and j (at different tables) in round r; the fast path of `exchange`."""
        n, meet = self.n, self.meet
        seating = self.seating[r]
        a, b = int(seating[i]), int(seating[j])
        row_a, row_b = self.seats[r, a], self.seats[r, b]
        rest_a = row_a[(row_a != i) & (row_a < n)]
        rest_b = row_b[(row_b != j) & (row_b < n)]
        # seats change: the counts of those who know i or j move between a and b
        shift1 = (meet[:, j] >= 1).astype(np.int64) - (meet[:, i] >= 1)
        shift2 = (meet[:, j] >= 2).astype(np.int64) - (meet[:, i] >= 2)
        self.known[r, :, a] += shift1
        self.known[r, :, b] -= shift1
        self.again[r, :, a] += shift2
        self.again[r, :, b] -= shift2
        row_a[row_a == i] = j
        row_b[row_b == j] = i
        seating[i], seating[j] = b, a
        before = self._cell_sums(r, [a, b])
        self.counts[r, a, self.codes[i]] -= 1
        self.counts[r, a, self.codes[j]] += 1
        self.counts[r, b, self.codes[j]] -= 1
        self.counts[r, b, self.codes[i]] += 1
        self._price_cells(r, [a, b])
        after = self._cell_sums(r, [a, b])
        self.balance += after[0] - before[0]
        self.spread += after[1] - before[1]
        if self.has_apart:
            for x, source, target in ((i, a, b), (j, b, a)):
                self.apart_count[r, self.partners[x], source] -= 1
                self.apart_count[r, self.partners[x], target] += 1
        # meetings change: i leaves rest_a and joins rest_b, j the other way
        sizes = (len(rest_a), len(rest_b))
        xs = np.repeat([i, i, j, j], [sizes[0], sizes[1], sizes[1], sizes[0]])
        ys = np.concatenate([rest_a, rest_b, rest_b, rest_a])
        steps = np.repeat([-1, 1, -1, 1], [sizes[0], sizes[1], sizes[1], sizes[0]])
        self._change_meetings(xs, ys, steps)

    def exchange(self, r: int, leaving: Sequence[int], arriving: Sequence[int]) -> None:
        """Exchange two equal-sized member sets between their tables in round r, one member at
        a time, alternating sides."""
        if len(leaving) == 1 and self.singleton[leaving[0]] and self.singleton[arriving[0]]:
            self.swap(r, int(leaving[0]), int(arriving[0]))
            return
        a = int(self.seating[r, leaving[0]])
        b = int(self.seating[r, arriving[0]])
        before = self._cell_sums(r, [a, b])
        for x, y in zip(leaving, arriving, strict=True):
            self._relocate(r, int(x), a, b)
            self._relocate(r, int(y), b, a)
        self._price_cells(r, [a, b])
        after = self._cell_sums(r, [a, b])
        self.balance += after[0] - before[0]
        self.spread += after[1] - before[1]

    def _relocate(self, r: int, x: int, source: int, target: int) -> None:
        meet = self.meet
        once = (meet[:, x] >= 1).astype(np.int64)
        twice = (meet[:, x] >= 2).astype(np.int64)
        self.known[r, :, source] -= once
        self.known[r, :, target] += once
        self.again[r, :, source] -= twice
        self.again[r, :, target] += twice
        left = self.members(r, source)
        left = left[left != x]
        joined = self.members(r, target)
        row = self.seats[r, source]
        row[row == x] = self.n
        row = self.seats[r, target]
        row[np.flatnonzero(row == self.n)[0]] = x
        self.seating[r, x] = target
        self.counts[r, source, self.codes[x]] -= 1
        self.counts[r, target, self.codes[x]] += 1
        if self.has_apart:
            self.apart_count[r, self.partners[x], source] -= 1
            self.apart_count[r, self.partners[x], target] += 1
        others = np.concatenate([left, joined])
        steps = np.concatenate([-np.ones(len(left), np.int64), np.ones(len(joined), np.int64)])
        self._change_meetings(np.full(len(others), x), others, steps)

    def _change_meetings(self, xs: np.ndarray, ys: np.ndarray, steps: np.ndarray) -> None:
        """Add `steps` to the meetings of the (distinct) pairs (xs, ys), with the seating already
        updated; keep `known`, `again` and `repeats` in step wherever a pair crosses 1 or 2."""
        meet = self.meet
        old = meet[xs, ys]
        new = old + steps
        meet[xs, ys] = new
        meet[ys, xs] = new
        self.repeats += int((np.maximum(new - 1, 0) - np.maximum(old - 1, 0)).sum())
        for table, low in ((self.known, 1), (self.again, 2)):
            crossed = (new >= low).astype(np.int64) - (old >= low)
            hit = np.flatnonzero(crossed)
            if not len(hit):
                continue
            x, y, step = xs[hit], ys[hit], crossed[hit]
            np.add.at(table, (self.all_rounds, x[None, :], self.seating[:, y]), step)
            np.add.at(table, (self.all_rounds, y[None, :], self.seating[:, x]), step)
