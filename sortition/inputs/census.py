"""Quota tables from census figures: population totals per value, apportioned to the panel's seats.

The census comes in long format: one row per cell (e.g. commune x sex x age band) with a count
column. For each category the population of each value is summed and the k seats are shared out
by the largest-remainder (Hamilton) method; each quota is the apportioned seats widened by a
tolerance either side, clipped to 0..k.

Rules, stated once here and relied on by the tests:

- Ties. Seats left after the floors go to the largest fractional remainders; equal remainders
  (compared exactly, as fractions) go to the larger population first, then to the value that comes
  first (order of first appearance in the census file, or the order of the requested age bands).
- Age bands. With `bands` (e.g. 18-29, 30-44, 45-59, 60+) the census age bands are mapped into
  the requested ones. Ages are taken as uniform within a census band, so the band that straddles
  `adult_age` contributes only its adult share: with adult age 18, 2/5 of the 15-19 count (ages 18
  and 19). Bands below the adult age are dropped, from *every* category's totals, so all
  categories apportion the same adult population. The requested bands must start at `adult_age`,
  be contiguous and non-overlapping, end with an open band ('60+'), and every other edge must be a
  census band edge. Without `bands` the counts are used as they are (children included).
- Names. Values are matched after `sortition.inputs.io.normalize` (case, accents composed, spaces)
and
  keep the spelling first seen. `rename` gives a census column the pool's feature name and
  `relabel` the pool's value spelling; values relabelled alike are merged.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from sortition.errors import (
    BadPanelSize,
    BadQuotaNumber,
    InputError,
    Location,
    MissingColumn,
    UsageError,
)
from sortition.inputs.io import FIRST_DATA_ROW, find_column, normalize, read_raw
from sortition.instance import Feature, Quota
from sortition.text import listing, quoted

DEFAULT_COUNT_COLUMN = "population"
DEFAULT_AGE_COLUMN = "age_band"
DEFAULT_ADULT_AGE = 18

_WHOLE_NUMBER = re.compile(r"\+?(\d+)(?:\.0*)?")
_CLOSED_BAND = re.compile(r"(\d+)\s*[-\u2013]\s*(\d+)")
_OPEN_BAND = re.compile(r"(\d+)\s*\+")


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


@dataclass(frozen=True)
class ValueSeats:
    """One value of a category: its population, share, exact quota, seats and quota bounds."""

    value: str
    population: Fraction
    share: Fraction
    exact: Fraction  # share x panel size, before rounding
    seats: int
    quota: Quota


@dataclass(frozen=True)
class CategorySeats:
    """One category (census column) apportioned: `feature` is its output (pool) name."""

    feature: str
    column: str
    population: Fraction
    values: tuple[ValueSeats, ...]

    def as_feature(self) -> Feature:
        return Feature(
            self.feature,
            tuple(v.value for v in self.values),
            tuple(v.quota for v in self.values),
        )


@dataclass(frozen=True)
class CensusQuotas:
    """The quota table apportioned from a census, with the figures behind every quota."""

    census: str
    panel_size: int
    tolerance: int
    bands: tuple[str, ...] | None
    adult_age: int | None  # None when no bands were given (all ages counted)
    partial_bands: tuple[tuple[str, Fraction], ...]  # census bands counted in part, and the part
    categories: tuple[CategorySeats, ...]
    features: tuple[Feature, ...]


# ---------------------------------------------------------------------------------------------
# Reading


def read_census(path: str | Path, *, count_column: str = DEFAULT_COUNT_COLUMN) -> CensusTable:
    """Read a long-format census (CSV or XLSX, like pools): every count a whole number >= 0."""
    shown = str(path)
    raw = read_raw(path)
    if not any(raw.header):
        raise InputError(
            f"the census file {quoted(shown)} is empty",
            location=Location(file=shown),
            hint="put the column names on the first row and one census cell per row",
        )
    actual = find_column(raw.header, count_column, shown=shown)
    if actual is None:
        raise MissingColumn(
            f"the census has no count column {quoted(count_column)}; "
            f"columns found: {listing(raw.header)}",
            location=Location(file=shown, column=count_column),
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
            f"the census file {quoted(shown)} has no rows",
            location=Location(file=shown),
            hint="add one row per census cell below the header",
        )
    return CensusTable(
        shown, tuple(raw.header), tuple(rows), tuple(numbers), tuple(counts), actual, raw.sha256
    )


def _count(text: str, where: Location) -> int:
    hint = f"write the count as a whole number of at least 0 (such as 1234) in {where.column}"
    match = _WHOLE_NUMBER.fullmatch(text)
    if match:
        return int(match.group(1))
    if not text:
        problem = f"{where.column} in row {where.row} is blank"
    elif text.startswith("-") and _WHOLE_NUMBER.fullmatch(text[1:]):
        problem = f"{where.column} {quoted(text)} in row {where.row} is negative"
    else:
        problem = f"{where.column} {quoted(text)} in row {where.row} is not a whole number"
    raise BadCensusCount(problem, location=where, hint=hint)


# ---------------------------------------------------------------------------------------------
# Apportionment


def largest_remainder(populations: Sequence[int | Fraction], seats: int) -> tuple[int, ...]:
    """Seats per value, adding up to `seats`, by the largest-remainder (Hamilton) method.

    Each value first gets the floor of its exact quota (population share x seats); the seats left
    go to the largest remainders, computed exactly. Equal remainders go to the larger population
    first, then to the earlier value. Every result is the floor or the ceiling of the exact quota.
    """
    amounts = [Fraction(p) for p in populations]
    total = sum(amounts, Fraction(0))
    if seats < 0:
        raise ValueError(f"cannot apportion a negative number of seats ({seats})")
    if any(a < 0 for a in amounts):
        raise ValueError("populations must not be negative")
    if total == 0:
        if seats == 0:
            return tuple(0 for _ in amounts)
        raise ValueError("cannot apportion seats among a total population of 0")
    exact = [a * seats / total for a in amounts]
    result = [math.floor(q) for q in exact]
    left = seats - sum(result)
    order = sorted(range(len(amounts)), key=lambda i: (result[i] - exact[i], -amounts[i], i))
    for i in order[:left]:
        result[i] += 1
    return tuple(result)


def census_quotas(
    counts: CensusTable,
    by: Sequence[str],
    panel_size: int,
    *,
    tolerance: int = 1,
    bands: Sequence[str] | None = None,
    adult_age: int = DEFAULT_ADULT_AGE,
    age_column: str = DEFAULT_AGE_COLUMN,
    rename: Mapping[str, str] | None = None,
    relabel: Mapping[str, Mapping[str, str]] | None = None,
) -> CensusQuotas:
    """Apportion `panel_size` seats to the values of each census column in `by` (see module doc).

    `rename` maps census column -> feature name; `relabel` maps category (census column or its
    new name) -> {census value or band label: new value}. Quotas are seats -/+ `tolerance`, clipped
    to 0..panel_size.
    """
    if panel_size < 1:
        raise BadPanelSize(
            f"panel size must be positive, got {panel_size}",
            hint="pass --panel-size with a whole number of at least 1",
        )
    if tolerance < 0:
        raise UsageError(
            f"tolerance must not be negative, got {tolerance}",
            hint="pass --tolerance with a whole number of at least 0",
        )
    columns = _by_columns(counts, by)
    names = _feature_names(counts, columns, rename or {})
    relabels = _relabels(columns, names, relabel or {})
    rows = _row_weights(counts, bands, adult_age, age_column)
    requested = rows.bands

    categories: list[CategorySeats] = []
    for column, name in zip(columns, names, strict=True):
        is_age = requested is not None and normalize(column) == normalize(age_column)
        labels = relabels.get(normalize(column), {})
        amounts = _totals(counts, column, labels, rows if is_age else None, rows.weights)
        if not any(amount for _, amount in amounts):
            raise InputError(
                f"the census counts nobody for {quoted(column)}"
                + ("" if requested is None else f" aged {adult_age} or over"),
                location=Location(file=counts.path, column=column),
                hint="check the count column, the age bands and the adult age",
            )
        categories.append(_apportion(column, name, amounts, panel_size, tolerance))
    return CensusQuotas(
        counts.path,
        panel_size,
        tolerance,
        None if requested is None else tuple(b.label for b in requested),
        None if requested is None else adult_age,
        rows.partial,
        tuple(categories),
        tuple(c.as_feature() for c in categories),
    )


def _totals(
    counts: CensusTable,
    column: str,
    labels: Mapping[str, str],
    age: _RowWeights | None,
    weights: Sequence[Fraction],
) -> tuple[tuple[str, Fraction], ...]:
    """(value, population) of one category, relabelled and merged, in order of appearance.

    With `age` (the category is the age column and bands were given) the values are the
    requested bands, in their order, and each row counts towards the band it was mapped to.
    """
    position = counts.header.index(column)
    if age is not None and age.bands is not None:
        known = [band.label for band in age.bands]
    else:
        known = _distinct([row[position] for row in counts.rows])
    _check_relabel_keys(counts, column, labels, known)
    spelling: dict[str, str] = {}  # normalized output value -> spelling, in order of appearance
    population: dict[str, Fraction] = {}
    for label in known:
        new = labels.get(normalize(label), label)
        spelling.setdefault(normalize(new), new)
        population.setdefault(normalize(new), Fraction(0))
    for i, row in enumerate(counts.rows):
        if age is not None:
            band = age.bands_of_rows[i]
            if band is None:
                continue
            cell = known[band]
        else:
            cell = row[position]
            if not cell:
                raise InputError(
                    f"the {column} cell in row {counts.row_numbers[i]} is blank",
                    location=Location(counts.path, counts.row_numbers[i], column),
                    hint="fill in the value, or delete the row",
                )
        population[normalize(labels.get(normalize(cell), cell))] += weights[i]
    return tuple((spelling[key], population[key]) for key in spelling)


def _apportion(
    column: str, name: str, amounts: tuple[tuple[str, Fraction], ...], k: int, tolerance: int
) -> CategorySeats:
    """Seats by largest remainder and quotas seats -/+ tolerance within 0..k."""
    total = sum((amount for _, amount in amounts), Fraction(0))
    seats = largest_remainder([amount for _, amount in amounts], k)
    values = tuple(
        ValueSeats(
            value,
            amount,
            amount / total,
            amount * k / total,
            seat,
            Quota(max(0, seat - tolerance), min(k, seat + tolerance)),
        )
        for (value, amount), seat in zip(amounts, seats, strict=True)
    )
    return CategorySeats(name, column, total, values)


def _distinct(cells: Sequence[str]) -> list[str]:
    """Non-blank cells, one per normalized value, in order of first appearance."""
    seen: dict[str, str] = {}
    for cell in cells:
        if cell:
            seen.setdefault(normalize(cell), cell)
    return list(seen.values())


# ---------------------------------------------------------------------------------------------
# Columns, names and labels


def _by_columns(counts: CensusTable, by: Sequence[str]) -> list[str]:
    if not by:
        raise UsageError(
            "no census column to make quotas for",
            hint="pass --by with one or more census columns, such as sex,age_band",
        )
    columns: list[str] = []
    for wanted in by:
        actual = find_column(counts.header, wanted, shown=counts.path)
        if actual is None:
            raise MissingColumn(
                f"the census has no column {quoted(wanted)}; columns found: "
                f"{listing(counts.header)}",
                location=Location(file=counts.path, column=wanted),
                hint="check the names in --by (case and spaces are ignored)",
            )
        if actual == counts.count_column:
            raise UsageError(
                f"{quoted(actual)} is the count column, not a category",
                location=Location(file=counts.path, column=actual),
                hint="name category columns in --by, and the counts in --count-column",
            )
        if actual in columns:
            raise UsageError(
                f"column {quoted(actual)} is named twice in --by",
                location=Location(file=counts.path, column=actual),
                hint="name each census column once",
            )
        columns.append(actual)
    return columns


def _feature_names(counts: CensusTable, columns: list[str], rename: Mapping[str, str]) -> list[str]:
    by_key = {normalize(c): c for c in columns}
    new: dict[str, str] = {}
    for old in sorted(rename):
        if normalize(old) not in by_key:
            raise UsageError(
                f"cannot rename {quoted(old)}: it is not one of the --by columns "
                f"{listing(columns)}",
                hint="rename only columns named in --by, as CENSUS_COLUMN=FEATURE",
            )
        if not rename[old].strip():
            raise UsageError(
                f"the new name for {quoted(old)} is blank", hint="write CENSUS_COLUMN=FEATURE"
            )
        new[normalize(old)] = rename[old].strip()
    names = [new.get(normalize(c), c) for c in columns]
    seen: dict[str, str] = {}
    for column, name in zip(columns, names, strict=True):
        earlier = seen.setdefault(normalize(name), column)
        if earlier != column:
            raise UsageError(
                f"columns {quoted(earlier)} and {quoted(column)} would both be named "
                f"{quoted(name)}",
                location=Location(file=counts.path, column=column),
                hint="give each category its own feature name",
            )
    return names


def _relabels(
    columns: list[str], names: list[str], relabel: Mapping[str, Mapping[str, str]]
) -> dict[str, dict[str, str]]:
    """normalized census column -> {normalized old value: new value}."""
    lookup: dict[str, str] = {}
    for column, name in zip(columns, names, strict=True):
        lookup[normalize(column)] = normalize(column)
        lookup.setdefault(normalize(name), normalize(column))
    result: dict[str, dict[str, str]] = {}
    for category in sorted(relabel):
        key = lookup.get(normalize(category))
        if key is None:
            raise UsageError(
                f"cannot relabel values of {quoted(category)}: it is not one of the --by columns "
                f"{listing(columns)}",
                hint="relabel only columns named in --by, as COLUMN:OLD=NEW,OLD=NEW",
            )
        target = result.setdefault(key, {})
        for old in sorted(relabel[category]):
            new = relabel[category][old].strip()
            if not new:
                raise UsageError(
                    f"the new label for {quoted(old)} in {quoted(category)} is blank",
                    hint="write COLUMN:OLD=NEW with a non-blank NEW",
                )
            target[normalize(old)] = new
    return result


def _check_relabel_keys(
    counts: CensusTable, column: str, labels: Mapping[str, str], known: Sequence[str]
) -> None:
    present = {normalize(v) for v in known}
    for old in sorted(labels):
        if old not in present:
            raise UsageError(
                f"cannot relabel {quoted(old)}: {quoted(column)} has no such value; "
                f"values: {listing(known)}",
                location=Location(file=counts.path, column=column),
                hint="relabel values as the census writes them (or as the --bands name them)",
            )


# ---------------------------------------------------------------------------------------------
# Age bands


@dataclass(frozen=True)
class AgeBand:
    """An age band such as '30-44' (ages 30..44) or '60+'; `end` is exclusive, None if open."""

    label: str
    start: int
    end: int | None

    def __str__(self) -> str:
        return self.label


def parse_band(label: str) -> AgeBand | None:
    """'30-44' -> ages 30..44, '60+' -> 60 and over; None if the label is neither."""
    text = label.strip()
    closed = _CLOSED_BAND.fullmatch(text)
    if closed:
        low, high = int(closed.group(1)), int(closed.group(2))
        return AgeBand(text, low, high + 1) if low <= high else None
    open_ = _OPEN_BAND.fullmatch(text)
    return AgeBand(text, int(open_.group(1)), None) if open_ else None


def parse_bands(labels: Sequence[str], adult_age: int) -> tuple[AgeBand, ...]:
    """The requested bands, checked: from `adult_age`, contiguous, last one open ('60+')."""
    hint = (
        f"write contiguous bands from the adult age {adult_age}, ending with an open band, "
        'such as "18-29,30-44,45-59,60+"'
    )
    if adult_age < 0:
        raise UsageError(f"adult age must not be negative, got {adult_age}", hint=hint)
    parsed: list[AgeBand] = []
    for label in labels:
        band = parse_band(label)
        if band is None:
            raise UsageError(
                f"age band {quoted(label)} is not like '30-44' or '60+' (or its low end is above "
                "its high end)",
                hint=hint,
            )
        parsed.append(band)
    if not parsed:
        raise UsageError("no age bands given", hint=hint)
    if parsed[0].start != adult_age:
        raise UsageError(
            f"the first age band {quoted(parsed[0].label)} does not start at the adult age "
            f"{adult_age}",
            hint=hint + " (or change --adult-age)",
        )
    for before, after in itertools.pairwise(parsed):
        if before.end is None:
            raise UsageError(
                f"the open band {quoted(before.label)} is followed by {quoted(after.label)}",
                hint=hint,
            )
        if after.start != before.end:
            problem = "overlap" if after.start < before.end else "leave a gap"
            raise UsageError(
                f"age bands {quoted(before.label)} and {quoted(after.label)} {problem}", hint=hint
            )
    if parsed[-1].end is not None:
        raise UsageError(
            f"the last age band {quoted(parsed[-1].label)} is closed, so older people would be "
            "left out",
            hint=f"end with an open band such as '{parsed[-1].start}+'",
        )
    return tuple(parsed)


@dataclass(frozen=True)
class _RowWeights:
    weights: tuple[Fraction, ...]  # each row's count, or the part of it that counts
    bands_of_rows: tuple[int | None, ...]  # index into `bands`; None: row not counted by age
    bands: tuple[AgeBand, ...] | None  # the requested bands, None without bands
    partial: tuple[tuple[str, Fraction], ...]  # census bands counted in part


def _row_weights(
    counts: CensusTable, bands: Sequence[str] | None, adult_age: int, age_column: str
) -> _RowWeights:
    """Each row's weight (its count, its adult share, or 0) and requested band (with bands)."""
    if bands is None:
        whole = tuple(Fraction(c) for c in counts.counts)
        return _RowWeights(whole, (None,) * len(whole), None, ())
    requested = parse_bands(bands, adult_age)
    actual = find_column(counts.header, age_column, shown=counts.path)
    if actual is None:
        raise MissingColumn(
            f"age bands were given but the census has no age column {quoted(age_column)}; "
            f"columns found: {listing(counts.header)}",
            location=Location(file=counts.path, column=age_column),
            hint="name the census column holding age bands, or leave out --bands",
        )
    position = counts.header.index(actual)
    census = _census_bands(counts, actual, position)
    edges = sorted({b.start for b in census.values()} | {b.end for b in census.values() if b.end})
    mapping = {key: _map_band(band, requested, adult_age, edges) for key, band in census.items()}
    weights: list[Fraction] = []
    targets: list[int | None] = []
    for row, count in zip(counts.rows, counts.counts, strict=True):
        target, share = mapping[normalize(row[position])]
        weights.append(count * share)
        targets.append(target)
    partial = tuple(
        (census[key].label, share)
        for key, (_, share) in sorted(mapping.items(), key=lambda item: census[item[0]].start)
        if 0 < share < 1
    )
    return _RowWeights(tuple(weights), tuple(targets), requested, partial)


