"""The selection log: a versioned, publishable JSON record of everything needed to re-check a draw.

It holds pseudonymous registrant ids, hashes of the input files, the options, the seed, the whole
distribution and the drawn panel, never names, e-mails, phone numbers or addresses: only the id
column and the feature columns of the pool ever reach it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from sortition import __version__
from sortition.distribution import Distribution
from sortition.instance import Instance

LOG_SCHEMA_VERSION = "1"

ROTATION_RULE = (
    "A panel lists 'ids' selected outright and 'groups' as [group, count] pairs. Group g's "
    "members are listed in pool order; with the drawn number u in [0, 1), start = floor(u * size) "
    "and the members at positions start, start+1, ... (wrapping around) are taken, count of them."
)


def distribution_record(distribution: Distribution) -> dict[str, Any]:
    """The distribution in id form: shared groups once, then each panel with its probability."""
    instance = distribution.instance
    groups = instance.groups
    ids = instance.ids
    sizes = groups.sizes
    used = np.flatnonzero((distribution.compositions > 0).any(axis=0) & (sizes > 1))
    panels = []
    for row, probability in zip(
        distribution.compositions, distribution.probabilities.tolist(), strict=True
    ):
        outright = sorted(
            ids[int(groups.members[g][0])]
            for g in np.flatnonzero((row > 0) & (sizes == 1)).tolist()
        )
        shared = [[int(g), int(row[g])] for g in np.flatnonzero((row > 0) & (sizes > 1)).tolist()]
        panels.append({"probability": probability, "ids": outright, "groups": shared})
    return {
        "exact": distribution.exact,
        "num_panels": distribution.num_panels,
        "rotation_rule": ROTATION_RULE,
        "groups": {str(int(g)): [ids[int(i)] for i in groups.members[g]] for g in used.tolist()},
        "panels": panels,
    }


def quota_record(instance: Instance, panel: np.ndarray) -> list[dict[str, Any]]:
    """Each quota with the drawn panel's count and the expected count under the distribution."""
    rows = []
    for f, feature in enumerate(instance.features):
        counts = instance.panel_counts(panel, f)
        for v, (value, quota) in enumerate(zip(feature.values, feature.quotas, strict=True)):
            rows.append(
                {
                    "feature": feature.name,
                    "value": value,
                    "min": quota.min,
                    "max": quota.max,
                    "selected": int(counts[v]),
                }
            )
    return rows


def software_record() -> dict[str, str]:
    return {"name": "sortition", "version": __version__}


def input_record(path: str, sha256: str) -> dict[str, str]:
    """File name (without directories, which may be personal) and content hash."""
    return {"file": Path(path).name, "sha256": sha256}


def to_json_bytes(record: dict[str, Any]) -> bytes:
    """Deterministic JSON: insertion order kept, shortest round-trip floats, UTF-8, newline."""
    return (json.dumps(record, indent=1, ensure_ascii=False, allow_nan=False) + "\n").encode()
