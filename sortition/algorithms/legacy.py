"""LEGACY: the greedy quota-filling draw organizers used for years (Flanigan et al., Nature 2021).

Start with an empty panel and, until it has k members: among the feature values whose minimum is
not yet met take the most urgent one (remaining minimum / eligible holders; ties go to the lowest
(feature, value)), or every eligible registrant once all minimums are met; pick one of its eligible
holders uniformly at random; then make ineligible that person, the rest of their household and
everyone holding a value whose maximum is now reached. A state from which the panel cannot be
completed (nobody eligible, a remaining minimum above its eligible holders, or a feature's remaining
minimums above the seats left) is a dead end and the attempt restarts from scratch.

LEGACY has no closed-form selection probabilities, so `solve` estimates them from independent
draws. For speed, attempts run in batches, one row per attempt, each step advancing every row with
a few numpy operations: attempts are independent, so the successes of a batch taken in row order
are independent LEGACY draws, exactly as if the attempts had run one after another.

Values are numbered flat, feature by feature; one extra pseudo-value V that everybody holds stands
for "every eligible registrant" and its eligible-holder count is the number still eligible.
"""

from __future__ import annotations

import numpy as np

from sortition.distribution import Distribution
from sortition.errors import InfeasibleQuotas
from sortition.instance import Instance
from sortition.options import SolveOptions

MAX_ATTEMPTS = 10_000

_MAX_CELLS = 1 << 22  # bound on batch rows x registrants (eligibility matrix size)
_MIN_BATCH = 8
_REJECTION_ROUNDS = 6  # then draw the rows still unpicked exactly by rank
_HINT = "check the quotas with an exact algorithm (leximin or maximin), or widen them"


def draw_panel(
    instance: Instance, rng: np.random.Generator, *, max_attempts: int = MAX_ATTEMPTS
) -> np.ndarray:
    """One LEGACY panel: sorted person indices."""
    panels, _ = _Greedy(instance).draw(rng, 1, max_attempts)
    return panels[0]


def solve(instance: Instance, *, rng: np.random.Generator, options: SolveOptions) -> Distribution:
    """Empirical distribution of options.legacy_draws independent LEGACY draws (exact=False)."""
    draws = options.legacy_draws
    panels, attempts = _Greedy(instance).draw(rng, draws, MAX_ATTEMPTS)
    groups = instance.groups
    row_of: dict[bytes, int] = {}
    rows: list[np.ndarray] = []
    counts: list[int] = []
    for panel in panels:
        composition = np.bincount(groups.group_of_person[panel], minlength=len(groups))
        key = composition.tobytes()
        row = row_of.get(key)
        if row is None:
            row_of[key] = len(rows)
            rows.append(composition)
            counts.append(1)
        else:
            counts[row] += 1
    return Distribution(
        instance,
        np.array(rows, dtype=np.int64),
        np.array(counts, dtype=np.float64) / draws,
        algorithm="legacy",
        exact=False,
        details={"draws": draws, "attempts": attempts},
    )


