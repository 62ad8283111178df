"""Stage one of a two-stage process: the invitation lottery over an address or resident register.

N invitations are drawn from a register (CSV, one row per resident, an id column) so that every
resident has the same chance, up to rounding within strata. The procedure, which anyone can
recompute from the register, the options and the seed (`verify_invitations` does):

1. Strata. Each row's stratum is its cells in the strata columns, surrounding spaces removed,
   compared exactly (no strata columns: one stratum, the key []). Strata are ordered by key,
   compared column by column in Unicode code point order. Two keys that differ only in case,
   accents' composition or inner spaces are refused, as is a blank cell.
2. Allocation (largest remainder, Hamilton). With population P and N_s residents in stratum s,
   s gets floor(N * N_s / P) invitations; the invitations left over go one each to the largest
   remainders (N * N_s mod P, exact integers). Equal remainders go to the larger stratum first,
   then to the stratum that comes first in key order. Every n_s is the floor or ceiling of
   N * N_s / P, so each resident's inclusion probability n_s / N_s is within 1 / N_s of N / P.
3. Seed. Either the seed text given or generated (`new_seed`), or, with public sources, the RFC
   3797 key of the sources (`rfc3797_key`) used as the seed text itself.
4. Sampling, stratum by stratum. Stratum s gets its own generator, `generator_from_seed(seed +
   "|" + key)`, where key is the stratum's key as compact JSON (e.g. '["Renca"]' or '[]'): the
   SHA-256 of b"sortition/seed/v1\\x00" + that text (UTF-8) seeds numpy's PCG64 (see
   sortition.randomness). Its residents, in register order, are given one number each from
   `Generator.random(N_s)` (uniform on [0, 1)); the n_s residents with the smallest numbers are
   invited (equal numbers: the earlier row first). Each stratum's draw is thus a uniform simple
   random sample without replacement that no other stratum's rows can influence.

Reading is built for registers of millions of rows: only the id and strata columns are parsed
(pandas' C parser) and every check is vectorized. The invited rows are then cut from the file's
bytes, or, when a quoted cell spans lines, picked out by a second streaming parse.

The invitations file carries every column (addresses, for mailing) and is not for publication;
the invitation log holds ids, stratum keys and counts only, and is meant to be published. When
the id column is personal (e-mails, phones, names, identity numbers, or marked so), the log lists
pseudonyms instead (`sortition.inputs.privacy`, keyed over the register's bytes) and the invitations
file gets a last column ``pseudonym`` linking each row to the log.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

import numpy as np
import pandas as pd

from sortition.audit.log import (
    fingerprint_matches,
    fingerprinted,
    input_record,
    read_record,
    software_record,
    to_json_bytes,
)
from sortition.errors import (
    BadPanelSize,
    BlankId,
    DuplicateId,
    EmptyPool,
    InputError,
    Location,
    MissingColumn,
    SortitionError,
    UnknownValue,
    UnreadableFile,
    UsageError,
)
from sortition.inputs.privacy import (
    Pseudonyms,
    pseudonym,
    pseudonym_option,
    register_key,
    register_pseudonyms,
    to_pseudonyms,
)
from sortition.inputs.tables import find_column, normalize, read_bytes, sniff_delimiter
from sortition.outputs.files import write_file_atomically, write_files_atomically
from sortition.outputs.result_set import check_output_file
from sortition.randomness import check_seed, generator_from_seed, new_seed, rfc3797_key
from sortition.text import listing, one_line, quoted

LOG_KIND = "invitation-log"
INVITATION_LOG_SCHEMA_VERSION = "1"
FIRST_DATA_ROW = 2  # spreadsheet row of the register's first resident
HEADER_PROBE_BYTES = 1 << 16  # the header is read from the file's first 64 KiB
CHUNK_ROWS = 250_000  # rows per chunk of the fallback second pass
UTF8_CHUNK_BYTES = 1 << 24  # the register is checked to be UTF-8 16 MiB at a time

ALLOCATION_RULE = (
    "Largest remainder (Hamilton): stratum s with N_s of the P residents gets floor(N * N_s / P) "
    "invitations; those left over go one each to the largest remainders N * N_s mod P; equal "
    "remainders go to the larger stratum, then to the stratum first in key order (keys compared "
    "column by column in Unicode code point order)."
)
SAMPLING_RULE = (
    "Stratum s draws with numpy.random.Generator(PCG64) seeded by the SHA-256 of "
    "b'sortition/seed/v1\\x00' + UTF-8 of (seed + '|' + compact JSON of the stratum key, e.g. "
    "'[\"Renca\"]'), as in sortition.randomness.generator_from_seed; its residents in register "
    "order get the numbers Generator.random(N_s) and the n_s with the smallest numbers are "
    "invited (ties: earlier row first)."
)
INVITATION_SEED_PROCEDURE = (
    "Not committed in advance: the seed text was given or generated by the operator."
)
SOURCES_PROCEDURE = (
    "The seed text is the RFC 3797 key of the public sources (each source's numbers sorted "
    "ascending, each followed by '.', each source ended by '/', sources in the order listed). "
    "Not marked committed in advance: this log cannot show that the register's hash and the "
    "options were announced before the sources were drawn."
)


class BlankStratum(UnknownValue):
    """A resident with a blank cell in a strata column (same code as any unknown value)."""


class BadInvitationCount(BadPanelSize):
    """Fewer than one invitation, or more than the register has residents (exit code 2)."""


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


@dataclass(frozen=True)
class Stratum:
    """One stratum's key, population and invitations."""

    key: tuple[str, ...]
    population: int
    invitations: int


