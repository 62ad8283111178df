"""Age bands: the requested bands checked, and census bands mapped into them.

It owns `AgeBand`, `parse_band`, `parse_bands` and `row_weights`, which gives every census row the
requested band it counts towards and the part of its count that counts (the adult share of the
band that straddles the adult age; the rules are stated in `sortition.inputs.census`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from sortition.errors import InputError, Location, UsageError
from sortition.inputs.census.counts import CensusTable
from sortition.inputs.tables import normalize, require_column
from sortition.text import listing, quoted

DEFAULT_AGE_COLUMN = "age_band"
DEFAULT_ADULT_AGE = 18

_CLOSED_BAND = re.compile(r"(\d+)\s*[-\u2013]\s*(\d+)")
_OPEN_BAND = re.compile(r"(\d+)\s*\+")


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
            hint=(
                f"write contiguous bands from the adult age {adult_age}, ending with an open "
                'band, such as "18-29,30-44,45-59,60+" (or change --adult-age)'
            ),
        )
    for before, after in itertools.pairwise(parsed):
        if before.end is None:
            raise UsageError(
                f"the open band {quoted(before.label)} is followed by {quoted(after.label)}",
                hint=hint,
            )
        if after.start != before.end:
            first, second = quoted(before.label), quoted(after.label)
            message = (
                f"age bands {first} and {second} overlap"
                if after.start < before.end
                else f"age bands {first} and {second} leave a gap"
            )
            raise UsageError(message, hint=hint)
    if parsed[-1].end is not None:
        raise UsageError(
            f"the last age band {quoted(parsed[-1].label)} is closed, so older people would be "
            "left out",
            hint=f"end with an open band such as '{parsed[-1].start}+'",
        )
    return tuple(parsed)


@dataclass(frozen=True)
class RowWeights:
    """Each census row's weight and the requested band it counts towards (see `row_weights`)."""

    weights: tuple[Fraction, ...]  # each row's count, or the part of it that counts
    bands_of_rows: tuple[int | None, ...]  # index into `bands`; None: row not counted by age
    bands: tuple[AgeBand, ...] | None  # the requested bands, None without bands
    partial: tuple[tuple[str, Fraction], ...]  # census bands counted in part


def row_weights(
    counts: CensusTable, bands: Sequence[str] | None, adult_age: int, age_column: str
) -> RowWeights:
    """Each row's weight (its count, its adult share, or 0) and requested band (with bands)."""
    if bands is None:
        whole = tuple(Fraction(c) for c in counts.counts)
        return RowWeights(whole, (None,) * len(whole), None, ())
    requested = parse_bands(bands, adult_age)
    actual = require_column(
        counts.header,
        age_column,
        shown=counts.path,
        missing=f"age bands were given but the census has no age column {quoted(age_column)}; "
        f"columns found: {listing(counts.header)}",
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
    return RowWeights(tuple(weights), tuple(targets), requested, partial)


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
    "DEFAULT_ADULT_AGE",
    "DEFAULT_AGE_COLUMN",
    "AgeBand",
    "RowWeights",
    "parse_band",
    "parse_bands",
    "row_weights",
]
