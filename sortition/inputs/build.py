"""Building the instance: a pool's columns and values matched to a quota table's features.

It owns `LoadedInstance` (an `Instance` with the pool and quota table it came from),
`build_instance` (feature columns, value codes and household labels) and `load_instance`, which
reads a pool and a quota table and builds the instance in one call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sortition.errors import Location, UnknownValue
from sortition.inputs.pool import Pool, read_pool
from sortition.inputs.quotas import QuotaTable, read_quotas
from sortition.inputs.tables import FIRST_DATA_ROW, normalize, require_column
from sortition.instance import NO_HOUSEHOLD, Feature, Instance
from sortition.text import listing, quoted, quoted_path


@dataclass(frozen=True, eq=False)
class LoadedInstance:
    """An `Instance` with the pool and quota table it came from and the pool columns it used."""

    pool: Pool
    quotas: QuotaTable
    instance: Instance
    feature_columns: tuple[str, ...]
    household_columns: tuple[str, ...]


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
        actual = require_column(
            header,
            feature.name,
            shown=pool.path,
            missing=f"the quota table {quoted_path(quotas.path)} names feature "
            f"{quoted(feature.name)} but the pool has no such column; columns found: "
            f"{listing(header)}",
            hint="rename the pool column or the feature so they match (case and spaces are "
            "ignored)",
        )
        feature_columns.append(actual)
        codes[:, f] = _value_codes(pool, quotas, feature, actual, header.index(actual))

    actual_households: list[str] = []
    for wanted in household_columns:
        actual = require_column(
            header,
            wanted,
            shown=pool.path,
            missing=f"the pool has no household column {quoted(wanted)}; "
            f"columns found: {listing(header)}",
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
        name, allowed = feature.name, listing(feature.values)
        raise UnknownValue(
            f"{name} value is blank; allowed values: {allowed}"
            if not value.strip()
            else f"{name} value {quoted(value)} is not in the quota table; allowed values: "
            f"{allowed}",
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


__all__ = ["LoadedInstance", "build_instance", "load_instance"]
