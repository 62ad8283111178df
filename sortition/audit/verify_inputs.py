"""Checks of a log's own records and of the input files: the log's fingerprint, that the published
pool and rules hash as the log states, that the organizer's pool and quota files give that same
pool and rules (naming the first difference if not), and that the pool and rules rebuild an
instance. Both kinds of draw (`verify_seed`, `verify_lottery`) start from these.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sortition.audit.canonical import instance_from_records, pool_record, record_hash, rules_record
from sortition.audit.checks import Failed
from sortition.audit.log import fingerprint_matches
from sortition.inputs.build import build_instance
from sortition.inputs.history import without
from sortition.inputs.pool import read_pool
from sortition.inputs.privacy import pseudonymize_as_recorded
from sortition.inputs.quotas import read_quotas
from sortition.instance import Instance


def check_log_fingerprint(log: dict[str, Any]) -> str:
    """The log's content hashes to the fingerprint stored in it (it was not edited)."""
    if not fingerprint_matches(log):
        raise Failed("the log's content does not hash to its fingerprint: it was edited")
    return f"log content hashes to {str(log['fingerprint'])[:16]}..."


def check_record_hashes(log: dict[str, Any]) -> str:
    inputs = log["inputs"]
    if record_hash(log["pool"]) != inputs["pool_record_sha256"]:
        raise Failed("the published pool does not hash to pool_record_sha256")
    if record_hash(log["rules"]) != inputs["rules_record_sha256"]:
        raise Failed("the published rules do not hash to rules_record_sha256")
    people = len(log["pool"]["people"])
    return f"{people} registrants and {len(log['rules']['quotas'])} quotas hash as stated"


def check_input_files(log: dict[str, Any], pool_path: str, quota_path: str) -> str:
    options = log["options"]
    exclusions = log.get("exclusions") or {}
    excluded = [*exclusions.get("by_history", []), *exclusions.get("by_earlier_panels", [])]
    pool_file, _ = pseudonymize_as_recorded(
        read_pool(pool_path, id_column=options["id_column"]), options
    )
    loaded = build_instance(
        without(pool_file, excluded),
        read_quotas(quota_path),
        panel_size=int(log["rules"]["panel_size"]),
        household_columns=tuple(options["household_columns"]),
    )
    instance = loaded.instance
    if log["rules"].get("chance_factors"):  # set by the history file, which is not given here
        factors = dict(log["rules"]["chance_factors"])
        instance = instance.with_factors(np.array([factors.get(p, 1.0) for p in instance.ids]))
    pool = pool_record(instance, loaded.pool.id_column)
    rules = rules_record(instance)
    if record_hash(pool) != log["inputs"]["pool_record_sha256"]:
        raise Failed(f"pool file: {_first_pool_difference(pool, log['pool'])}")
    if record_hash(rules) != log["inputs"]["rules_record_sha256"]:
        raise Failed(f"quota file: {_first_rules_difference(rules, log['rules'])}")
    same_bytes = [
        name
        for name, sha in (("pool", loaded.pool.sha256), ("quota", loaded.quotas.sha256))
        if sha == log["inputs"]["pool" if name == "pool" else "quotas"]["sha256"]
    ]
    note = (
        "both files are byte-identical to the logged ones"
        if len(same_bytes) == 2
        else "ids, features, households and quotas match; other columns or formatting differ "
        "from the logged files"
    )
    return note


def _first_pool_difference(file: dict[str, Any], logged: dict[str, Any]) -> str:
    file_rows = {row[0]: row for row in file["people"]}
    log_rows = {row[0]: row for row in logged["people"]}
    only_file = sorted(set(file_rows) - set(log_rows))
    only_log = sorted(set(log_rows) - set(file_rows))
    if only_file or only_log:
        parts = [f"id '{only_file[0]}' is in the file but not in the log"] if only_file else []
        parts += [f"id '{only_log[0]}' is in the log but not in the file"] if only_log else []
        return "; ".join(parts)
    for person in sorted(file_rows):
        pairs = zip(file["features"], file_rows[person][1:], log_rows[person][1:], strict=False)
        for name, a, b in pairs:
            if a != b:
                return f"id '{person}' has {name} '{a}' in the file but '{b}' in the log"
    if file["households"] != logged["households"]:
        return "the households (registrants sharing a household column value) differ"
    return "its published form differs from the log's"


def _first_rules_difference(file: dict[str, Any], logged: dict[str, Any]) -> str:
    for a, b in zip(file["quotas"], logged["quotas"], strict=False):
        if a != b:
            return f"quota {a[0]}={a[1]} is {a[2]}..{a[3]} in the file, {b[2]}..{b[3]} in the log"
    if len(file["quotas"]) != len(logged["quotas"]):
        return "the number of quotas differs between the file and the log"
    return "the rules differ between the file and the log"


def rebuild_instance(log: dict[str, Any]) -> tuple[str, Instance]:
    instance = instance_from_records(log["pool"], log["rules"])
    detail = (
        f"{instance.size} registrants, {len(instance.features)} features, k={instance.panel_size}"
    )
    return detail, instance
