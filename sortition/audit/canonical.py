"""Canonical, publishable forms of the inputs and the byte format their hashes are taken over.

A pool is published as its ids, its feature values (spelled as in the quota table) and its
households (lists of ids living together), never any other column; the rules as the panel size
and the quota table. Hashes are SHA-256 over `canonical_json`, which anyone can recompute with
Python's standard library:

    json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
               allow_nan=False).encode("utf-8")
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np

from sortition.errors import InputError
from sortition.instance import NO_HOUSEHOLD, Feature, Instance, Quota


def canonical_json(record: Any) -> bytes:
    """The one byte form every hash in this package is taken over (see the module docstring)."""
    return json.dumps(
        record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def record_hash(record: Any) -> str:
    """SHA-256 (hex) of a record's canonical JSON."""
    return sha256_hex(canonical_json(record))


def pool_record(instance: Instance, id_column: str) -> dict[str, Any]:
    """Ids, feature values and households only; people sorted by id (code point order).

    `people` rows are [id, value of feature 1, value of feature 2, ...] in quota-table feature
    order; `households` lists the ids of every household with two or more registrants.
    """
    features = instance.features
    rows = [
        [person, *(features[f].values[int(code)] for f, code in enumerate(codes))]
        for person, codes in zip(instance.ids, instance.values.tolist(), strict=True)
    ]
    rows.sort(key=lambda row: row[0])
    members: dict[int, list[str]] = {}
    for person, label in zip(instance.ids, instance.households.tolist(), strict=True):
        if label != NO_HOUSEHOLD:
            members.setdefault(label, []).append(person)
    households = sorted(sorted(ids) for ids in members.values() if len(ids) > 1)
    return {
        "id_column": id_column,
        "features": [feature.name for feature in features],
        "people": rows,
        "households": households,
    }


def rules_record(instance: Instance) -> dict[str, Any]:
    """Panel size and every quota as [feature, value, min, max], in quota-table order; chance
    factors other than 1 as [id, factor] sorted by id, when there are any."""
    record = {
        "panel_size": instance.panel_size,
        "quotas": [
            [feature.name, value, quota.min, quota.max]
            for feature in instance.features
            for value, quota in zip(feature.values, feature.quotas, strict=True)
        ],
        "households": "at most one member of each listed household",
    }
    if instance.factors is not None:
        record["chance_factors"] = sorted(
            [person, float(factor)]
            for person, factor in zip(instance.ids, instance.factors.tolist(), strict=True)
            if factor != 1.0
        )
    return record


def instance_from_records(pool: dict[str, Any], rules: dict[str, Any]) -> Instance:
    """Rebuild the instance an auditor checks panels against, from the published records alone."""
    try:
        names = [str(name) for name in pool["features"]]
        values: dict[str, list[str]] = {name: [] for name in names}
        quotas: dict[str, list[Quota]] = {name: [] for name in names}
        for feature, value, low, high in rules["quotas"]:
            if feature not in values:
                raise InputError(f"the rules name feature '{feature}' that the pool does not have")
            values[feature].append(str(value))
            quotas[feature].append(Quota(int(low), int(high)))
        features = tuple(Feature(name, tuple(values[name]), tuple(quotas[name])) for name in names)
        index = [{value: i for i, value in enumerate(f.values)} for f in features]
        ids: list[str] = []
        codes = np.empty((len(pool["people"]), len(features)), dtype=np.int64)
        for row, (person, *cells) in enumerate(pool["people"]):
            ids.append(str(person))
            if len(cells) != len(features):
                raise InputError(f"pool row of id '{person}' has the wrong number of values")
            for f, cell in enumerate(cells):
                code = index[f].get(cell)
                if code is None:
                    raise InputError(
                        f"id '{person}' has {names[f]} value '{cell}', which has no quota"
                    )
                codes[row, f] = code
        position = {person: i for i, person in enumerate(ids)}
        if len(position) != len(ids):
            raise InputError("the published pool lists an id twice")
        labels = np.full(len(ids), NO_HOUSEHOLD, dtype=np.int64)
        for label, household in enumerate(pool["households"]):
            for person in household:
                if person not in position:
                    raise InputError(f"household member '{person}' is not in the pool")
                labels[position[person]] = label
        factors = None
        if rules.get("chance_factors"):
            factors = np.ones(len(ids))
            for person, factor in rules["chance_factors"]:
                if person not in position:
                    raise InputError(f"chance factor for '{person}', who is not in the pool")
                factors[position[person]] = float(factor)
        return Instance(tuple(ids), features, codes, int(rules["panel_size"]), labels, (), factors)
    except (KeyError, TypeError, ValueError) as error:
        raise InputError(f"the published pool or rules are malformed ({error})") from error
