"""The seating problem: who sits, how many tables, what to balance, and which rules must hold.

A panel of n members is seated for R rounds at T = ceil(n / S) tables of at most S seats, so that
sizes differ by at most one: the first n mod T tables (or all, if T divides n) seat q + 1 members
and the rest q, with q = n // T. Table sizes are fixed per table number, which keeps every move
of the search a swap.

Balanced and spread columns are categorical: every distinct value (compared after
`sortition.inputs.tables.normalize`) of a column gets a code. A table of size s "should" hold
N_v * s / n members of value v, where N_v is the panel's count; the floor and ceiling of that
proportional share bound a balanced table.

Keep-together groups that share a member are merged into one *unit*, seated as a whole; every
other member is a unit of one. Pairs inside a unit meet every round by rule, so they never count
as repeated pairs.

With `earlier` (rounds already held, `sortition.tables.earlier`), the R rounds are the ones still
ahead: pairs who met in a held round count as having met.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from sortition.tables.earlier import EarlierRounds


@dataclass(frozen=True, eq=False)
class Column:
    """A categorical column of the panel: its values in order of first appearance, and each
    member's code (index into `values`)."""

    name: str
    values: tuple[str, ...]
    codes: np.ndarray  # (n,) int64

    @cached_property
    def totals(self) -> np.ndarray:
        """Panel count of each value."""
        return np.bincount(self.codes, minlength=len(self.values)).astype(np.int64)


@dataclass(frozen=True)
class KeepTogether:
    """One keep-together group as written: its label, members (indices) and source rows."""

    name: str
    members: tuple[int, ...]
    rows: tuple[int, ...] = ()
    source: str | None = None

    def describe(self) -> str:
        """The group as its organizer finds it: label, file and rows (`group_phrase`)."""
        return group_phrase(self.name, self.source, self.rows)


@dataclass(frozen=True)
class KeepApart:
    """One keep-apart pair as written: member indices a < b and the source row."""

    a: int
    b: int
    row: int | None = None
    source: str | None = None

    def describe(self, ids: Sequence[str]) -> str:
        """The pair as its organizer finds it: both ids, file and row (`pair_phrase`)."""
        return pair_phrase(ids[self.a], ids[self.b], self.source, self.row)


# The phrases below go into error messages as fields. Each variant is a whole template of the
# Spanish catalogs (`scripts/library_templates.py` reads functions named for a phrase), so a
# Spanish message never carries an English piece; lists of them are joined by
# `sortition.text.phrase_list`, whose items the catalogs translate one by one.


def shown_rows(rows: Sequence[int], limit: int = 6) -> str:
    """Row numbers as a message lists them: the first `limit`, then '...'."""
    return ", ".join(str(r) for r in rows[:limit]) + (", ..." if len(rows) > limit else "")


def group_phrase(name: str, source: str | None, rows: Sequence[int]) -> str:
    """A keep-together group named in a message: its label, and where it is written."""
    shown = shown_rows(rows)
    if not rows:
        return (
            f"keep-together group '{name}' ({source})"
            if source
            else f"keep-together group '{name}'"
        )
    if source:
        return (
            f"keep-together group '{name}' ({source}, row {shown})"
            if len(rows) == 1
            else f"keep-together group '{name}' ({source}, rows {shown})"
        )
    return (
        f"keep-together group '{name}' (row {shown})"
        if len(rows) == 1
        else f"keep-together group '{name}' (rows {shown})"
    )


def pair_phrase(a: str, b: str, source: str | None, row: int | None) -> str:
    """A keep-apart pair named in a message: both ids, and where it is written."""
    if row is None:
        return f"keep-apart pair {a}/{b} ({source})" if source else f"keep-apart pair {a}/{b}"
    return (
        f"keep-apart pair {a}/{b} ({source}, row {row})"
        if source
        else f"keep-apart pair {a}/{b} (row {row})"
    )


