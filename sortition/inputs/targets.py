"""Target selection probabilities per registrant (`--targets FILE`, for fair-maxentropy).

A CSV or XLSX table with an `id` column and a `probability` column, one row per registrant of
the (eligible) pool, e.g. the probabilities.csv another run wrote. Every probability lies in
[0, 1] and they sum to the panel size (within `SUM_TOLERANCE` per registrant, which allows
probabilities rounded to six decimals), since each lottery over panels
of k gives probabilities summing to k. Ids are matched after the pool's pseudonyms are applied,
so a file of real ids and one of pseudonyms both work.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sortition.errors import InputError, Location
from sortition.inputs.privacy import Pseudonyms, to_pseudonyms
from sortition.inputs.tables import FIRST_DATA_ROW, read_raw, require_column
from sortition.instance import Instance

SUM_TOLERANCE = 1e-6  # |sum of the targets - panel size| accepted, per registrant (rounding)


@dataclass(frozen=True)
class TargetFile:
    """The targets by position in the instance, and the SHA-256 of the file (for the log)."""

    values: tuple[float, ...]
    sha256: str


def read_targets(path: str, instance: Instance, pseudonyms: Pseudonyms | None = None) -> TargetFile:
    """The target probability of every registrant of `instance`, by position."""
    raw = read_raw(path)
    columns = {}
    for wanted in ("id", "probability"):
        actual = require_column(
            raw.header,
            wanted,
            shown=path,
            missing=f"the targets file has no {wanted!r} column",
            hint="give the columns id and probability (e.g. a probabilities.csv)",
        )
        columns[wanted] = raw.header.index(actual)
    position = {person: i for i, person in enumerate(instance.ids)}
    given: dict[int, float] = {}
    for row, cells in enumerate(raw.rows):
        line = row + FIRST_DATA_ROW
        person = to_pseudonyms([cells[columns["id"]].strip()], pseudonyms)[0]
        where = Location(file=path, row=line, column="id")
        if person not in position:
            raise InputError(
                f"id {person!r} is not a registrant of the pool (or was kept out of this draw)",
                location=where,
                hint="list exactly the registrants of the pool",
            )
        if position[person] in given:
            raise InputError(
                f"id {person!r} is listed twice", location=where, hint="list each id once"
            )
        text = cells[columns["probability"]].strip()
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not 0.0 <= value <= 1.0:
            raise InputError(
                f"probability {text!r} is not a number between 0 and 1",
                location=Location(file=path, row=line, column="probability"),
                hint="write each target as a decimal number such as 0.0375",
            )
        given[position[person]] = value
    missing = [instance.ids[i] for i in range(instance.size) if i not in given]
    if missing:
        raise InputError(
            f"{len(missing)} registrant(s) have no target, the first {missing[0]!r}",
            location=Location(file=path, column="id"),
            hint="list every registrant of the pool once",
        )
    total = math.fsum(given.values())
    if abs(total - instance.panel_size) > SUM_TOLERANCE * instance.size:
        raise InputError(
            f"the targets sum to {total:.9g}, not to the panel size {instance.panel_size}",
            location=Location(file=path, column="probability"),
            hint="every lottery over panels of k gives probabilities summing to k",
        )
    return TargetFile(tuple(given[i] for i in range(instance.size)), raw.sha256)
