"""Reading raw CSV and XLSX tables: the one reader every input file goes through.

It owns the file checks (existence, encoding, delimiter, NUL characters, short or long rows,
damaged workbooks), the shape of a table as read (`RawTable`, `Table`) and the comparison of names
and values (`normalize`, `find_column`). Every cell is read as text and kept as written; names and
values are compared after `normalize` (case, accents composed, surrounding and repeated spaces
ignored). Problems raise the coded errors of `sortition.errors` with the file, the spreadsheet row
(the header is row 1) and the column. Pools (`sortition.inputs.pool`), quota tables
(`sortition.inputs.quotas`), census counts, history and the tables inputs all read through here.
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

from sortition.errors import InputError, Location, MissingColumn, UnreadableFile
from sortition.text import listing, one_line, quoted, quoted_path

CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
DELIMITERS = (",", ";", "\t")  # ties go to the earlier one
FIRST_DATA_ROW = 2  # spreadsheet row of the first registrant / quota line
WHOLE_NUMBER = re.compile(r"\+?(\d+)(?:\.0*)?")  # a whole number >= 0 as a cell may write it


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
            f"{quoted_path(shown)} is an old Excel .xls workbook, which is not supported",
            location=Location(file=shown),
            hint="save it as .xlsx or as CSV UTF-8",
        )
    else:
        raise UnreadableFile(
            f"{quoted_path(shown)} has an unsupported file type {quoted(suffix or '(none)')}",
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
            f"file {quoted_path(shown)} does not exist",
            location=Location(file=shown),
            hint="check the path and the file name",
        ) from exc
    except IsADirectoryError as exc:
        raise UnreadableFile(
            f"{quoted_path(shown)} is a directory, not a file",
            location=Location(file=shown),
            hint="give the path of a .csv or .xlsx file",
        ) from exc
    except PermissionError as exc:
        raise UnreadableFile(
            f"no permission to read {quoted_path(shown)}",
            location=Location(file=shown),
            hint="check the file's permissions",
        ) from exc
    except OSError as exc:
        raise UnreadableFile(
            f"cannot read {quoted_path(shown)}: {one_line(exc.strerror or str(exc))}",
            location=Location(file=shown),
            hint="check the path and that the file is readable",
        ) from exc


def _parse_csv(shown: str, data: bytes) -> list[list[str]]:
    if data.startswith(b"PK\x03\x04"):
        raise UnreadableFile(
            f"{quoted_path(shown)} looks like an Excel workbook, not CSV text",
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
            f"{quoted_path(shown)} is not valid CSV near line {reader.line_num}: "
            f"{one_line(str(exc))}",
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
        if len(record) < width and not is_blank(record):
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
            f"{quoted_path(shown)} is not a readable Excel workbook: "
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


def is_blank(cells: Sequence[str]) -> bool:
    return all(not c.strip() for c in cells)


def _shape(shown: str, records: list[list[str]], sha: str) -> RawTable:
    """Header + padded rows; drops trailing blank rows and empty columns without a header."""
    while records and is_blank(records[-1]):
        records.pop()
    if not records:
        return RawTable([], [], sha)
    header = [h.strip() for h in records[0]]
    data = records[1:]
    width = len(header)
    for i, record in enumerate(data):
        if len(record) > width:
            if not is_blank(record[width:]):
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


def require_column(
    header: Sequence[str], wanted: str, *, shown: str, missing: str, hint: str
) -> str:
    """The actual header name equal to `wanted` after normalize (`find_column`); if there is
    none, MissingColumn with the caller's message `missing` (which should list the columns
    found) and `hint`, located at file `shown`, column `wanted`."""
    actual = find_column(header, wanted, shown=shown)
    if actual is None:
        raise MissingColumn(missing, location=Location(file=shown, column=wanted), hint=hint)
    return actual


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
        found = listing(self.header) if any(self.header) else "none"
        actual = require_column(
            self.header,
            wanted,
            shown=self.path,
            missing=f"the {role} has no column {quoted(wanted)}; columns found: {found}",
            hint=f"name the columns on the first row of the {role}",
        )
        return self.header.index(actual)


def read_table(path: str | Path) -> Table:
    """Read any CSV (UTF-8, comma, semicolon or tab) or XLSX (first sheet) table; blank rows are
    kept (so that rows[i] stays spreadsheet row i + 2) for the caller to skip."""
    raw = read_raw(path)
    return Table(str(path), tuple(raw.header), tuple(tuple(r) for r in raw.rows), raw.sha256)


__all__ = [
    "CSV_SUFFIXES",
    "DELIMITERS",
    "FIRST_DATA_ROW",
    "WHOLE_NUMBER",
    "XLSX_SUFFIXES",
    "RawTable",
    "Table",
    "find_column",
    "is_blank",
    "normalize",
    "read_bytes",
    "read_raw",
    "read_table",
    "require_column",
    "sniff_delimiter",
]
