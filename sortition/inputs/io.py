"""Reading registrant pools and quota tables (CSV or XLSX), validating them, and writing outputs.

Every cell is read as text and kept as written; names and values are compared after `normalize`
(case, accents composed, surrounding and repeated spaces ignored). Problems raise the coded errors
of `sortition.errors` with the file, the spreadsheet row (the header is row 1) and the column.
Row i of `Pool.table` is spreadsheet row i + 2.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sortition.errors import (
    BadQuotaNumber,
    BlankId,
    DuplicateId,
    DuplicateQuota,
    EmptyPool,
    InputError,
    Location,
    MissingColumn,
    QuotaMinAboveMax,
    UnknownQuotaFormat,
    UnknownValue,
    UnreadableFile,
)
from sortition.instance import NO_HOUSEHOLD, Feature, Instance, Quota
from sortition.outputs.files import (
    dataframe_to_csv_bytes,
    quotas_to_csv_bytes,
    write_files_atomically,
)
from sortition.text import listing, one_line, quoted

CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
DELIMITERS = (",", ";", "\t")  # ties go to the earlier one
FIRST_DATA_ROW = 2  # spreadsheet row of the first registrant / quota line

# Accepted quota headers: format name -> (feature column, value column).
QUOTA_FORMATS: dict[str, tuple[str, str]] = {
    "feature,value": ("feature", "value"),
    "category,name": ("category", "name"),
    "category,feature": ("category", "feature"),
}
ACCEPTED_QUOTA_HEADERS = tuple(f"{name},min,max" for name in QUOTA_FORMATS)

_WHOLE_NUMBER = re.compile(r"\+?(\d+)(?:\.0*)?")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


@dataclass(frozen=True, eq=False)
class Pool:
    """The registrants as read: every column as text, in file order (row i is spreadsheet i + 2)."""

    path: str
    table: pd.DataFrame
    id_column: str
    sha256: str


@dataclass(frozen=True)
class QuotaTable:
    """Features with their values and quotas, in file order and original spelling."""

    path: str
    features: tuple[Feature, ...]
    format: str
    sha256: str


@dataclass(frozen=True, eq=False)
class LoadedInstance:
    """An `Instance` with the pool and quota table it came from and the pool columns it used."""

    pool: Pool
    quotas: QuotaTable
    instance: Instance
    feature_columns: tuple[str, ...]
    household_columns: tuple[str, ...]


def normalize(text: str) -> str:
    """Text for comparison: NFC, case folded, trimmed, inner whitespace collapsed to one space."""
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
    return " ".join(folded.split())


# ---------------------------------------------------------------------------------------------
# Reading raw tables


@dataclass(frozen=True)
class RawTable:
    header: list[str]  # stripped header names
    rows: list[list[str]]  # data rows, padded to the header's width; rows[i] is row i + 2
    sha256: str


def read_raw(path: str | Path) -> RawTable:
    shown = str(path)
    data = read_bytes(shown)
    sha = hashlib.sha256(data).hexdigest()
    suffix = Path(shown).suffix.lower()
    if suffix in XLSX_SUFFIXES:
        records = _parse_xlsx(shown, data)
    elif suffix in CSV_SUFFIXES:
        records = _parse_csv(shown, data)
        _refuse_short_rows(shown, records)
    elif suffix == ".xls":
        raise UnreadableFile(
            f"{quoted(shown)} is an old Excel .xls workbook, which is not supported",
            location=Location(file=shown),
            hint="save it as .xlsx or as CSV UTF-8",
        )
    else:
        raise UnreadableFile(
            f"{quoted(shown)} has an unsupported file type {quoted(suffix or '(none)')}",
            location=Location(file=shown),
            hint="use a .csv (UTF-8) or .xlsx file",
        )
    return _shape(shown, records, sha)


def read_bytes(shown: str) -> bytes:
    try:
        with open(shown, "rb") as handle:
            return handle.read()
    except FileNotFoundError as exc:
        raise UnreadableFile(
            f"file {quoted(shown)} does not exist",
            location=Location(file=shown),
            hint="check the path and the file name",
        ) from exc
    except IsADirectoryError as exc:
        raise UnreadableFile(
            f"{quoted(shown)} is a directory, not a file",
            location=Location(file=shown),
            hint="give the path of a .csv or .xlsx file",
        ) from exc
    except PermissionError as exc:
        raise UnreadableFile(
            f"no permission to read {quoted(shown)}",
            location=Location(file=shown),
            hint="check the file's permissions",
        ) from exc
    except OSError as exc:
        raise UnreadableFile(
            f"cannot read {quoted(shown)}: {one_line(exc.strerror or str(exc))}",
            location=Location(file=shown),
            hint="check the path and that the file is readable",
        ) from exc


def _parse_csv(shown: str, data: bytes) -> list[list[str]]:
    if data.startswith(b"PK\x03\x04"):
        raise UnreadableFile(
            f"{quoted(shown)} looks like an Excel workbook, not CSV text",
            location=Location(file=shown),
            hint="rename it to .xlsx, or export it as CSV UTF-8",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row, column = _first_cell_with(data.decode("utf-8-sig", "surrogateescape"), _UNDECODED)
        row = row or data.count(b"\n", 0, exc.start) + 1
        raise UnreadableFile(
            f"the file is not UTF-8 text: byte 0x{data[exc.start]:02x} in this row is not valid "
            "UTF-8 (the file may be saved as Latin-1 or Windows-1252)",
            location=Location(file=shown, row=row, column=column),
            hint="save the file as 'CSV UTF-8' (Excel: File > Save As > CSV UTF-8) and retry",
        ) from exc
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    try:
        records.extend(list(record) for record in reader)
        _refuse_nul(shown, records)
        return records
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise _cell_too_long(shown, text, delimiter, len(records) + 1) from exc
        raise UnreadableFile(
            f"{quoted(shown)} is not valid CSV near line {reader.line_num}: {one_line(str(exc))}",
            location=Location(file=shown),
            hint="check the quotes in that line, or re-export the file as CSV UTF-8",
        ) from exc


_UNDECODED = re.compile("[\udc80-\udcff]")  # bytes not UTF-8, as kept by surrogateescape


def _first_cell_with(
    text: str, pattern: re.Pattern[str], limit: int | None = None
) -> tuple[int | None, str | None]:
    """The spreadsheet row and column name of the first cell matching `pattern` (or longer than
    `limit`), parsing `text` leniently; (None, None) if there is none or the text is no CSV."""
    previous = csv.field_size_limit()
    try:
        csv.field_size_limit(max(previous, len(text) + 1))
        records = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
        header: list[str] = []
        for i, record in enumerate(records):
            header = header or record
            for j, cell in enumerate(record):
                if pattern.search(cell) or (limit is not None and len(cell) > limit):
                    column = header[j].strip() if i and j < len(header) else None
                    return i + 1, column
    except csv.Error:
        pass
    finally:
        csv.field_size_limit(previous)
    return None, None


def _cell_too_long(shown: str, text: str, delimiter: str, record: int) -> UnreadableFile:
    """The error for a cell beyond the csv module's field size limit, with its row and column."""
    limit = csv.field_size_limit()
    row, column = _first_cell_with(text, re.compile("(?!)"), limit)
    return UnreadableFile(
        f"the cell is longer than {limit:,} characters, the most a cell may hold",
        location=Location(file=shown, row=row or record, column=column),
        hint="shorten that cell or remove the column; if it should not be that long, look for "
        "a quote left open before it",
    )


