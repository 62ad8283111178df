"""Reading quota tables: features, their values and min/max (and optional flex) per value.

It owns the accepted headers (`QUOTA_FORMATS`, `ACCEPTED_QUOTA_HEADERS`), `QuotaTable` and
`read_quotas` with the checks of every quota row (blank cells, duplicates, numbers, min above max,
flex bounds). The file is read by `sortition.inputs.tables`; names and values are compared after
`normalize`, and kept in file order and original spelling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sortition.errors import (
    BadQuotaNumber,
    DuplicateQuota,
    InputError,
    Location,
    QuotaMinAboveMax,
    UnknownQuotaFormat,
)
from sortition.inputs.tables import FIRST_DATA_ROW, WHOLE_NUMBER, is_blank, normalize, read_raw
from sortition.instance import Feature, Quota
from sortition.text import listing, quoted, quoted_path

# Accepted quota headers: format name -> (feature column, value column).
QUOTA_FORMATS: dict[str, tuple[str, str]] = {
    "feature,value": ("feature", "value"),
    "category,name": ("category", "name"),
    "category,feature": ("category", "feature"),
}
ACCEPTED_QUOTA_HEADERS = tuple(f"{name},min,max" for name in QUOTA_FORMATS)

_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


@dataclass(frozen=True)
class QuotaTable:
    """Features with their values and quotas, in file order and original spelling."""

    path: str
    features: tuple[Feature, ...]
    format: str
    sha256: str


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
        if is_blank(record):
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
            f"the quota table {quoted_path(shown)} has no rows",
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
        headers = " | ".join(ACCEPTED_QUOTA_HEADERS)
        raise UnknownQuotaFormat(
            f"unrecognized quota table header; columns found: {shown_columns}",
            location=Location(file=shown),
            hint=f"use one of these headers: {headers} (optionally with min_flex,max_flex)",
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
    match = WHOLE_NUMBER.fullmatch(text)
    if match:
        return int(match.group(1))
    shown, cell = quoted(text), quoted(label)
    if not _NUMBER.fullmatch(text):
        message = f"{column} {shown} for {cell} is not a number"
    elif text.startswith("-"):
        message = f"{column} {shown} for {cell} is negative"
    else:
        message = f"{column} {shown} for {cell} is not a whole number"
    raise BadQuotaNumber(message, location=where, hint=hint)


__all__ = ["ACCEPTED_QUOTA_HEADERS", "QUOTA_FORMATS", "QuotaTable", "read_quotas"]
