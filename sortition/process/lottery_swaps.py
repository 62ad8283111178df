"""Carrying out the lottery's seat plan: seat swaps along chains, ticket redraws, polishing.

It owns step 3 of `sortition.process.lottery.to_tickets`: `SeatSwaps` holds the tickets as
(composition, count) pairs and changes them one seat swap at a time (every quota and household
rule kept) until the seat plan of `sortition.process.lottery_plan` is reached; where no chain of
swaps is left, `lottery_redraw.redraw_panels` redraws a few tickets together with an
integer program.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np

from sortition.instance import Instance
from sortition.panel.rules import PanelRules
from sortition.process.lottery_plan import member_deviations
from sortition.process.lottery_redraw import redraw_panels

# Tickets the repair step may redraw at once (it starts with fewer and doubles).
REDRAW_LIMIT = 64
# Deviations (in tickets) closer than this count as equal.
TIE_TOLERANCE = 1e-9
# Partner groups tried per vectorized validity check.
PARTNER_CHUNK = 64


class SeatSwaps:
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
            panels = redraw_panels(self.instance, self.comps[rows], -excess, self.solver)
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


def _extend(array: np.ndarray, rows: int) -> np.ndarray:
    return np.vstack([array, np.zeros((rows, array.shape[1]), dtype=array.dtype)])
