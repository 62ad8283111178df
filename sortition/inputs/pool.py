"""Reading registrant pools: every column as text, with the id column checked.

It owns `Pool` and `read_pool`: the id column must exist and ids must be present and unique.
Row i of `Pool.table` is spreadsheet row i + 2. The file is read by `sortition.inputs.tables`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sortition.errors import BlankId, DuplicateId, EmptyPool, Location
from sortition.inputs.tables import FIRST_DATA_ROW, read_raw, require_column
from sortition.text import listing, quoted, quoted_path


@dataclass(frozen=True, eq=False)
class Pool:
    """The registrants as read: every column as text, in file order (row i is spreadsheet i + 2)."""

    path: str
    table: pd.DataFrame
    id_column: str
    sha256: str


def read_pool(path: str | Path, *, id_column: str = "id") -> Pool:
    """Read a registrant pool; check the id column exists and ids are present and unique."""
    shown = str(path)
    raw = read_raw(path)
    if not raw.header:
        raise EmptyPool(
            f"the pool file {quoted_path(shown)} is empty",
            location=Location(file=shown),
            hint="put the column names on the first row and one registrant per row",
        )
    found = listing(raw.header) if any(raw.header) else "none"
    hint = "pass --id-column with the name of the column that holds registrant ids"
    if not any(raw.header):
        hint += "; the column names must be on the first row"
    actual = require_column(
        raw.header,
        id_column,
        shown=shown,
        missing=f"the pool has no id column {quoted(id_column)}; columns found: {found}",
        hint=hint,
    )
    if not raw.rows:
        raise EmptyPool(
            f"the pool file {quoted_path(shown)} has no registrants",
            location=Location(file=shown),
            hint="add one row per registrant below the header",
        )
    position = raw.header.index(actual)
    first_row: dict[str, int] = {}
    for i, record in enumerate(raw.rows):
        row = i + FIRST_DATA_ROW
        person = record[position].strip()
        if not person:
            raise BlankId(
                f"registrant in row {row} has a blank id",
                location=Location(file=shown, row=row, column=actual),
                hint="fill in a unique id, or delete the row if it is empty",
            )
        earlier = first_row.setdefault(person, row)
        if earlier != row:
            raise DuplicateId(
                f"id {quoted(person)} appears in rows {earlier} and {row}",
                location=Location(file=shown, row=row, column=actual),
                hint="give every registrant a unique id, or remove the duplicate",
            )
    table = pd.DataFrame(raw.rows, columns=raw.header, dtype=object)
    return Pool(shown, table, actual, raw.sha256)


__all__ = ["Pool", "read_pool"]
