"""Reading and checking a register for the invitation lottery (step 1 of the procedure: strata).

Owns `Register` and `read_register`: only the id and strata columns are parsed (pandas' C parser)
and every check is vectorized, so that registers of millions of rows read in seconds. Refuses a
workbook, bytes that are not UTF-8, a missing column, a blank or repeated id and a blank or
ambiguous stratum, naming the file, the spreadsheet row and the column. The file's bytes are kept
on the `Register`, for the hash, the invited rows (`sortition.invite.output`) and pseudonyms.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import numpy as np
import pandas as pd

from sortition.errors import (
    BlankId,
    DuplicateId,
    EmptyPool,
    InputError,
    Location,
    UnknownValue,
    UnreadableFile,
)
from sortition.inputs.tables import (
    normalize,
    read_bytes,
    require_column,
    sniff_delimiter,
)
from sortition.text import listing, one_line, quoted, quoted_path

FIRST_DATA_ROW = 2  # spreadsheet row of the register's first resident
HEADER_PROBE_BYTES = 1 << 16  # the header is read from the file's first 64 KiB
UTF8_CHUNK_BYTES = 1 << 24  # the register is checked to be UTF-8 16 MiB at a time


class BlankStratum(UnknownValue):
    """A resident with a blank cell in a strata column (same code as any unknown value)."""


@dataclass(frozen=True, eq=False)
class Register:
    """The id and strata columns of a register, checked; strata numbered in key order.

    `data` keeps the file's bytes, from which the invited rows are cut and the hash was taken.
    """

    path: str
    sha256: str
    header: tuple[str, ...]
    delimiter: str
    id_column: str
    strata_columns: tuple[str, ...]
    ids: np.ndarray  # object array of ids (surrounding spaces removed), register order
    stratum_of: np.ndarray  # index into `strata` of every resident
    strata: tuple[tuple[str, ...], ...]  # stratum keys in key order
    sizes: np.ndarray  # residents per stratum
    parsed_rows: int  # data rows the parser saw, trailing blank rows included
    data: bytes

    @property
    def population(self) -> int:
        return len(self.ids)


def read_register(
    path: str | Path, *, id_column: str = "id", strata_columns: Sequence[str] = ()
) -> Register:
    """Read the id and strata columns of a register CSV and check them (see the module docstring).

    Refuses a missing column, a blank id, a duplicate id and a blank or ambiguous stratum, naming
    the file, the spreadsheet row (the header is row 1) and the column.
    """
    shown = str(path)
    if Path(shown).suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        raise UnreadableFile(
            f"{quoted_path(shown)} is a spreadsheet workbook; the register must be CSV",
            location=Location(file=shown),
            hint="export the register as CSV UTF-8",
        )
    data = read_bytes(shown)
    sha = hashlib.sha256(data).hexdigest()
    header, delimiter = _header(shown, data)
    id_actual = _column(shown, header, id_column, "id")
    strata_actual: list[str] = []
    for wanted in strata_columns:
        actual = _column(shown, header, wanted, "strata")
        if actual not in strata_actual:
            strata_actual.append(actual)
    wanted_positions = [header.index(id_actual), *(header.index(c) for c in strata_actual)]
    positions = sorted(set(wanted_positions))
    table = _parse_columns(shown, data, delimiter, positions)
    parsed_rows = len(table)
    columns = {p: table.iloc[:, positions.index(p)].to_numpy(dtype=object) for p in positions}
    raw_ids = columns[header.index(id_actual)]
    ids = pd.Series(raw_ids, dtype=object).str.strip().to_numpy(dtype=object)
    codes = [_strip_codes(columns[header.index(c)]) for c in strata_actual]
    rows = _without_trailing_blanks(ids, codes)
    if rows == 0:
        raise EmptyPool(
            f"the register {quoted_path(shown)} has no residents",
            location=Location(file=shown),
            hint="put one resident per row below the header",
        )
    ids = ids[:rows]
    codes = [(row_codes[:rows], values) for row_codes, values in codes]
    _check_ids(shown, ids, id_actual)
    stratum_of, strata = _strata(shown, rows, codes, strata_actual)
    sizes = np.bincount(stratum_of, minlength=len(strata)).astype(np.int64)
    return Register(
        shown,
        sha,
        tuple(header),
        delimiter,
        id_actual,
        tuple(strata_actual),
        ids,
        stratum_of,
        strata,
        sizes,
        parsed_rows,
        data,
    )


def _header(shown: str, data: bytes) -> tuple[list[str], str]:
    """The header names (stripped) and the delimiter that splits the header into most fields."""
    if data.startswith(b"PK\x03\x04"):
        raise UnreadableFile(
            f"{quoted_path(shown)} looks like an Excel workbook, not CSV text",
            location=Location(file=shown),
            hint="export it as CSV UTF-8",
        )
    _check_utf8(shown, data)
    probe = data[:HEADER_PROBE_BYTES].decode("utf-8-sig", errors="replace")
    delimiter = sniff_delimiter(probe)
    header = next(csv.reader(io.StringIO(probe, newline=""), delimiter=delimiter), [])
    header = [name.strip() for name in header]
    if not any(header):
        raise EmptyPool(
            f"the register {quoted_path(shown)} is empty",
            location=Location(file=shown),
            hint="put the column names on the first row and one resident per row",
        )
    return header, delimiter


def _check_utf8(shown: str, data: bytes) -> None:
    """Refuse bytes that are not UTF-8, naming the line (the parser decodes only some columns)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    for start in range(0, len(data), UTF8_CHUNK_BYTES):
        pending = len(decoder.getstate()[0])  # bytes of a character cut by the last chunk
        try:
            decoder.decode(data[start : start + UTF8_CHUNK_BYTES], final=False)
        except UnicodeDecodeError as error:
            _not_utf8(shown, data, start - pending + error.start)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        _not_utf8(shown, data, len(data) - 1)


