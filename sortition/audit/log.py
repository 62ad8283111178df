"""The selection log: a versioned, publishable JSON record of everything needed to re-check a draw.

It holds registrant ids (pseudonyms when the id column is personal, see `sortition.inputs.privacy`),
hashes of the input files, the options, the seed, the whole distribution and the drawn panel,
never names, e-mails, phone numbers or addresses: only the id column and the feature columns of
the pool ever reach it. A log written with its result set also lists, under ``files``, the
SHA-256 of every other file of the set (`sortition.outputs.layout`), which `verify` checks.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from sortition import __version__
from sortition.audit.canonical import canonical_json, record_hash, sha256_hex
from sortition.distribution import Distribution
from sortition.errors import BadRecord, FingerprintMismatch
from sortition.inputs.build import LoadedInstance
from sortition.instance import Instance
from sortition.numeric import inner

LOG_SCHEMA_VERSION = "2"
FINGERPRINT_KEY = "fingerprint"

SEED_PROCEDURE = (
    "Not committed in advance: the seed text, UTF-8, prefixed by b'sortition/seed/v1\\x00', is "
    "hashed with SHA-256 into numpy's SeedSequence; its second spawned PCG64 stream draws r "
    "(panel: first cumulative probability above r) then u (rotation), see sortition.randomness."
)

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
        # not estimated, not gapped, not stopped by the time limit
        "exact": distribution.exact and distribution.gap is None and distribution.stopped is None,
        **({} if distribution.gap is None else {"within_gap": distribution.gap}),
        **({} if (stopped := distribution.stopped) is None else {"stopped_at_time_limit": stopped}),
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


def inputs_record(
    loaded: LoadedInstance, pool: dict[str, Any], rules: dict[str, Any]
) -> dict[str, Any]:
    """The input files (name and SHA-256 of their bytes) and the hashes of their published form."""
    return {
        "pool": input_record(loaded.pool.path, loaded.pool.sha256),
        "quotas": input_record(loaded.quotas.path, loaded.quotas.sha256),
        "pool_record_sha256": record_hash(pool),
        "rules_record_sha256": record_hash(rules),
    }


def probability_record(instance: Instance, probabilities: np.ndarray) -> dict[str, float]:
    """Every registrant's selection probability, by id in id order."""
    pairs = sorted(zip(instance.ids, np.asarray(probabilities).tolist(), strict=True))
    return {person: float(p) for person, p in pairs}


def realize_record_panel(distribution: dict[str, Any], index: int, u: float) -> list[str]:
    """The ids of logged panel `index` for the drawn number u, by the rotation rule (sorted)."""
    panel = distribution["panels"][index]
    chosen = [str(person) for person in panel["ids"]]
    for group, count in panel["groups"]:
        members = distribution["groups"][str(group)]
        start = math.floor(u * len(members))
        chosen += [str(members[(start + j) % len(members)]) for j in range(int(count))]
    return sorted(chosen)


def gap_option(gap: float | None) -> dict[str, float]:
    """The optimality gap for a log's options: present only when one was asked for, so exact
    runs keep the records (and fingerprints) they always had."""
    return {} if gap is None else {"gap": float(gap)}


def fairness_slack_option(distribution: Distribution) -> dict[str, float]:
    """DIVERSIMAX's fairness slack for a log's options: present only for algorithms that have
    one, so other logs keep the records (and fingerprints) they always had."""
    slack = distribution.details.get("fairness_slack")
    return {"fairness_slack": float(slack)} if isinstance(slack, int | float) else {}


# DIVERSIMAX's details behind its fairness floor, which `verify` checks
FLOOR_DETAILS = (
    "balance_objective",
    "expected_balance",
    "maximin_min_probability",
    "probability_floor",
)
# the entropy figures of fair-maxentropy and maxentropy (entropy with its upper bound, the count
# of valid panels, the sampler's diagnostic)
ENTROPY_DETAILS = (
    "entropy_bits",
    "entropy_upper_bound_bits",
    "entropy_gap_bits",
    "entropy_certified",
    "valid_panels",
    "uniform_entropy_bits",
    "samples",
    "largest_rhat",
    "ci99_half_width",
)
# what a selection log publishes of an algorithm's details (those it has): its effort, then
# the figures above
LOGGED_DETAILS = ("stages", "draws", "pricing_gap", *ENTROPY_DETAILS, *FLOOR_DETAILS)


def floor_details_record(distribution: Distribution) -> dict[str, dict[str, Any]]:
    """{"algorithm_details": the `FLOOR_DETAILS` the distribution has} for a record that `verify`
    checks the fairness floor of (replacement logs, lottery files); {} for algorithms without a
    floor, so their records (and fingerprints) stay as they were."""
    details = {k: v for k, v in distribution.details.items() if k in FLOOR_DETAILS}
    return {"algorithm_details": details} if details else {}