@dataclass(frozen=True)
class Randomness:
    """Where the seed came from: given, generated, or the RFC 3797 key of public sources."""

    seed: str
    seed_source: str  # "given", "generated" or "rfc3797 key of the public sources"
    sources: tuple[str, ...] = ()

    @property
    def method(self) -> str:
        return "rfc3797" if self.sources else "seed"


@dataclass(frozen=True)
class InviteRequest:
    register_path: str
    invitations: int
    strata_columns: tuple[str, ...] = ()
    id_column: str = "id"
    seed: str | None = None
    sources: tuple[str, ...] = ()
    personal_columns: tuple[str, ...] = ()  # marked personal: an id column among them is hidden


@dataclass(frozen=True, eq=False)
class Invitations:
    """The draw: the register, the allocation, the randomness and the invited rows."""

    request: InviteRequest
    register: Register
    strata: tuple[Stratum, ...]
    randomness: Randomness
    invited: np.ndarray  # row indices into the register, ascending (register order)
    pseudonyms: Pseudonyms | None = None  # of the invited, when the id column is personal

    @property
    def invited_ids(self) -> list[str]:
        """Invited ids (pseudonyms when the id column is personal) in code point order, as
        logged."""
        ids = [str(person) for person in self.register.ids[self.invited].tolist()]
        return sorted(to_pseudonyms(ids, self.pseudonyms))


class InvitationCheck(NamedTuple):
    """One claim of an invitation log and whether the register bears it out."""

    check: str
    ok: bool
    detail: str


# ---------------------------------------------------------------------------------------------
# Reading the register


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
            f"{quoted(shown)} is a spreadsheet workbook; the register must be CSV",
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
            f"the register {quoted(shown)} has no residents",
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
            f"{quoted(shown)} looks like an Excel workbook, not CSV text",
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
            f"the register {quoted(shown)} is empty",
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
        f"{quoted(shown)} is not UTF-8 text (byte 0x{data[offset]:02x} in line {line})",
        location=Location(file=shown),
        hint="save the register as CSV UTF-8 and retry",
    )