def _census_bands(counts: CensusTable, column: str, position: int) -> dict[str, AgeBand]:
    """normalized census band label -> band, checked to parse and not to overlap."""
    found: dict[str, AgeBand] = {}
    first_row: dict[str, int] = {}
    for i, row in enumerate(counts.rows):
        key = normalize(row[position])
        if key in found:
            continue
        band = parse_band(row[position])
        where = Location(counts.path, counts.row_numbers[i], column)
        if not key:
            raise InputError(
                f"the {column} cell in row {where.row} is blank",
                location=where,
                hint="fill in the census age band, or delete the row",
            )
        if band is None:
            raise InputError(
                f"census age band {quoted(row[position])} in row {where.row} is not "
                "like '15-19' or '80+'",
                location=where,
                hint="write census age bands as LOW-HIGH or LOW+, or leave out --bands",
            )
        found[key] = band
        first_row[key] = counts.row_numbers[i]
    ordered = sorted(found, key=lambda k: (found[k].start, first_row[k]))
    for before, after in itertools.pairwise(ordered):
        a, b = found[before], found[after]
        if a.end is None or b.start < a.end:
            raise InputError(
                f"census age bands {quoted(a.label)} and {quoted(b.label)} overlap",
                location=Location(counts.path, max(first_row[before], first_row[after]), column),
                hint="use one set of non-overlapping census age bands",
            )
    return found


