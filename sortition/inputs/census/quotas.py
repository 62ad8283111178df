"""Census quotas: the panel's seats shared out over each category's values, with quotas around them.

It owns `census_quotas` and the figures it returns (`CensusQuotas`, `CategorySeats`,
`ValueSeats`): each category's population per value (renamed, relabelled and merged, by age band
when bands are given), the seats by largest remainder and the quotas seats -/+ tolerance. It also
checks the --by, --rename and --relabel choices against the census. The rules are stated in
`sortition.inputs.census`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from sortition.errors import BadPanelSize, InputError, Location, UsageError
from sortition.inputs.census.apportion import largest_remainder
from sortition.inputs.census.bands import (
    DEFAULT_ADULT_AGE,
    DEFAULT_AGE_COLUMN,
    RowWeights,
    row_weights,
)
from sortition.inputs.census.counts import CensusTable
from sortition.inputs.tables import normalize
from sortition.instance import Feature, Quota
from sortition.text import listing, quoted


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
    rows = row_weights(counts, bands, adult_age, age_column)
    requested = rows.bands

    categories: list[CategorySeats] = []
    for column, name in zip(columns, names, strict=True):
        is_age = requested is not None and normalize(column) == normalize(age_column)
        labels = relabels.get(normalize(column), {})
        amounts = _totals(counts, column, labels, rows if is_age else None, rows.weights)
        if not any(amount for _, amount in amounts):
            message = (
                f"the census counts nobody for {quoted(column)}"
                if requested is None
                else f"the census counts nobody for {quoted(column)} aged {adult_age} or over"
            )
            raise InputError(
                message,
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
    age: RowWeights | None,
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
        actual = counts.column(wanted, hint="check the names in --by (case and spaces are ignored)")
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


__all__ = ["CategorySeats", "CensusQuotas", "ValueSeats", "census_quotas"]