def _column(shown: str, header: Sequence[str], wanted: str, role: str) -> str:
    actual = find_column(header, wanted, shown=shown)
    if actual is None:
        option = "--id-column" if role == "id" else "--strata"
        raise MissingColumn(
            f"the register has no {role} column {quoted(wanted)}; columns found: {listing(header)}",
            location=Location(file=shown, column=wanted),
            hint=f"pass {option} with a column name from the register's first row",
        )
    return actual


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
            f"{quoted(shown)} is not UTF-8 text (byte 0x{data[error.start]:02x} near offset "
            f"{error.start})",
            location=Location(file=shown),
            hint="save the register as CSV UTF-8 and retry",
        ) from error
    except (ValueError, pd.errors.ParserError) as error:
        raise UnreadableFile(
            f"{quoted(shown)} is not valid CSV: {one_line(str(error))}",
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


# ---------------------------------------------------------------------------------------------
# Allocation and sampling


def allocate(populations: Sequence[int], invitations: int) -> tuple[int, ...]:
    """Invitations per stratum by largest remainder; strata given in key order (the tie-break).

    Exact integer arithmetic: floor(N * N_s / P) each, then one more to the largest remainders
    N * N_s mod P, equal remainders to the larger stratum, then the earlier one.
    """
    sizes = [int(p) for p in populations]
    total = sum(sizes)
    if invitations < 0 or any(p < 0 for p in sizes) or (total == 0 and invitations > 0):
        raise ValueError(f"cannot allocate {invitations} invitations over populations {sizes}")
    if total == 0:
        return tuple(0 for _ in sizes)
    shares = [invitations * p // total for p in sizes]
    remainders = [invitations * p % total for p in sizes]
    left = invitations - sum(shares)
    order = sorted(range(len(sizes)), key=lambda s: (-remainders[s], -sizes[s], s))
    for s in order[:left]:
        shares[s] += 1
    return tuple(shares)


def stratum_seed(seed: str, key: Sequence[str]) -> str:
    """The seed text of one stratum's generator: seed + '|' + the key as compact JSON."""
    return seed + "|" + json.dumps(list(key), ensure_ascii=False, separators=(",", ":"))


def smallest(numbers: np.ndarray, count: int) -> np.ndarray:
    """Positions of the `count` smallest numbers (equal numbers: earlier position), ascending."""
    if count >= len(numbers):
        return np.arange(len(numbers), dtype=np.int64)
    if count <= 0:
        return np.zeros(0, dtype=np.int64)
    threshold = np.partition(numbers, count - 1)[count - 1]
    below = np.flatnonzero(numbers < threshold)
    ties = np.flatnonzero(numbers == threshold)[: count - len(below)]
    return np.sort(np.concatenate([below, ties]))


def sample(register: Register, allocation: Sequence[int], seed: str) -> np.ndarray:
    """Row indices invited (ascending): in each stratum the n_s smallest of its random numbers."""
    kind = np.uint16 if len(register.strata) <= np.iinfo(np.uint16).max else np.int64
    members = np.argsort(register.stratum_of.astype(kind), kind="stable")
    bounds = np.concatenate([[0], np.cumsum(register.sizes)])
    chosen = []
    for s, (key, count) in enumerate(zip(register.strata, allocation, strict=True)):
        rows = members[bounds[s] : bounds[s + 1]]
        if count <= 0:
            continue
        numbers = generator_from_seed(stratum_seed(seed, key)).random(len(rows))
        chosen.append(rows[smallest(numbers, int(count))])
    if not chosen:
        return np.zeros(0, dtype=np.int64)
    return np.sort(np.concatenate(chosen)).astype(np.int64)


def resolve_randomness(seed: str | None, sources: Sequence[str]) -> Randomness:
    """The seed to draw with: given, from public sources (their RFC 3797 key), or generated."""
    if seed is not None and sources:
        raise UsageError(
            "give either --seed or --source, not both",
            hint="draw from a seed text, or from public random numbers",
        )
    if sources:
        return Randomness(rfc3797_key(sources), "rfc3797 key of the public sources", tuple(sources))
    if seed is not None:
        check_seed(seed)
        return Randomness(seed, "given")
    return Randomness(new_seed(), "generated")


def invite(request: InviteRequest) -> Invitations:
    """Read the register, allocate the invitations by stratum and draw them."""
    randomness = resolve_randomness(request.seed, request.sources)
    if request.invitations < 1:
        raise BadInvitationCount(
            f"the number of invitations must be at least 1 (got {request.invitations})",
            hint="pass --invitations with a positive whole number",
        )
    register = read_register(
        request.register_path,
        id_column=request.id_column,
        strata_columns=request.strata_columns,
    )
    if request.invitations > register.population:
        raise BadInvitationCount(
            f"{request.invitations} invitations asked for, but the register "
            f"{quoted(register.path)} has only {register.population} residents",
            location=Location(file=register.path),
            hint=f"pass --invitations of at most {register.population}",
        )
    allocation = allocate(register.sizes.tolist(), request.invitations)
    strata = tuple(
        Stratum(key, int(size), int(count))
        for key, size, count in zip(
            register.strata, register.sizes.tolist(), allocation, strict=True
        )
    )
    invited = sample(register, allocation, randomness.seed)
    pseudonyms = register_pseudonyms(
        register.header, register.id_column, register.ids, register.ids[invited].tolist(),
        register.data, request.personal_columns,
    )  # fmt: skip
    return Invitations(request, register, strata, randomness, invited, pseudonyms)


# ---------------------------------------------------------------------------------------------
# Outputs


def invited_rows(register: Register, rows: np.ndarray) -> list[list[str]]:
    """Every column of the given rows (ascending indices), cells as written, header width."""
    width = len(register.header)
    starts = _line_starts(register)
    if starts is None:
        cells = _rows_by_parsing(register, rows)
    else:
        cells = []
        data = register.data
        for i in rows.tolist():
            line = data[starts[i + 1] : starts[i + 2]].rstrip(b"\n")
            if line.endswith(b"\r"):
                line = line[:-1]
            text = line.decode("utf-8")
            cells.append(next(csv.reader([text], delimiter=register.delimiter), []))
    shaped = []
    for i, record in zip(rows.tolist(), cells, strict=True):
        record = [str(cell) for cell in record]
        if len(record) > width and any(cell.strip() for cell in record[width:]):
            row = i + FIRST_DATA_ROW
            raise UnreadableFile(
                f"row {row} has {len(record)} cells but the header has {width}",
                location=Location(file=register.path, row=row),
                hint="quote values that contain the delimiter, or name the extra column in the "
                "header",
            )
        shaped.append((record + [""] * width)[:width])
    return shaped


def _line_starts(register: Register) -> np.ndarray | None:
    """Byte offset where each line starts (and the end), when lines are exactly the rows.

    That holds when no line break sits inside quotes (an even number of '"' before every one)
    and the parser saw one row per line after the header; otherwise None.
    """
    data = np.frombuffer(register.data, dtype=np.uint8)
    breaks = np.flatnonzero(data == ord("\n"))
    quotes = np.flatnonzero(data == ord('"'))
    if len(quotes) and (np.searchsorted(quotes, breaks) % 2).any():
        return None
    ends = breaks + 1
    if len(data) and (not len(breaks) or breaks[-1] != len(data) - 1):
        ends = np.concatenate([ends, [len(data)]])
    if len(ends) - 1 != register.parsed_rows:
        return None
    return np.concatenate([[0], ends]).astype(np.int64)


def _rows_by_parsing(register: Register, rows: np.ndarray) -> list[list[str]]:
    """The given rows by a second streaming parse of every column (quoted line breaks)."""
    wanted = rows.tolist()
    found: list[list[str]] = []
    offset = 0
    next_wanted = 0
    try:
        reader = pd.read_csv(
            io.BytesIO(register.data),
            sep=register.delimiter,
            header=0,
            index_col=False,
            dtype=object,
            engine="c",
            na_filter=False,
            skip_blank_lines=False,
            encoding="utf-8",
            chunksize=CHUNK_ROWS,
        )
        with reader:
            for chunk in reader:
                stop = offset + len(chunk)
                local = []
                while next_wanted < len(wanted) and wanted[next_wanted] < stop:
                    local.append(wanted[next_wanted] - offset)
                    next_wanted += 1
                if local:
                    found += chunk.iloc[local].astype(str).to_numpy().tolist()
                offset = stop
                if next_wanted == len(wanted):
                    break
    except (ValueError, pd.errors.ParserError) as error:
        raise UnreadableFile(
            f"{quoted(register.path)} is not valid CSV: {one_line(str(error))}",
            location=Location(file=register.path),
            hint="check the quotes and the number of cells in that line, or re-export as CSV",
        ) from error
    if len(found) != len(wanted):
        raise UnreadableFile(
            f"{quoted(register.path)} changed shape between two readings",
            location=Location(file=register.path),
            hint="re-export the register as CSV UTF-8 and retry",
        )
    return found


def invitations_csv(invitations: Invitations) -> bytes:
    """The invited rows with every column, in register order, in the register's delimiter.

    Not for publication: it holds addresses.
    """
    register = invitations.register
    out = io.StringIO()
    writer = csv.writer(out, delimiter=register.delimiter, lineterminator="\n")
    rows = invited_rows(register, invitations.invited)
    pseudonyms = invitations.pseudonyms
    if pseudonyms is None:
        writer.writerow(register.header)
        writer.writerows(rows)
    else:  # the link from each row to the log's pseudonymous ids
        position = register.header.index(register.id_column)
        writer.writerow([*register.header, "pseudonym"])
        writer.writerows([*row, pseudonyms.pseudonym[row[position].strip()]] for row in rows)
    return out.getvalue().encode("utf-8")


def randomness_record(randomness: Randomness) -> dict[str, Any]:
    if randomness.sources:
        return {
            "method": "rfc3797",
            "sources": list(randomness.sources),
            "key": randomness.seed,
            "seed": randomness.seed,
            "seed_source": randomness.seed_source,
            "committed_in_advance": False,
            "procedure": SOURCES_PROCEDURE,
        }
    return {
        "method": "seed",
        "seed": randomness.seed,
        "seed_source": randomness.seed_source,
        "committed_in_advance": False,
        "procedure": INVITATION_SEED_PROCEDURE,
    }


def strata_record(strata: Sequence[Stratum]) -> list[dict[str, Any]]:
    return [
        {"stratum": list(s.key), "population": s.population, "invitations": s.invitations}
        for s in strata
    ]


def invitation_log(invitations: Invitations) -> dict[str, Any]:
    """The publishable invitation log: ids, stratum keys and counts only; fingerprinted."""
    register = invitations.register
    population = register.population
    count = invitations.request.invitations
    probabilities = [s.invitations / s.population for s in invitations.strata]
    return fingerprinted(
        {
            "schema_version": INVITATION_LOG_SCHEMA_VERSION,
            "kind": LOG_KIND,
            "software": software_record(),
            "inputs": {"register": input_record(register.path, register.sha256)},
            "options": {
                "invitations": count,
                "id_column": register.id_column,
                **pseudonym_option(invitations.pseudonyms),
                "strata_columns": list(register.strata_columns),
            },
            "population": population,
            "randomness": randomness_record(invitations.randomness),
            "procedure": {"allocation": ALLOCATION_RULE, "sampling": SAMPLING_RULE},
            "inclusion_probability": {
                "overall": count / population,
                "lowest": min(probabilities),
                "highest": max(probabilities),
            },
            "strata": strata_record(invitations.strata),
            "invited": invitations.invited_ids,
        }
    )


def check_invitation_outputs(
    register: str | Path, out_path: str | Path, log_path: str | Path, *, overwrite: bool = False
) -> None:
    """Refuse outputs that are one file, replace the register, or (without `overwrite`) exist."""
    out, log = Path(out_path), Path(log_path)
    if out.resolve() == log.resolve():
        raise UsageError(
            f"--out and --log are the same file {quoted(str(out))}",
            hint="give the log another name, e.g. invitations-log.json",
        )
    for path in (out, log):
        check_output_file(path, {"register": register}, overwrite=overwrite)


def write_invitations(
    invitations: Invitations,
    out_path: str | Path,
    log_path: str | Path,
    *,
    overwrite: bool = False,
) -> None:
    """Write the invitations CSV and the log, each all-or-nothing (one step if same directory);
    existing files are replaced only with `overwrite`."""
    out, log = Path(out_path), Path(log_path)
    check_invitation_outputs(invitations.register.path, out, log, overwrite=overwrite)
    rows = invitations_csv(invitations)
    record = to_json_bytes(invitation_log(invitations))
    if out.parent.resolve() == log.parent.resolve():
        write_files_atomically(out.parent, {out.name: rows, log.name: record})
    else:
        write_file_atomically(out, rows)
        write_file_atomically(log, record)


def default_log_path(out_path: str | Path) -> Path:
    """invitations.csv -> invitations-log.json, next to it."""
    out = Path(out_path)
    return out.with_name(f"{out.stem}-log.json")


# ---------------------------------------------------------------------------------------------
# Verification


def verify_invitations(log_path: str | Path, register_path: str | Path) -> list[InvitationCheck]:
    """Recompute the allocation and the sample from the register and the log; compare each claim.

    Never stops at the first failure; a register that cannot be read fails the checks needing it.
    """
    log = read_record(log_path, LOG_KIND, check_fingerprint=False)
    checks = [
        InvitationCheck(
            "fingerprint",
            fingerprint_matches(log),
            "the log is as written"
            if fingerprint_matches(log)
            else "the log's content does not match its fingerprint: it was changed",
        )
    ]
    try:
        options = log["options"]
        randomness = log["randomness"]
        logged_strata = log["strata"]
        logged_invited = [str(person) for person in log["invited"]]
        logged_sha = log["inputs"]["register"]["sha256"]
        count = int(options["invitations"])
        id_column = str(options["id_column"])
        strata_columns = [str(c) for c in options["strata_columns"]]
        seed = str(randomness["seed"])
    except (KeyError, TypeError, ValueError) as error:
        checks.append(InvitationCheck("log", False, f"the log is malformed ({error})"))
        return checks

    checks.append(_randomness_check(randomness, seed))
    try:
        register = read_register(register_path, id_column=id_column, strata_columns=strata_columns)
    except SortitionError as error:
        detail = f"cannot read the register: {error}"
        for name in ("register file", "allocation", "invited ids"):
            checks.append(InvitationCheck(name, False, detail))
        return checks

    logged_population = log.get("population")
    same_file = register.sha256 == logged_sha
    checks.append(
        InvitationCheck(
            "register file",
            same_file,
            f"SHA-256 {register.sha256[:16]}... as logged"
            if same_file
            else f"SHA-256 {register.sha256[:16]}... but the log says {str(logged_sha)[:16]}...",
        )
    )
    if not 1 <= count <= register.population:
        detail = f"{count} invitations cannot be drawn from {register.population} residents"
        checks.append(InvitationCheck("allocation", False, detail))
        checks.append(InvitationCheck("invited ids", False, detail))
        return checks
    allocation = allocate(register.sizes.tolist(), count)
    strata = [
        Stratum(key, int(size), int(n))
        for key, size, n in zip(register.strata, register.sizes.tolist(), allocation, strict=True)
    ]
    expected_strata = strata_record(strata)
    if logged_population != register.population:
        allocated = (False, f"the register has {register.population} residents, the log says "
                     f"{logged_population}")  # fmt: skip
    elif expected_strata != logged_strata:
        allocated = (False, _strata_difference(expected_strata, logged_strata))
    else:
        allocated = (True, f"{len(strata)} strata, largest remainder of {count} over "
                     f"{register.population}")  # fmt: skip
    checks.append(InvitationCheck("allocation", *allocated))
    invited = sorted(str(p) for p in register.ids[sample(register, allocation, seed)].tolist())
    hidden = options.get("id_pseudonyms")
    if hidden:  # the log lists pseudonyms: recompute them from the register
        key, length = register_key(register.data), int(hidden["length"])
        invited = sorted(pseudonym(key, person, length) for person in invited)
    if invited == logged_invited:
        detail = f"the {len(invited)} ids drawn from the seed are those logged"
    else:
        missing = sorted(set(invited) - set(logged_invited))
        extra = sorted(set(logged_invited) - set(invited))
        detail = (
            f"recomputed {len(invited)} ids, logged {len(logged_invited)}; "
            f"{len(missing)} drawn but not logged (first: {listing(missing[:3]) or 'none'}), "
            f"{len(extra)} logged but not drawn (first: {listing(extra[:3]) or 'none'})"
        )
    checks.append(InvitationCheck("invited ids", invited == logged_invited, detail))
    return checks


def _randomness_check(randomness: dict[str, Any], seed: str) -> InvitationCheck:
    if randomness.get("method") != "rfc3797":
        return InvitationCheck(
            "randomness", True, f"seed {quoted(seed)} ({randomness.get('seed_source')})"
        )
    try:
        key = rfc3797_key([str(source) for source in randomness.get("sources") or []])
    except SortitionError as error:
        return InvitationCheck("randomness", False, f"the logged sources are unusable: {error}")
    ok = key == randomness.get("key") == seed
    detail = (
        f"RFC 3797 key {quoted(key)} of the sources is the seed"
        if ok
        else f"the sources give the key {quoted(key)}, but the log has key "
        f"{quoted(str(randomness.get('key')))} and seed {quoted(seed)}"
    )
    return InvitationCheck("randomness", ok, detail)


def _strata_difference(expected: list[dict[str, Any]], logged: Any) -> str:
    if not isinstance(logged, list) or len(logged) != len(expected):
        shown = len(logged) if isinstance(logged, list) else "no list of"
        return f"the register has {len(expected)} strata, the log {shown}"
    for mine, theirs in zip(expected, logged, strict=True):
        if mine != theirs:
            return f"recomputed {mine}, logged {theirs}"
    return "the strata differ"


__all__ = [
    "LOG_KIND",
    "BadInvitationCount",
    "BlankStratum",
    "InvitationCheck",
    "Invitations",
    "InviteRequest",
    "Randomness",
    "Register",
    "Stratum",
    "allocate",
    "default_log_path",
    "invitation_log",
    "invitations_csv",
    "invite",
    "read_register",
    "resolve_randomness",
    "sample",
    "stratum_seed",
    "verify_invitations",
    "write_invitations",
]