def _map_band(
    band: AgeBand, requested: tuple[AgeBand, ...], adult_age: int, edges: list[int]
) -> tuple[int | None, Fraction]:
    """The requested band a census band falls into and the share of its count that counts."""
    if band.end is not None and band.end <= adult_age:
        return None, Fraction(0)  # all below the adult age
    share = Fraction(1)
    start = band.start
    if band.start < adult_age:
        if band.end is None:
            raise UsageError(
                f"the open census band {quoted(band.label)} straddles the adult age {adult_age}",
                hint="choose an adult age at or above the start of the census's open band",
            )
        share = Fraction(band.end - adult_age, band.end - band.start)  # uniform within the band
        start = adult_age
    for index, target in enumerate(requested):
        if target.start <= start and (target.end is None or start < target.end):
            if target.end is not None and (band.end is None or band.end > target.end):
                choices = ", ".join(str(e) for e in edges if e > adult_age)
                raise UsageError(
                    f"age band {quoted(target.label)} ends inside census band {quoted(band.label)}",
                    hint=f"end each band just before one of the census band starts: {choices}",
                )
            return index, share
    raise AssertionError("requested bands cover every age from the adult age")  # parse_bands


__all__ = [
    "AgeBand",
    "BadCensusCount",
    "CategorySeats",
    "CensusQuotas",
    "CensusTable",
    "ValueSeats",
    "census_quotas",
    "largest_remainder",
    "parse_band",
    "parse_bands",
    "read_census",
]
