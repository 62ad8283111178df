"""Reading a census in long format: one row per census cell, with a population count.

It owns `CensusTable`, `read_census` and `BadCensusCount`: every count must be a whole number of
at least 0, and blank rows are left out. The file is read by `sortition.inputs.tables`, like pools.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sortition.errors import BadQuotaNumber, InputError, Location
from sortition.inputs.tables import (
    FIRST_DATA_ROW,
    WHOLE_NUMBER,
    read_raw,
    require_column,
)
from sortition.text import listing, quoted, quoted_path

DEFAULT_COUNT_COLUMN = "population"
# The 2017 census of the 52 communes of the Santiago Metropolitan Region by commune, province,
# sex and 5-year age band, shipped inside the package (a copy of
# data/samples/census2017_rm_communes.csv) for the web app's quota page and the generator.
BUNDLED_CENSUS = Path(__file__).resolve().parents[2] / "data" / "census2017_rm_communes.csv"


class BadCensusCount(BadQuotaNumber):
    """A census count that is blank, negative or not a whole number (same code as quota numbers)."""


@dataclass(frozen=True)
class CensusTable:
    """A census in long format as read: cell text per column, and the count of each row.

    Blank rows are left out, so `row_numbers[i]` is the spreadsheet row of `rows[i]` and
    `counts[i]`; `count_column` is the header's spelling of the count column.
    """

    path: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    row_numbers: tuple[int, ...]
    counts: tuple[int, ...]
    count_column: str
    sha256: str

    def column(self, wanted: str, *, hint: str) -> str:
        """The header's spelling of column `wanted` (case and spaces ignored); MissingColumn
        naming the columns there are, with `hint` saying which option named it."""
        return require_column(
            self.header,
            wanted,
            shown=self.path,
            missing=f"the census has no column {quoted(wanted)}; columns found: "
            f"{listing(self.header)}",
            hint=hint,
        )


def read_census(path: str | Path, *, count_column: str = DEFAULT_COUNT_COLUMN) -> CensusTable:
    """Read a long-format census (CSV or XLSX, like pools): every count a whole number >= 0."""
    shown = str(path)
    raw = read_raw(path)
    if not any(raw.header):
        raise InputError(
            f"the census file {quoted_path(shown)} is empty",
            location=Location(file=shown),
            hint="put the column names on the first row and one census cell per row",
        )
    actual = require_column(
        raw.header,
        count_column,
        shown=shown,
        missing=f"the census has no count column {quoted(count_column)}; "
        f"columns found: {listing(raw.header)}",
        hint="pass --count-column with the name of the column holding the population counts",
    )
    position = raw.header.index(actual)
    rows: list[tuple[str, ...]] = []
    numbers: list[int] = []
    counts: list[int] = []
    for i, record in enumerate(raw.rows):
        if all(not cell.strip() for cell in record):
            continue
        where = Location(file=shown, row=i + FIRST_DATA_ROW, column=actual)
        counts.append(_count(record[position].strip(), where))
        rows.append(tuple(cell.strip() for cell in record))
        numbers.append(i + FIRST_DATA_ROW)
    if not rows:
        raise InputError(
            f"the census file {quoted_path(shown)} has no rows",
            location=Location(file=shown),
            hint="add one row per census cell below the header",
        )
    return CensusTable(
        shown, tuple(raw.header), tuple(rows), tuple(numbers), tuple(counts), actual, raw.sha256
    )


def _count(text: str, where: Location) -> int:
    hint = f"write the count as a whole number of at least 0 (such as 1234) in {where.column}"
    match = WHOLE_NUMBER.fullmatch(text)
    if match:
        return int(match.group(1))
    if not text:
        problem = f"{where.column} in row {where.row} is blank"
    elif text.startswith("-") and WHOLE_NUMBER.fullmatch(text[1:]):
        problem = f"{where.column} {quoted(text)} in row {where.row} is negative"
    else:
        problem = f"{where.column} {quoted(text)} in row {where.row} is not a whole number"
    raise BadCensusCount(problem, location=where, hint=hint)


__all__ = ["DEFAULT_COUNT_COLUMN", "BadCensusCount", "CensusTable", "read_census"]