def _not_utf8(shown: str, data: bytes, offset: int) -> NoReturn:
    line = data.count(b"\n", 0, offset) + 1
    raise UnreadableFile(
        f"{quoted_path(shown)} is not UTF-8 text (byte 0x{data[offset]:02x} in line {line})",
        location=Location(file=shown),
        hint="save the register as CSV UTF-8 and retry",
    )


def _column(shown: str, header: Sequence[str], wanted: str, role: str) -> str:
    option = "--id-column" if role == "id" else "--strata"
    return require_column(
        header,
        wanted,
        shown=shown,
        missing=f"the register has no {role} column {quoted(wanted)}; "
        f"columns found: {listing(header)}",
        hint=f"pass {option} with a column name from the register's first row",
    )


def _parse_columns(shown: str, data: bytes, delimiter: str, positions: list[int]) -> pd.DataFrame:
    """The given columns of every data row as text, blank lines kept as rows (row numbers hold)."""
    try:
        return pd.read_csv(
            io.BytesIO(data),
            sep=delimiter,
            header=0,
            index_col=False,
            usecols=positions,
            dtype=object,
            engine="c",
            na_filter=False,
            skip_blank_lines=False,
            encoding="utf-8",
        )
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            f"{quoted_path(shown)} is not UTF-8 text (byte 0x{data[error.start]:02x} near offset "
            f"{error.start})",
            location=Location(file=shown),
            hint="save the register as CSV UTF-8 and retry",
        ) from error
    except (ValueError, pd.errors.ParserError) as error:
        raise UnreadableFile(
            f"{quoted_path(shown)} is not valid CSV: {one_line(str(error))}",
            location=Location(file=shown),
            hint="check the quotes and the number of cells in that line, or re-export as CSV",
        ) from error