@dataclass(frozen=True, eq=False)
class SeatingProblem:
    """Everything the solvers need; built by `sortition.tables.inputs` or directly in code."""

    ids: tuple[str, ...]
    table_size: int
    rounds: int
    balance: tuple[Column, ...] = ()
    spread: tuple[Column, ...] = ()
    together: tuple[KeepTogether, ...] = ()
    apart: tuple[KeepApart, ...] = ()
    sources: dict[str, str] = field(default_factory=dict)  # role -> path, for messages
    # columns shown beside each member's id in the outputs (such as names; never balanced), and
    # every member's cells of them, in panel order
    label_columns: tuple[str, ...] = ()
    labels: tuple[tuple[str, ...], ...] = ()
    # rounds already held, which the `rounds` new ones follow (`sortition.tables.earlier`)
    earlier: EarlierRounds | None = None
    # ids of panel members who miss the rounds seated now (not in `ids`), in panel order
    absent: tuple[str, ...] = ()

    def label(self, i: int) -> str:
        """Member i's shown cells, joined by spaces ('' without label columns)."""
        return " ".join(cell for cell in self.labels[i] if cell) if self.labels else ""

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def num_tables(self) -> int:
        return -(-self.n // self.table_size)

    @property
    def held(self) -> int:
        """Rounds already held before the new ones (0 without `earlier`)."""
        return 0 if self.earlier is None else self.earlier.held

    @property
    def total_rounds(self) -> int:
        """Rounds held and new rounds together: the last round's number."""
        return self.held + self.rounds

    def round_number(self, r: int) -> int:
        """The number (from 1, after the held rounds) of new round r (0-based)."""
        return self.held + r + 1

    @cached_property
    def earlier_meetings(self) -> np.ndarray:
        """(n, n): held rounds in which each pair shared a table (all 0 without `earlier`)."""
        if self.earlier is None:
            return np.zeros((self.n, self.n), dtype=np.int64)
        return self.earlier.meetings()

    @cached_property
    def sizes(self) -> np.ndarray:
        """Seats of each table: the first n mod T tables one more than the others."""
        return table_sizes(self.n, self.num_tables)

    @cached_property
    def units(self) -> tuple[tuple[int, ...], ...]:
        """Members seated as a whole: merged keep-together groups, then everyone else alone,
        each unit sorted, units in order of their first member."""
        return merge_groups(self.n, [g.members for g in self.together])

    @cached_property
    def unit_of(self) -> np.ndarray:
        """Index into `units` of every member."""
        out = np.empty(self.n, dtype=np.int64)
        for u, members in enumerate(self.units):
            out[list(members)] = u
        return out

    @cached_property
    def apart_pairs(self) -> np.ndarray:
        """Distinct keep-apart pairs (a < b) as an (m, 2) array, sorted."""
        pairs = sorted({(p.a, p.b) for p in self.apart})
        return np.array(pairs, dtype=np.int64).reshape(len(pairs), 2)


def table_sizes(n: int, tables: int) -> np.ndarray:
    """Sizes of `tables` tables seating n people, differing by at most one, larger first."""
    q, r = divmod(n, tables)
    return np.array([q + 1] * r + [q] * (tables - r), dtype=np.int64)


def merge_groups(n: int, groups: Sequence[Sequence[int]]) -> tuple[tuple[int, ...], ...]:
    """Units of members: groups sharing a member merged (union-find), everyone else alone."""
    parent = list(range(n))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for group in groups:
        members = list(group)
        for other in members[1:]:
            a, b = root(members[0]), root(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    units: dict[int, list[int]] = {}
    for i in range(n):
        units.setdefault(root(i), []).append(i)
    return tuple(tuple(members) for members in units.values())


def share_bounds(column: Column, sizes: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Floor and ceiling of every table's proportional share of every value, shape (T, values):
    a table of size s should hold N_v * s / n members of value v."""
    products = np.outer(sizes, column.totals)
    return products // n, -(-products // n)


def column_from_cells(
    name: str, cells: Sequence[str], key: Callable[[str], str] | None = None
) -> Column:
    """A Column from text cells; values compared by `key` (default: as is), first spelling kept."""
    order: dict[str, int] = {}
    spelling: list[str] = []
    codes = np.empty(len(cells), dtype=np.int64)
    for i, cell in enumerate(cells):
        k = key(cell) if key else cell
        if k not in order:
            order[k] = len(spelling)
            spelling.append(cell.strip())
        codes[i] = order[k]
    return Column(name, tuple(spelling), codes)