def certificate_record(distribution: Distribution) -> dict[str, Any] | None:
    """Dual weights proving the lowest probability optimal (maximin/leximin), by id.

    Weak duality: for weights y >= 0 summing to 1, no distribution gives everyone more than the
    largest total weight of a quota-satisfying panel, so that maximum bounds the lowest probability.
    """
    weights = distribution.details.get("certificate_weights")
    if weights is None:
        return None
    instance = distribution.instance
    per_person = np.asarray(weights, dtype=np.float64)[instance.groups.group_of_person]
    factors = np.ones(instance.size) if instance.factors is None else instance.factors
    total = inner(per_person, factors)
    if total <= 0:
        return None
    pairs = sorted(
        (instance.ids[i], float(per_person[i]) / total)
        for i in np.flatnonzero(per_person > 0).tolist()
    )
    record: dict[str, Any] = {
        "kind": "maximin dual weights",
        "claim": "no quota-satisfying panel has total weight above the lowest probability "
        "(divided by the chance factor, where the rules set factors); weights times factors "
        "sum to 1",
        "lowest_probability": float((distribution.marginals() / factors).min()),
        "weights": [[person, weight] for person, weight in pairs],
    }
    gap = distribution.details.get("gap")
    if isinstance(gap, int | float):  # the run stopped within an optimality gap: say how far
        record["claim"] = (
            "no quota-satisfying panel has total weight above the lowest probability divided by "
            f"(1 - gap), gap = {float(gap):g} (the lowest probability also divided by the chance "
            "factor, where the rules set factors); weights times factors sum to 1"
        )
        record["gap"] = float(gap)
    return record


def fingerprinted(record: dict[str, Any]) -> dict[str, Any]:
    """The record with its fingerprint (SHA-256 of its canonical JSON) appended."""
    body = {key: value for key, value in record.items() if key != FINGERPRINT_KEY}
    return {**body, FINGERPRINT_KEY: sha256_hex(canonical_json(body))}


def fingerprint_matches(record: dict[str, Any]) -> bool:
    """True if the record's stored fingerprint is the hash of the rest of it."""
    return fingerprinted(record).get(FINGERPRINT_KEY) == record.get(FINGERPRINT_KEY)


def to_json_bytes(record: Any) -> bytes:
    """Deterministic, readable JSON: objects one key per line, short lists and rows on one line."""
    return (_render(record, 0) + "\n").encode("utf-8")


_INLINE_WIDTH = 100


def _render(value: Any, depth: int) -> str:
    flat = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))
    scalars = isinstance(value, list) and all(not isinstance(v, dict | list) for v in value)
    if not isinstance(value, dict | list) or scalars or len(flat) <= _INLINE_WIDTH:
        return flat
    inner = " " * (depth + 1)
    if isinstance(value, dict):
        items = [
            f"{inner}{json.dumps(key, ensure_ascii=False)}: {_render(item, depth + 1)}"
            for key, item in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + " " * depth + "}" if items else "{}"
    items = [f"{inner}{_render(item, depth + 1)}" for item in value]
    return "[\n" + ",\n".join(items) + "\n" + " " * depth + "]"


# The 'kind' of each JSON record sortition writes, and how a message names it (a phrase of the
# Spanish catalogs, so that an error line never shows the identifier).
SELECTION_LOG_KIND = "selection-log"
LOTTERY_KIND = "sortition-lottery"
INVITATION_LOG_KIND = "invitation-log"
KIND_PHRASES = {
    SELECTION_LOG_KIND: "a selection log",
    LOTTERY_KIND: "a lottery file",
    INVITATION_LOG_KIND: "an invitation log",
}


def read_record(path: str | Path, kind: str, *, check_fingerprint: bool = True) -> dict[str, Any]:
    """Load a record of `kind` (a selection log, lottery file or invitation log); refuse other
    files and altered content."""
    shown, what = str(path), KIND_PHRASES[kind]
    try:
        record = json.loads(Path(path).read_bytes().decode("utf-8"))
    except FileNotFoundError as error:
        raise BadRecord(f"file {shown!r} does not exist", hint="check the path") from error
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadRecord(
            f"{shown!r} is not {what}: it is not readable JSON ({error})",
            hint=f"pass {what} written by sortition",
        ) from error
    if not isinstance(record, dict) or record.get("kind") != kind:
        raise BadRecord(
            f"{shown!r} is not {what} (its 'kind' is {record.get('kind')!r})"
            if isinstance(record, dict)
            else f"{shown!r} is not {what} (it holds no JSON object)",
            hint=f"pass {what} written by sortition",
        )
    if check_fingerprint and not fingerprint_matches(record):
        raise FingerprintMismatch(
            f"the content of {shown!r} does not match its fingerprint "
            f"{str(record.get(FINGERPRINT_KEY))[:16]}...: it was changed after it was written",
            hint="use the file exactly as published",
        )
    return record