class _Greedy:
    """The instance in flat-value form, prepared once for any number of draws."""

    def __init__(self, instance: Instance) -> None:
        n = instance.size
        k = instance.panel_size
        sizes = [len(feature.values) for feature in instance.features]
        num_values = int(sum(sizes))
        self.n, self.k, self.num_values = n, k, num_values
        self.num_features = len(sizes)
        self.starts = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
        # value_of[p]: flat values of person p, one per feature, then the pseudo-value V
        self.value_of = np.column_stack(
            (instance.values + self.starts, np.full(n, num_values))
        ).astype(np.int64)
        holders: list[np.ndarray] = [np.zeros(0, dtype=np.int64)] * (num_values + 1)
        for f in range(self.num_features):
            order = np.argsort(self.value_of[:, f], kind="stable")
            bounds = np.searchsorted(
                self.value_of[order, f], self.starts[f] + np.arange(sizes[f] + 1)
            )
            for j in range(sizes[f]):
                holders[self.starts[f] + j] = order[bounds[j] : bounds[j + 1]]
        holders[num_values] = np.arange(n, dtype=np.int64)
        self.holders = holders
        self.holder_sizes = np.array([len(h) for h in holders], dtype=np.int64)
        self.holder_offsets = np.concatenate(([0], np.cumsum(self.holder_sizes)[:-1]))
        self.all_holders = np.concatenate(holders)
        minimums = [f.minimums for f in instance.features]
        maximums = [f.maximums for f in instance.features]
        self.mins = np.concatenate([*minimums, [0]]).astype(np.int64)
        self.maxs = np.concatenate([*maximums, [k + 1]]).astype(np.int64)
        self.partners = _partner_matrix(instance.households, pad=n)

        # Everyone starts eligible except holders of values whose maximum is 0. Column n of the
        # eligibility matrix is a never-eligible pad that partner_matrix rows point at.
        eligible = np.ones(n + 1, dtype=bool)
        eligible[n] = False
        for v in np.flatnonzero(self.maxs == 0).tolist():
            eligible[holders[v]] = False
        self.start_eligible = eligible
        self.start_counts = np.bincount(
            self.value_of[eligible[:n]].ravel(), minlength=num_values + 1
        )

    # -- draws ---------------------------------------------------------------------------------

    def draw(
        self, rng: np.random.Generator, count: int, max_attempts: int
    ) -> tuple[list[np.ndarray], int]:
        """`count` independent panels (sorted person indices) and the attempts they took in all.

        Raises InfeasibleQuotas once max_attempts attempts in a row have all dead-ended.
        """
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if _dead(self.start_counts[None], self.mins[None], self.starts, self.k)[0]:
            raise InfeasibleQuotas(
                "LEGACY found no panel after 1 attempt: it dead-ends before "
                "the first pick; quotas may be infeasible or too tight for "
                "greedy",
                hint=_HINT,
            )
        panels: list[np.ndarray] = []
        attempts = 0  # up to the last success
        failures = 0  # since the last success
        cap = max(1, _MAX_CELLS // (self.n + 1))
        while len(panels) < count:
            rate = (len(panels) + 1) / (attempts + failures + 1)
            size = int(min(cap, max(_MIN_BATCH, np.ceil(1.1 * (count - len(panels)) / rate))))
            succeeded, batch = self._batch(rng, size)
            done = 0  # batch rows accounted for
            for row in np.flatnonzero(succeeded).tolist():
                failures += row - done
                if failures >= max_attempts:
                    break
                panels.append(batch[row])
                attempts += failures + 1
                failures, done = 0, row + 1
                if len(panels) == count:
                    break
            else:
                failures += size - done
            if failures >= max_attempts:
                raise InfeasibleQuotas(
                    f"LEGACY found no panel after {max_attempts} attempts; "
                    "quotas may be infeasible or too tight for greedy",
                    hint=_HINT,
                )
        return panels, attempts

    def _batch(self, rng: np.random.Generator, size: int) -> tuple[np.ndarray, np.ndarray]:
        """Run `size` attempts side by side: (succeeded per attempt, sorted panel per attempt)."""
        k = self.k
        eligible = np.repeat(self.start_eligible[None], size, axis=0)
        counts = np.repeat(self.start_counts[None], size, axis=0)  # eligible holders per value
        need = np.repeat(self.mins[None], size, axis=0)  # remaining minimum, never below 0
        room = np.repeat(self.maxs[None], size, axis=0)  # seats left under each maximum
        picked = np.empty((size, k), dtype=np.int64)
        attempt = np.arange(size)  # which attempt each live row is
        for step in range(k):
            dead = _dead(counts, need, self.starts, k - step)
            if dead.any():
                live = ~dead
                eligible, counts, need, room = eligible[live], counts[live], need[live], room[live]
                picked, attempt = picked[live], attempt[live]
                if not len(attempt):
                    break
            person = self._pick(rng, eligible, counts, need)
            picked[:, step] = person
            self._take(person, eligible, counts, need, room)
        complete = ~need.any(axis=1)
        succeeded = np.zeros(size, dtype=bool)
        succeeded[attempt[complete]] = True
        panels = np.zeros((size, k), dtype=np.int64)
        panels[attempt[complete]] = np.sort(picked[complete], axis=1)
        return succeeded, panels

    def _pick(
        self, rng: np.random.Generator, eligible: np.ndarray, counts: np.ndarray, need: np.ndarray
    ) -> np.ndarray:
        """The next member of every row: a uniform eligible holder of its most urgent value."""
        rows = np.arange(len(counts))
        urgency = need / np.maximum(counts, 1)
        value = urgency.argmax(axis=1)  # the first maximum: lowest (feature, value) on ties
        value[urgency[rows, value] == 0] = self.num_values  # all minimums met: anyone eligible
        available = counts[rows, value]  # >= 1, as the row is not dead
        person = np.empty(len(rows), dtype=np.int64)

        # Rejection: a uniform holder, kept if eligible. Each round and the exact fallback below
        # are uniform over the eligible holders, so the result is too.
        hopeful = 4 * available >= self.holder_sizes[value]  # acceptance at least 1/4
        todo = rows[hopeful]
        for _ in range(_REJECTION_ROUNDS):
            if not len(todo):
                break
            v = value[todo]
            spot = (rng.random(len(todo)) * self.holder_sizes[v]).astype(np.int64)
            candidate = self.all_holders[self.holder_offsets[v] + spot]
            kept = eligible[todo, candidate]
            person[todo[kept]] = candidate[kept]
            todo = todo[~kept]
        todo = np.concatenate((todo, rows[~hopeful]))

        # Exact: the rank-th eligible holder, for a uniform rank, one value at a time.
        if len(todo):
            todo_values = value[todo]
            for v in np.unique(todo_values).tolist():
                these = todo[todo_values == v]
                if v == self.num_values:
                    mask = eligible[these, : self.n]
                else:
                    mask = eligible[np.ix_(these, self.holders[v])]
                rank = (rng.random(len(these)) * available[these]).astype(np.int64)
                position = (np.cumsum(mask, axis=1) <= rank[:, None]).sum(axis=1)
                person[these] = self.holders[v][position]
        return person

    def _take(
        self,
        person: np.ndarray,
        eligible: np.ndarray,
        counts: np.ndarray,
        need: np.ndarray,
        room: np.ndarray,
    ) -> None:
        """Add `person` to every row's panel and update that row's eligibility in place."""
        rows = np.arange(len(person))
        column = rows[:, None]
        mine = self.value_of[person]
        need[column, mine] = np.maximum(need[column, mine] - 1, 0)
        room[column, mine] -= 1
        counts[column, mine] -= 1
        eligible[rows, person] = False

        if self.partners.shape[1]:
            partners = self.partners[person]
            hit = eligible[column, partners]
            if hit.any():
                at, slot = np.nonzero(hit)
                self._remove(at, partners[at, slot], eligible, counts)

        filled = room[column, mine[:, : self.num_features]] == 0
        if filled.any():  # values just filled: all their eligible holders go
            # one feature at a time, so that a person holding two filled values goes only once
            for f in np.flatnonzero(filled.any(axis=0)).tolist():
                at = np.flatnonzero(filled[:, f])
                full = mine[at, f]
                lengths = self.holder_sizes[full]
                ends = np.cumsum(lengths)
                index = np.repeat(self.holder_offsets[full] - ends + lengths, lengths)
                index += np.arange(ends[-1])
                at = np.repeat(at, lengths)
                people = self.all_holders[index]
                hit = eligible[at, people]
                self._remove(at[hit], people[hit], eligible, counts)

    def _remove(
        self, at: np.ndarray, people: np.ndarray, eligible: np.ndarray, counts: np.ndarray
    ) -> None:
        """Make each people[i] ineligible in row at[i] (pairs distinct, all currently eligible)."""
        if not len(at):
            return
        eligible[at, people] = False
        width = counts.shape[1]
        flat = (at[:, None] * width + self.value_of[people]).ravel()
        counts -= np.bincount(flat, minlength=counts.size).reshape(counts.shape)


def _dead(counts: np.ndarray, need: np.ndarray, starts: np.ndarray, seats: int) -> np.ndarray:
    """Rows that cannot be completed: nobody eligible, a minimum beyond its eligible holders, or a
    feature's remaining minimums beyond the seats left. The last column of counts is everybody."""
    dead: np.ndarray = (
        (counts[:, -1] == 0)
        | (need > counts).any(axis=1)
        | (np.add.reduceat(need, starts, axis=1) > seats).any(axis=1)
    )
    return dead


def _partner_matrix(households: np.ndarray, *, pad: int) -> np.ndarray:
    """Row p: the other members of p's household, padded with `pad`; (n, largest household - 1)."""
    n = len(households)
    labelled = np.flatnonzero(households >= 0)
    labels = households[labelled]
    sizes = np.bincount(labels) if len(labels) else np.zeros(0, dtype=np.int64)
    width = int(sizes.max()) - 1 if len(sizes) else 0
    partners = np.full((n, max(width, 0)), pad, dtype=np.int64)
    if width <= 0:
        return partners
    order = np.argsort(labels, kind="stable")
    members = np.split(labelled[order], np.cumsum(sizes)[:-1])
    for household in members:
        for person in household.tolist():
            others = household[household != person]
            partners[person, : len(others)] = others
    return partners