def _refuse_nul(shown: str, records: list[list[str]]) -> None:
    """NUL characters are refused: they are no text and would pass into every output."""
    for i, record in enumerate(records):
        for j, cell in enumerate(record):
            if "\x00" in cell:
                column = records[0][j].strip() if i and j < len(records[0]) else None
                raise UnreadableFile(
                    "the cell holds a NUL character (byte 0), which is not text",
                    location=Location(file=shown, row=i + 1, column=column),
                    hint="remove the character (the file may be damaged), or re-export the file "
                    "as CSV UTF-8",
                )


def _refuse_short_rows(shown: str, records: list[list[str]]) -> None:
    """A CSV row with fewer fields than the header (not a blank line) is refused, rather than
    read as blank values: a line break inside an unquoted value splits a row in two."""
    named = [j for j, name in enumerate(records[0] if records else []) if name.strip()]
    if not named:
        return
    width = named[-1] + 1  # an unnamed empty column at the end may lack cells
    for i, record in enumerate(records[1:], start=FIRST_DATA_ROW):
        if len(record) < width and not _is_blank(record):
            raise UnreadableFile(
                f"the row has fewer fields than the header ({len(record)} of {width}); its "
                "missing values would be read as blank",
                location=Location(file=shown, row=i),
                hint="fill in the missing cells (with empty ones if need be); a value holding "
                "a line break must be in quotes",
            )


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header record into the most fields."""
    best, best_count = DELIMITERS[0], -1
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            count = len(next(reader, []))
        except csv.Error:
            continue
        if count > best_count:
            best, best_count = delimiter, count
    return best


def _parse_xlsx(shown: str, data: bytes) -> list[list[str]]:
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported styles/extensions
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = workbook.worksheets[0]
                sheet.reset_dimensions()  # some writers record wrong dimensions
                rows = sheet.iter_rows(values_only=True)
                records = [[_cell_text(value) for value in row] for row in rows]
            finally:
                workbook.close()
    except Exception as exc:  # openpyxl raises many kinds of errors on damaged files
        raise UnreadableFile(
            f"{quoted(shown)} is not a readable Excel workbook: "
            f"{one_line(type(exc).__name__ + ' ' + str(exc))}",
            location=Location(file=shown),
            hint="open and re-save it in a spreadsheet program, or export as CSV UTF-8",
        ) from exc
    _refuse_nul(shown, records)
    return records


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person sees (integral numbers without '.0')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _is_blank(cells: Sequence[str]) -> bool:
    return all(not c.strip() for c in cells)


def _shape(shown: str, records: list[list[str]], sha: str) -> RawTable:
    """Header + padded rows; drops trailing blank rows and empty columns without a header."""
    while records and _is_blank(records[-1]):
        records.pop()
    if not records:
        return RawTable([], [], sha)
    header = [h.strip() for h in records[0]]
    data = records[1:]
    width = len(header)
    for i, record in enumerate(data):
        if len(record) > width:
            if not _is_blank(record[width:]):
                raise UnreadableFile(
                    f"row {i + FIRST_DATA_ROW} has {len(record)} cells but the header has {width}",
                    location=Location(file=shown, row=i + FIRST_DATA_ROW),
                    hint="quote values that contain the delimiter, or name the extra column in "
                    "the header",
                )
            del record[width:]
        elif len(record) < width:
            record.extend([""] * (width - len(record)))
    keep = [j for j in range(width) if header[j] or any(r[j].strip() for r in data)]
    if len(keep) < width:
        header = [header[j] for j in keep]
        data = [[r[j] for j in keep] for r in data]
    return RawTable(header, data, sha)


def find_column(header: Sequence[str], wanted: str, *, shown: str) -> str | None:
    """The actual header name equal to `wanted` after normalize; None if absent."""
    key = normalize(wanted)
    matches = [h for h in header if normalize(h) == key]
    if len(matches) > 1:
        raise InputError(
            f"{len(matches)} columns are named like {quoted(wanted)}: {listing(matches)}",
            location=Location(file=shown, column=wanted),
            hint="rename the columns so that each name appears once (case and spaces are ignored)",
        )
    return matches[0] if matches else None


@dataclass(frozen=True, eq=False)
class Table:
    """Any CSV or XLSX table as read, for inputs other than pools and quota tables (such as the
    seating rules of `sortition tables`): stripped header names and text rows, rows[i] being
    spreadsheet row i + 2, with the file checks of the pool reader."""

    path: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    sha256: str

    def position(self, wanted: str, *, role: str = "table") -> int:
        """Index of the column named like `wanted` (case and spaces ignored); MissingColumn,
        naming the columns found, if there is none."""
        actual = find_column(self.header, wanted, shown=self.path)
        if actual is None:
            found = listing(self.header) if any(self.header) else "none"
            raise MissingColumn(
                f"the {role} has no column {quoted(wanted)}; columns found: {found}",
                location=Location(file=self.path, column=wanted),
                hint=f"name the columns on the first row of the {role}",
            )
        return self.header.index(actual)


def read_table(path: str | Path) -> Table:
    """Read any CSV (UTF-8, comma, semicolon or tab) or XLSX (first sheet) table; blank rows are
    kept (so that rows[i] stays spreadsheet row i + 2) for the caller to skip."""
    raw = read_raw(path)
    return Table(str(path), tuple(raw.header), tuple(tuple(r) for r in raw.rows), raw.sha256)


# ---------------------------------------------------------------------------------------------
# Pools


def read_pool(path: str | Path, *, id_column: str = "id") -> Pool:
    """Read a registrant pool; check the id column exists and ids are present and unique."""
    shown = str(path)
    raw = read_raw(path)
    if not raw.header:
        raise EmptyPool(
            f"the pool file {quoted(shown)} is empty",
            location=Location(file=shown),
            hint="put the column names on the first row and one registrant per row",
        )
    actual = find_column(raw.header, id_column, shown=shown)
    if actual is None:
        found = listing(raw.header) if any(raw.header) else "none"
        hint = "pass --id-column with the name of the column that holds registrant ids"
        if not any(raw.header):
            hint += "; the column names must be on the first row"
        raise MissingColumn(
            f"the pool has no id column {quoted(id_column)}; columns found: {found}",
            location=Location(file=shown, column=id_column),
            hint=hint,
        )
    if not raw.rows:
        raise EmptyPool(
            f"the pool file {quoted(shown)} has no registrants",
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


# ---------------------------------------------------------------------------------------------
# Quota tables


def _header_key(name: str) -> str:
    return normalize(name).replace("-", "_").replace(" ", "_")


def read_quotas(path: str | Path) -> QuotaTable:
    """Read a quota table in one of the accepted formats (see `ACCEPTED_QUOTA_HEADERS`)."""
    shown = str(path)
    raw = read_raw(path)
    fmt, columns = _quota_columns(shown, raw.header)
    feature_key, value_key = QUOTA_FORMATS[fmt]
    order: list[str] = []  # normalized feature names in order of first appearance
    spelling: dict[str, str] = {}
    values: dict[str, list[str]] = {}
    quotas: dict[str, list[Quota]] = {}
    seen: dict[tuple[str, str], int] = {}
    for i, record in enumerate(raw.rows):
        if _is_blank(record):
            continue
        row = i + FIRST_DATA_ROW
        cells = {key: "" if j is None else record[j].strip() for key, j in columns.items()}
        where = {
            key: Location(file=shown, row=row, column=None if j is None else raw.header[j])
            for key, j in columns.items()
        }
        name, value = cells[feature_key], cells[value_key]
        for key in (feature_key, value_key):
            if not cells[key]:
                raise InputError(
                    f"the {key} cell in quota row {row} is blank",
                    location=where[key],
                    hint=f"fill in the {key}, or delete the row",
                )
        quota = _parse_quota(cells, where, f"{name} = {value}")
        pair = (normalize(name), normalize(value))
        earlier = seen.setdefault(pair, row)
        if earlier != row:
            raise DuplicateQuota(
                f"quota for {quoted(f'{name} = {value}')} appears in rows {earlier} and {row}",
                location=where[value_key],
                hint="keep one row per feature value",
            )
        if pair[0] not in spelling:
            order.append(pair[0])
            spelling[pair[0]] = name
            values[pair[0]] = []
            quotas[pair[0]] = []
        values[pair[0]].append(value)
        quotas[pair[0]].append(quota)
    if not order:
        raise InputError(
            f"the quota table {quoted(shown)} has no rows",
            location=Location(file=shown),
            hint="add one row per feature value below the header",
        )
    features = tuple(Feature(spelling[k], tuple(values[k]), tuple(quotas[k])) for k in order)
    return QuotaTable(shown, features, fmt, raw.sha256)


def _quota_columns(shown: str, header: list[str]) -> tuple[str, dict[str, int | None]]:
    """The quota format and the position of each column it uses (None: absent optional column)."""
    keys = [_header_key(h) for h in header]
    fmt = next(
        (
            name
            for name, pair in QUOTA_FORMATS.items()
            if all(k in keys for k in (*pair, "min", "max"))
        ),
        None,
    )
    if fmt is None:
        shown_columns = listing(header) if any(header) else "none"
        raise UnknownQuotaFormat(
            f"unrecognized quota table header; columns found: {shown_columns}",
            location=Location(file=shown),
            hint="use one of these headers: "
            + " | ".join(ACCEPTED_QUOTA_HEADERS)
            + " (optionally with min_flex,max_flex)",
        )
    columns: dict[str, int | None] = {}
    for key in (*QUOTA_FORMATS[fmt], "min", "max", "min_flex", "max_flex"):
        found = [j for j, k in enumerate(keys) if k == key]
        if len(found) > 1:
            raise InputError(
                f"the quota header has {len(found)} columns named {quoted(key)}",
                location=Location(file=shown, column=header[found[1]]),
                hint="keep only one column with that name",
            )
        columns[key] = found[0] if found else None
    return fmt, columns


def _parse_quota(cells: dict[str, str], where: dict[str, Location], label: str) -> Quota:
    """Check and convert the min, max and optional flex cells of one quota row."""
    low = _quota_number(cells["min"], label, where["min"])
    high = _quota_number(cells["max"], label, where["max"])
    if low > high:
        raise QuotaMinAboveMax(
            f"min {low} is above max {high} for {quoted(label)}",
            location=where["min"],
            hint="make min at most max",
        )
    low_flex = high_flex = None
    if cells["min_flex"]:
        low_flex = _quota_number(cells["min_flex"], label, where["min_flex"])
        if low_flex > low:
            raise BadQuotaNumber(
                f"min_flex {low_flex} is above min {low} for {quoted(label)}",
                location=where["min_flex"],
                hint="min_flex is how far min may drop: make it at most min, or leave it blank",
            )
    if cells["max_flex"]:
        high_flex = _quota_number(cells["max_flex"], label, where["max_flex"])
        if high_flex < high:
            raise BadQuotaNumber(
                f"max_flex {high_flex} is below max {high} for {quoted(label)}",
                location=where["max_flex"],
                hint="max_flex is how far max may rise: make it at least max, or leave it blank",
            )
    return Quota(low, high, low_flex, high_flex)


def _quota_number(text: str, label: str, where: Location) -> int:
    column = where.column or "number"
    hint = f"write a whole number of at least 0 (such as 3) in {quoted(column)}"
    if not text:
        raise BadQuotaNumber(f"{column} for {quoted(label)} is blank", location=where, hint=hint)
    match = _WHOLE_NUMBER.fullmatch(text)
    if match:
        return int(match.group(1))
    if _NUMBER.fullmatch(text):
        problem = "is negative" if text.startswith("-") else "is not a whole number"
    else:
        problem = "is not a number"
    raise BadQuotaNumber(
        f"{column} {quoted(text)} for {quoted(label)} {problem}", location=where, hint=hint
    )


# ---------------------------------------------------------------------------------------------
# Building the instance


def build_instance(
    pool: Pool, quotas: QuotaTable, *, panel_size: int, household_columns: Sequence[str] = ()
) -> LoadedInstance:
    """Match the pool's columns and values to the quota table's features; group households."""
    table = pool.table
    header = [str(c) for c in table.columns]
    n = len(table)
    feature_columns: list[str] = []
    codes = np.empty((n, len(quotas.features)), dtype=np.int64)
    for f, feature in enumerate(quotas.features):
        actual = find_column(header, feature.name, shown=pool.path)
        if actual is None:
            raise MissingColumn(
                f"the quota table {quoted(quotas.path)} names feature {quoted(feature.name)} "
                "but the pool "
                f"has no such column; columns found: {listing(header)}",
                location=Location(file=pool.path, column=feature.name),
                hint="rename the pool column or the feature so they match (case and spaces are "
                "ignored)",
            )
        feature_columns.append(actual)
        codes[:, f] = _value_codes(pool, quotas, feature, actual, header.index(actual))

    actual_households: list[str] = []
    for wanted in household_columns:
        actual = find_column(header, wanted, shown=pool.path)
        if actual is None:
            raise MissingColumn(
                f"the pool has no household column {quoted(wanted)}; "
                f"columns found: {listing(header)}",
                location=Location(file=pool.path, column=wanted),
                hint="check the household column name",
            )
        if actual not in actual_households:
            actual_households.append(actual)
    households = _household_labels(table, [header.index(c) for c in actual_households])

    ids = tuple(str(v).strip() for v in table.iloc[:, header.index(pool.id_column)])
    instance = Instance(ids, quotas.features, codes, panel_size, households)
    return LoadedInstance(pool, quotas, instance, tuple(feature_columns), tuple(actual_households))


def _value_codes(
    pool: Pool, quotas: QuotaTable, feature: Feature, column: str, position: int
) -> np.ndarray:
    """Index into feature.values of every registrant's cell in `column`."""
    index = {normalize(v): i for i, v in enumerate(feature.values)}
    cells = pool.table.iloc[:, position].astype(str)
    row_codes, uniques = pd.factorize(cells, sort=False)
    unique_codes = np.array([index.get(normalize(u), -1) for u in uniques], dtype=np.int64)
    codes = unique_codes[row_codes] if len(uniques) else np.empty(0, dtype=np.int64)
    bad = np.flatnonzero(codes < 0)
    if len(bad):
        i = int(bad[0])
        value = str(cells.iloc[i])
        shown = "is blank" if not value.strip() else f"{quoted(value)} is not in the quota table"
        raise UnknownValue(
            f"{feature.name} value {shown}; allowed values: {listing(feature.values)}",
            location=Location(file=pool.path, row=i + FIRST_DATA_ROW, column=column),
            hint=f"correct the value, or add a quota row for it in {quotas.path}",
        )
    return codes


