"""Population counts per quota category value, for correcting self-selection
(`--correct-self-selection FILE`, `sortition.process.self_selection`).

The file is a table with the columns `feature`, `value` and `population` (CSV or XLSX, like the
other inputs): one row per value of a quota category, its number of residents (or any figure
proportional to it, such as a census share). Every value the pool holds must be listed, since
its registrants cannot be weighed otherwise; values nobody in the pool holds may be listed too
(they are ignored, and the correction says so). Categories of the pool that the file does not
list are not corrected for.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sortition.errors import InputError, Location
from sortition.inputs.tables import FIRST_DATA_ROW, is_blank, normalize, read_table
from sortition.instance import Instance
from sortition.text import quoted

COLUMNS = ("feature", "value", "population")


@dataclass(frozen=True)
class PopulationMargins:
    """Population per value of some quota categories: `counts[f][v]` for feature index f (of the
    instance) and value index v; features not listed are absent."""

    path: str
    sha256: str
    counts: dict[int, tuple[float, ...]]


def read_population(path: str | Path, instance: Instance) -> PopulationMargins:
    """Read the population table for the quota categories of `instance` (see the module
    docstring); every problem names the file, row and column."""
    table = read_table(path)
    shown = str(path)
    positions = [table.position(name, role="population table") for name in COLUMNS]
    features = {normalize(feature.name): f for f, feature in enumerate(instance.features)}
    found: dict[int, dict[int, float]] = {}
    for index, row in enumerate(table.rows):
        if is_blank(row):
            continue
        spreadsheet_row = index + FIRST_DATA_ROW
        name, value, population = (row[p].strip() if p < len(row) else "" for p in positions)
        f = features.get(normalize(name))
        if f is None:
            raise InputError(
                f"{quoted(name)} is not a quota category of this pool",
                location=Location(shown, spreadsheet_row, table.header[positions[0]]),
                hint=f"use one of: {', '.join(feat.name for feat in instance.features)}",
            )
        values = {normalize(v): i for i, v in enumerate(instance.features[f].values)}
        v = values.get(normalize(value))
        if v is None:
            raise InputError(
                f"{quoted(value)} is not a value of {quoted(instance.features[f].name)} in the "
                "quota table",
                location=Location(shown, spreadsheet_row, table.header[positions[1]]),
                hint="spell the value as the quota table does",
            )
        count = _population(population)
        if count is None:
            raise InputError(
                f"population {quoted(population)} is not a number of 0 or more",
                location=Location(shown, spreadsheet_row, table.header[positions[2]]),
                hint="write the number of residents without separators, e.g. 12500",
            )
        if v in found.setdefault(f, {}):
            raise InputError(
                f"{instance.features[f].name}={instance.features[f].values[v]} is listed twice",
                location=Location(shown, spreadsheet_row, table.header[positions[1]]),
                hint="list each value once",
            )
        found[f][v] = count
    counts: dict[int, tuple[float, ...]] = {}
    for f, given in sorted(found.items()):
        feature = instance.features[f]
        held = instance.value_counts(f)
        absent = [v for v in np.flatnonzero(held > 0).tolist() if v not in given]
        if absent:
            raise InputError(
                f"no population for {feature.name}={feature.values[absent[0]]}, which "
                "registrants hold",
                location=Location(shown, None, table.header[positions[1]]),
                hint=f"add a row for every value of {quoted(feature.name)} in the pool",
            )
        if not sum(given.get(v, 0.0) for v in range(len(feature.values)) if held[v] > 0) > 0:
            raise InputError(
                f"the population of {quoted(feature.name)} is 0 for every value in the pool",
                location=Location(shown, None, table.header[positions[2]]),
                hint="write the number of residents of each value",
            )
        counts[f] = tuple(given.get(v, 0.0) for v in range(len(feature.values)))
    if not counts:
        raise InputError(
            "the population table lists no quota category",
            location=Location(shown),
            hint="one row per value: feature,value,population",
        )
    return PopulationMargins(shown, table.sha256, counts)


def _population(text: str) -> float | None:
    try:
        value = float(text) if text else math.nan
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None
