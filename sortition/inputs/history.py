"""Rotation across processes: keep recently selected registrants out of the next draw.

With mode "weight" they stay in with a chance factor instead (e.g. 0.5): MAXIMIN and LEXIMIN
then equalize probability divided by factor, so their chance is the factor times the others'.

A history file lists earlier selections (columns id, process, date as YYYY-MM-DD). Everyone
selected within `cooldown` months before the `as_of` date is excluded from the pool before the
draw, as are members of panels drawn earlier from the same pool (`select --panels`). Excluded ids
are published in the log, so `verify` can rebuild the eligible pool from the original file.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sortition.errors import InputError, Location, UsageError
from sortition.inputs.pool import Pool
from sortition.inputs.tables import FIRST_DATA_ROW, read_raw, require_column

HISTORY_MODES = ("exclude", "weight")
DEFAULT_COOLDOWN_MONTHS = 24  # how long a selected registrant sits out, unless told
DEFAULT_HISTORY_FACTOR = 0.5  # mode "weight": recent panelists' chance relative to others'
MAX_COOLDOWN_MONTHS = 1200


@dataclass(frozen=True)
class HistoryRule:
    """Who is kept out because of earlier processes."""

    path: str
    cooldown_months: int
    as_of: str  # YYYY-MM-DD: the cooldown counts back from this date
    mode: str = "exclude"  # or "weight": lower their chance by `factor` instead
    factor: float = DEFAULT_HISTORY_FACTOR  # mode "weight": their chance relative to others'

    def __post_init__(self) -> None:
        if self.mode not in HISTORY_MODES:
            raise UsageError(f"unknown history mode {self.mode!r}", hint="choose exclude or weight")
        if not 0 < self.factor <= 1:
            raise UsageError(
                f"the history factor must lie in (0, 1], got {self.factor}",
                hint="pass e.g. --history-factor 0.5 to halve recent panelists' chances",
            )


@dataclass(frozen=True)
class Exclusions:
    """Ids kept out of a draw and why (both lists sorted)."""

    by_history: tuple[str, ...] = ()
    by_earlier_panels: tuple[str, ...] = ()
    history_sha256: str | None = None
    weighted_by_history: tuple[str, ...] = ()  # mode "weight": kept in, with a lower chance

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(sorted({*self.by_history, *self.by_earlier_panels}))


def parse_date(text: str, where: str, location: Location | None = None) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as error:
        raise InputError(
            f"{where} {text!r} is not a date",
            location=location,
            hint="write dates as YYYY-MM-DD, e.g. 2026-11-23",
        ) from error


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` earlier, clamped to that month's last day."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def recently_selected(rule: HistoryRule) -> tuple[tuple[str, ...], str]:
    """Ids selected from as_of minus the cooldown up to as_of (inclusive), and the file's hash."""
    if rule.cooldown_months < 0:
        raise UsageError("the cooldown cannot be negative", hint="pass --cooldown MONTHS >= 0")
    as_of = parse_date(rule.as_of, "--as-of")
    start = months_before(as_of, rule.cooldown_months)
    raw = read_raw(rule.path)
    columns = {}
    for wanted in ("id", "date"):
        actual = require_column(
            raw.header,
            wanted,
            shown=rule.path,
            missing=f"the history file {rule.path!r} has no {wanted!r} column",
            hint="give the history columns id, process, date (YYYY-MM-DD)",
        )
        columns[wanted] = raw.header.index(actual)
    recent = set()
    for row, cells in enumerate(raw.rows):
        where = Location(file=rule.path, row=row + FIRST_DATA_ROW, column="date")
        when = parse_date(cells[columns["date"]], "date", where)
        if start <= when <= as_of:
            recent.add(cells[columns["id"]].strip())
    return tuple(sorted(recent)), raw.sha256


def without(pool: Pool, ids: Iterable[str]) -> Pool:
    """The pool without the given registrants (ids not in the pool are ignored)."""
    drop = set(ids)
    if not drop:
        return pool
    keep = [str(v).strip() not in drop for v in pool.table[pool.id_column]]
    table = pool.table[keep].reset_index(drop=True)
    return Pool(pool.path, table, pool.id_column, pool.sha256)
