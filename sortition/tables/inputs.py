"""Reading a seating problem: the panel (CSV or XLSX) and the optional rule files.

- Panel: any table with an id column (such as `selected.csv` of `sortition select`), read with
  `sortition.inputs.pool.read_pool` (ids present and unique). Balanced and spread columns are
  named by the caller and matched like pool columns (case and spaces ignored); values are compared
  after `sortition.inputs.tables.normalize`, keeping the first spelling. A blank value is an
  error: write "unknown" (or similar) to make it a value of its own.
- Keep-together file: columns `group,id`, one row per member of a group; every member of a group
  sits at the same table in every round. Groups sharing a member are merged.
- Keep-apart file: columns `id_a,id_b`, one row per pair who must never share a table.
- Earlier seating file (`tables.csv` of the rounds already held): see `sortition.tables.earlier`.
- Label columns (such as first and last names): shown beside each id on the printable pages and
  in members.csv so that facilitators know who is who; blank cells are allowed, and the columns
  play no part in the seating.
- Absent members (ids of the panel): not seated in the rounds seated now, as if their rows were
  not in the panel (tables are balanced among those who attend); rule rows naming them are set
  aside for these rounds, and their seats in the held rounds stay in the next tables.csv, so that
  they keep their history when they come back.

Every problem raises a coded error naming the file, row and column.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sortition.errors import InputError, Location, MissingColumn, UnknownValue, UsageError
from sortition.inputs.pool import read_pool
from sortition.inputs.tables import FIRST_DATA_ROW, Table, normalize, read_table
from sortition.tables.earlier import read_earlier
from sortition.tables.model import (
    Column,
    KeepApart,
    KeepTogether,
    SeatingProblem,
    column_from_cells,
)
from sortition.text import listing, quoted


def read_problem(
    panel: str | Path,
    *,
    table_size: int,
    rounds: int,
    balance: Sequence[str],
    spread: Sequence[str] = (),
    id_column: str = "id",
    keep_together: str | Path | None = None,
    keep_apart: str | Path | None = None,
    label: Sequence[str] = (),
    earlier: str | Path | None = None,
    held: int | None = None,
    absent: Sequence[str] = (),
) -> SeatingProblem:
    """The seating problem of a panel file and its rule files (see the module docstring);
    `label` names columns shown beside each member's id in the outputs (such as names);
    `earlier`, the tables.csv of a seating whose first `held` rounds (default: all) took place,
    which the new rounds continue (`sortition.tables.earlier`); `absent`, ids of panel members
    who miss the rounds seated now."""
    _check_numbers(table_size, rounds)
    if held is not None and (earlier is None or held < 1):
        raise UsageError(
            f"--held {held} needs --earlier" if earlier is None else f"--held {held} is too small",
            hint="give --earlier with the tables.csv of the rounds already held, and --held 1 or "
            "more (default: every round in that file)",
        )
    balance, spread = _column_names(balance, spread)
    pool = read_pool(panel, id_column=id_column)
    every_id = [str(v).strip() for v in pool.table[pool.id_column]]
    away = _absent_members(pool.path, pool.id_column, every_id, absent)
    attending = [i for i, person in enumerate(every_id) if person not in away]
    ids = tuple(every_id[i] for i in attending)
    header = [str(c) for c in pool.table.columns]
    used = {normalize(pool.id_column)}
    columns: list[list[Column]] = [[], []]
    for kind, names in enumerate((balance, spread)):
        for name in names:
            actual = _panel_column(pool.path, header, name, "balance" if kind == 0 else "spread")
            if normalize(actual) in used:
                raise UsageError(
                    f"column {quoted(actual)} cannot be balanced or spread",
                    hint="name feature columns, not the id column",
                )
            every_cell = [str(v) for v in pool.table[actual]]
            cells = [every_cell[i] for i in attending]
            for i, cell in zip(attending, cells, strict=True):
                if not cell.strip():
                    raise InputError(
                        f"the {actual} value is blank",
                        location=Location(file=pool.path, row=i + FIRST_DATA_ROW, column=actual),
                        hint="fill it in, or write a value such as 'unknown' for members "
                        "whose value is not known",
                    )
            columns[kind].append(column_from_cells(actual, cells, normalize))
    shown = list(dict.fromkeys(_panel_column(pool.path, header, name, "label") for name in label))
    shown_cells = [[str(v).strip() for v in pool.table[c]] for c in shown]
    labels = tuple(zip(*(tuple(cells[i] for i in attending) for cells in shown_cells), strict=True))
    index = {person: i for i, person in enumerate(ids)}
    together = () if keep_together is None else read_keep_together(keep_together, index, away)
    apart = () if keep_apart is None else read_keep_apart(keep_apart, index, away)
    held_rounds = None if earlier is None else read_earlier(earlier, index, held)
    sources = {"panel": pool.path}
    if earlier is not None:
        sources["earlier seating"] = str(earlier)
    if keep_together is not None:
        sources["keep-together"] = str(keep_together)
    if keep_apart is not None:
        sources["keep-apart"] = str(keep_apart)
    return SeatingProblem(
        ids,
        table_size,
        rounds,
        tuple(columns[0]),
        tuple(columns[1]),
        together,
        apart,
        sources,
        tuple(shown),
        labels,  # () without label columns
        held_rounds,
        tuple(person for person in every_id if person in away),
    )


def _absent_members(
    path: str, id_column: str, ids: Sequence[str], absent: Sequence[str]
) -> frozenset[str]:
    """The ids given as absent (blanks ignored), each checked to be on the panel; refused if
    nobody would be left to seat."""
    given = [person.strip() for person in absent if person.strip()]
    known = set(ids)
    for person in given:
        if person not in known:
            raise UsageError(
                f"absent id {quoted(person)} is not in the panel",
                location=Location(file=path, column=id_column),
                hint="give ids of the panel's id column, separated by commas",
            )
    away = frozenset(given)
    if known and known <= away:
        raise UsageError(
            "every member of the panel is absent",
            hint="list as absent only the members who miss these rounds",
        )
    return away


def _check_numbers(table_size: int, rounds: int) -> None:
    if table_size < 2:
        raise UsageError(
            f"--table-size {table_size} is too small", hint="seat at least 2 members per table"
        )
    if rounds < 1:
        raise UsageError(f"--rounds {rounds} is too small", hint="seat at least 1 round")


def _column_names(balance: Sequence[str], spread: Sequence[str]) -> tuple[list[str], list[str]]:
    """Names without repeats; a column both balanced and spread is a usage error."""
    kept: list[list[str]] = [[], []]
    seen: dict[str, int] = {}
    for kind, names in enumerate((balance, spread)):
        for name in names:
            key = normalize(name)
            if key in seen:
                if seen[key] != kind:
                    raise UsageError(
                        f"column {quoted(name)} is both balanced and spread",
                        hint="name it in --balance or in --spread, not both",
                    )
                continue
            seen[key] = kind
            kept[kind].append(name)
    return kept[0], kept[1]


def _panel_column(path: str, header: Sequence[str], wanted: str, role: str) -> str:
    matches = [h for h in header if normalize(h) == normalize(wanted)]
    if len(matches) > 1:
        raise InputError(
            f"{len(matches)} columns are named like {quoted(wanted)}: {listing(matches)}",
            location=Location(file=path, column=wanted),
            hint="rename the columns so that each name appears once (case and spaces are ignored)",
        )
    if not matches:
        raise MissingColumn(
            f"the panel has no column {quoted(wanted)} to {role}; columns found: {listing(header)}",
            location=Location(file=path, column=wanted),
            hint=f"check the names given to --{role}",
        )
    return matches[0]


def _member(
    table: Table,
    row: Sequence[str],
    position: int,
    number: int,
    index: dict[str, int],
    absent: frozenset[str],
) -> int | None:
    """The member named in one cell of a rule file (None if absent from these rounds)."""
    column = table.header[position]
    person = row[position].strip()
    where = Location(file=table.path, row=number, column=column)
    if not person:
        raise InputError(
            f"the {column} cell is blank",
            location=where,
            hint="fill in a panel id, or delete the row",
        )
    if person in absent:
        return None
    if person not in index:
        raise UnknownValue(
            f"id {quoted(person)} is not in the panel",
            location=where,
            hint="use the ids of the panel file (--id-column), or delete the row",
        )
    return index[person]


def read_keep_together(
    path: str | Path, index: dict[str, int], absent: frozenset[str] = frozenset()
) -> tuple[KeepTogether, ...]:
    """Keep-together groups (columns group,id) in order of first appearance; members in
    `absent` are left out, and a group with fewer than two members left is set aside."""
    table = read_table(path)
    group_at = table.position("group", role="keep-together file")
    id_at = table.position("id", role="keep-together file")
    members: dict[str, list[int]] = {}
    rows: dict[str, list[int]] = {}
    lost: set[str] = set()  # groups with a member absent from these rounds
    for k, row in enumerate(table.rows):
        if all(not cell.strip() for cell in row):
            continue
        number = k + FIRST_DATA_ROW
        label = row[group_at].strip()
        if not label:
            raise InputError(
                "the group cell is blank",
                location=Location(file=table.path, row=number, column=table.header[group_at]),
                hint="name the group (any label, the same on every row of the group)",
            )
        person = _member(table, row, id_at, number, index, absent)
        group = members.setdefault(label, [])
        if person is None:
            lost.add(label)
        elif person not in group:
            group.append(person)
        rows.setdefault(label, []).append(number)
    return tuple(
        KeepTogether(label, tuple(sorted(members[label])), tuple(rows[label]), table.path)
        for label in members
        if len(members[label]) > 1 or label not in lost
    )


def read_keep_apart(
    path: str | Path, index: dict[str, int], absent: frozenset[str] = frozenset()
) -> tuple[KeepApart, ...]:
    """Keep-apart pairs (columns id_a,id_b) in file order; pairs with a member in `absent` are
    set aside."""
    table = read_table(path)
    a_at = table.position("id_a", role="keep-apart file")
    b_at = table.position("id_b", role="keep-apart file")
    pairs: list[KeepApart] = []
    for k, row in enumerate(table.rows):
        if all(not cell.strip() for cell in row):
            continue
        number = k + FIRST_DATA_ROW
        a = _member(table, row, a_at, number, index, absent)
        b = _member(table, row, b_at, number, index, absent)
        if a is None or b is None:
            continue
        if a == b:
            raise InputError(
                f"id {quoted(row[a_at].strip())} is to be kept apart from themselves",
                location=Location(file=table.path, row=number, column=table.header[b_at]),
                hint="name two different members in the row",
            )
        pairs.append(KeepApart(min(a, b), max(a, b), number, table.path))
    return tuple(pairs)