def _strip_codes(cells: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Codes of the cells' values with surrounding spaces removed, and those values."""
    raw_codes, raw_values = pd.factorize(cells, sort=False)
    stripped = [str(value).strip() for value in raw_values.tolist()]
    merged, values = pd.factorize(np.array(stripped, dtype=object), sort=False)
    return merged[raw_codes].astype(np.int64), [str(v) for v in values.tolist()]


def _without_trailing_blanks(ids: np.ndarray, codes: list[tuple[np.ndarray, list[str]]]) -> int:
    """The number of rows once trailing rows blank in the id and strata columns are dropped."""
    blank = ids == ""
    for row_codes, values in codes:
        blank_value = np.array([v == "" for v in values], dtype=bool)
        blank &= blank_value[row_codes]
    kept = np.flatnonzero(~blank)
    return int(kept[-1]) + 1 if len(kept) else 0


def _check_ids(shown: str, ids: np.ndarray, column: str) -> None:
    """Refuse a blank or repeated id (hash sort; exact comparison of colliding hashes)."""
    blank = np.flatnonzero(ids == "")
    if len(blank):
        row = int(blank[0]) + FIRST_DATA_ROW
        raise BlankId(
            f"resident in row {row} has a blank id",
            location=Location(file=shown, row=row, column=column),
            hint="fill in a unique id, or delete the row if it is empty",
        )
    hashes = pd.util.hash_array(ids, categorize=False)
    ordered = np.sort(hashes)
    repeated = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
    if not len(repeated):
        return
    first_row: dict[str, int] = {}
    for i in np.flatnonzero(np.isin(hashes, repeated)).tolist():
        person = str(ids[i])
        earlier = first_row.setdefault(person, i)
        if earlier != i:
            row = i + FIRST_DATA_ROW
            raise DuplicateId(
                f"id {quoted(person)} appears in rows {earlier + FIRST_DATA_ROW} and {row}",
                location=Location(file=shown, row=row, column=column),
                hint="give every resident a unique id, or remove the duplicate",
            )


def _strata(
    shown: str, rows: int, codes: list[tuple[np.ndarray, list[str]]], columns: Sequence[str]
) -> tuple[np.ndarray, tuple[tuple[str, ...], ...]]:
    """Every row's stratum index, strata numbered in key order, and the keys."""
    if not codes:
        return np.zeros(rows, dtype=np.int64), ((),)
    combined = np.zeros(rows, dtype=np.int64)
    for row_codes, values in codes:
        combined = combined * len(values) + row_codes
    first_code, uniques = pd.factorize(combined, sort=False)
    first_rows = np.full(len(uniques), rows, dtype=np.int64)
    np.minimum.at(first_rows, first_code, np.arange(rows, dtype=np.int64))
    keys: list[tuple[str, ...]] = []
    for code, first in zip(uniques.tolist(), first_rows.tolist(), strict=True):
        digits = []
        rest = code
        for _, values in reversed(codes):
            rest, digit = divmod(rest, len(values))
            digits.append(values[digit])
        key = tuple(reversed(digits))
        for column, value in zip(columns, key, strict=True):
            if not value:
                row = first + FIRST_DATA_ROW
                raise BlankStratum(
                    f"resident in row {row} has a blank {column}",
                    location=Location(file=shown, row=row, column=column),
                    hint=f"fill in the resident's {column}, or leave {column} out of --strata",
                )
        keys.append(key)
    seen: dict[tuple[str, ...], int] = {}
    for k in sorted(range(len(keys)), key=lambda k: int(first_rows[k])):
        spelled = tuple(normalize(value) for value in keys[k])
        other = seen.setdefault(spelled, k)
        if other != k:
            row = int(first_rows[k]) + FIRST_DATA_ROW
            raise InputError(
                f"strata {quoted(' / '.join(keys[other]))} (row "
                f"{int(first_rows[other]) + FIRST_DATA_ROW}) and {quoted(' / '.join(keys[k]))} "
                f"(row {row}) differ only in case or spacing",
                location=Location(file=shown, row=row, column=", ".join(columns)),
                hint="spell every stratum the same way throughout the register",
            )
    order = sorted(range(len(keys)), key=lambda k: keys[k])
    rank = np.empty(len(keys), dtype=np.int64)
    rank[order] = np.arange(len(keys), dtype=np.int64)
    return rank[first_code], tuple(keys[k] for k in order)