def _household_labels(table: pd.DataFrame, positions: list[int]) -> np.ndarray:
    """Label 0.. in order of first appearance; NO_HOUSEHOLD if any household cell is blank.
    Empty when there are no household columns (Instance: nobody shares a household)."""
    if not positions:
        return np.empty(0, dtype=np.int64)
    labels = np.full(len(table), NO_HOUSEHOLD, dtype=np.int64)
    columns = [[normalize(str(v)) for v in table.iloc[:, j]] for j in positions]
    seen: dict[tuple[str, ...], int] = {}
    for i in range(len(table)):
        key = tuple(col[i] for col in columns)
        if all(key):
            labels[i] = seen.setdefault(key, len(seen))
    return labels


def load_instance(
    pool_path: str | Path,
    quota_path: str | Path,
    *,
    panel_size: int,
    id_column: str = "id",
    household_columns: Sequence[str] = (),
) -> LoadedInstance:
    """Read a pool and a quota table and build the instance."""
    pool = read_pool(pool_path, id_column=id_column)
    quotas = read_quotas(quota_path)
    return build_instance(pool, quotas, panel_size=panel_size, household_columns=household_columns)


# ---------------------------------------------------------------------------------------------
# Writing


__all__ = [
    "ACCEPTED_QUOTA_HEADERS",
    "LoadedInstance",
    "Pool",
    "QuotaTable",
    "RawTable",
    "Table",
    "build_instance",
    "dataframe_to_csv_bytes",
    "find_column",
    "load_instance",
    "normalize",
    "quotas_to_csv_bytes",
    "read_bytes",
    "read_pool",
    "read_quotas",
    "read_raw",
    "read_table",
    "sniff_delimiter",
    "write_files_atomically",
]
