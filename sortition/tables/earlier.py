"""Sessions already held: the rounds of an earlier seating that new rounds continue.

An assembly meets over several sessions, and its panel changes between them (a member leaves, a
replacement joins). The organizer then seats the sessions still ahead for the panel as it now
is, from the `tables.csv` of the seating used so far (`--earlier FILE`), of which the first
`--held N` rounds took place (default: every round in the file). Members who met in those rounds
count as having met: meeting again in a new round is a repeated encounter, as within the new
rounds. Members of the file who are no longer on the panel are left out of the new rounds
(their seats in the held ones stay in the next tables.csv, so that someone who misses a session
and comes back keeps their history); members new to the panel have met nobody yet. The new
rounds are numbered after the held ones.

File: columns `id,round,table` (as `tables.csv` writes them), rounds and tables numbered from 1,
at most one table per member and round. Every problem raises a coded error naming the file, row
and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sortition.errors import InputError, Location
from sortition.inputs.tables import FIRST_DATA_ROW, WHOLE_NUMBER, Table, read_table
from sortition.text import quoted

ABSENT = -1  # the table of a member who was not on the panel in an earlier round


@dataclass(frozen=True, eq=False)
class EarlierRounds:
    """The held rounds of an earlier seating, for the members of the current panel."""

    tables: np.ndarray  # (held, n): 0-based table of each member in each held round, or ABSENT
    source: str  # the file they came from
    # seats in those rounds of members not on the current panel, (id, round, table) numbered
    # from 1 in file order: kept in the next tables.csv, so that a member who misses a session
    # and comes back keeps their history
    others: tuple[tuple[str, int, int], ...] = ()

    @property
    def held(self) -> int:
        return int(self.tables.shape[0])

    @property
    def away(self) -> frozenset[str]:
        """Members seated in those rounds who are not on the current panel."""
        return frozenset(person for person, _, _ in self.others)

    @property
    def left(self) -> int:
        """How many members seated in those rounds are not on the current panel."""
        return len(self.away)

    @property
    def seated(self) -> int:
        """Members of the current panel seated in some held round."""
        return int((self.tables != ABSENT).any(axis=0).sum())

    def meetings(self) -> np.ndarray:
        """(n, n): held rounds in which each pair of current members shared a table (0 on the
        diagonal)."""
        n = self.tables.shape[1]
        met = np.zeros((n, n), dtype=np.int64)
        for row in self.tables:
            present = row != ABSENT
            met += (row[:, None] == row[None, :]) & present[:, None] & present[None, :]
        np.fill_diagonal(met, 0)
        return met


def read_earlier(path: str | Path, index: dict[str, int], held: int | None = None) -> EarlierRounds:
    """The first `held` rounds (all rounds of the file when None) of an earlier seating file,
    for the members in `index` (id -> position on the panel); see the module docstring."""
    table = read_table(path)
    role = "earlier seating file"
    positions = [table.position(name, role=role) for name in ("id", "round", "table")]
    seats: dict[tuple[int, str], tuple[int, int]] = {}  # (round, id) -> (table, row)
    rows_of_round: dict[int, int] = {}
    for k, row in enumerate(table.rows):
        if all(not cell.strip() for cell in row):
            continue
        number = k + FIRST_DATA_ROW
        person = row[positions[0]].strip()
        if not person:
            raise InputError(
                "the id cell is blank",
                location=Location(file=table.path, row=number, column=table.header[positions[0]]),
                hint="fill in the member's id, or delete the row",
            )
        r = _positive(table, row, positions[1], number)
        t = _positive(table, row, positions[2], number)
        rows_of_round.setdefault(r, number)
        if held is not None and r > held:
            continue
        key = (r, person)
        if key in seats:
            raise InputError(
                f"id {quoted(person)} sits at two tables in round {r} (rows {seats[key][1]} "
                f"and {number})",
                location=Location(file=table.path, row=number, column=table.header[positions[0]]),
                hint="keep one row per member and round",
            )
        seats[key] = (t, number)
    last = max(rows_of_round, default=0) if held is None else held
    if last == 0:
        raise InputError(
            "the earlier seating file seats nobody",
            location=Location(file=table.path),
            hint="give the tables.csv of the rounds already held",
        )
    missing = [r for r in range(1, last + 1) if r not in rows_of_round]
    if missing:
        raise InputError(
            f"the earlier seating file has no round {missing[0]}",
            location=Location(file=table.path),
            hint="give the tables.csv of the rounds already held, or a smaller --held",
        )
    gone = {person for _, person in seats if person not in index}
    if len(gone) == len({person for _, person in seats}):  # (another panel's, or id column)
        raise InputError(
            f"none of the {len(gone)} ids of the earlier seating file is on the panel",
            location=Location(file=table.path, column=table.header[positions[0]]),
            hint="give the tables.csv of this panel's earlier rounds (same ids as --id-column)",
        )
    tables = np.full((last, len(index)), ABSENT, dtype=np.int64)
    others = []  # in file order (seats keeps it)
    for (r, person), (t, _) in seats.items():
        if person in index:
            tables[r - 1, index[person]] = t - 1
        else:
            others.append((person, r, t))
    return EarlierRounds(tables, table.path, tuple(others))


def _positive(table: Table, row: tuple[str, ...], position: int, number: int) -> int:
    """A round or table number (a whole number from 1) in one cell."""
    text = row[position].strip()
    match = WHOLE_NUMBER.fullmatch(text)
    if match is None or int(match.group(1)) < 1:
        column = table.header[position]
        raise InputError(
            f"{column} {quoted(text)} is not a whole number from 1",
            location=Location(file=table.path, row=number, column=column),
            hint="number rounds and tables from 1, as tables.csv does",
        )
    return int(match.group(1))
