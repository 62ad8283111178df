"""The selection log of a replacement (`sortition.process.replace`): an ordinary selection log
of the replacement instance, which `verify` checks like any other, plus a `replacement` block that
ties it to the original draw (its fingerprint, the dropouts, the remaining members and the
original quotas with the completed panel's counts).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sortition.audit.canonical import pool_record, record_hash, rules_record
from sortition.audit.log import (
    LOG_SCHEMA_VERSION,
    SEED_PROCEDURE,
    SELECTION_LOG_KIND,
    certificate_record,
    distribution_record,
    fairness_slack_option,
    fingerprinted,
    floor_details_record,
    gap_option,
    probability_record,
    quota_record,
    software_record,
)
from sortition.process.replace_chain import earlier_record

if TYPE_CHECKING:
    from sortition.process.replace import Replacement


def completed_quotas(replacement: Replacement) -> list[dict[str, Any]]:
    """Every original quota with the completed panel's count."""
    position = {p: i for i, p in enumerate(replacement.full.ids)}
    panel = np.array(sorted(position[p] for p in replacement.completed_panel), dtype=np.int64)
    return quota_record(replacement.full, panel)


def replacement_log(
    replacement: Replacement, files: dict[str, str] | None = None
) -> dict[str, Any]:
    """A selection log of the replacement instance plus the link to the original draw; with
    `files`, the SHA-256 of every other file of its set (see `sortition.outputs.layout`)."""
    candidates = replacement.candidates
    original = replacement.original
    pool = pool_record(candidates, str(original["options"]["id_column"]))
    rules = rules_record(candidates)
    distribution = replacement.distribution
    remaining = set(replacement.remaining)
    return fingerprinted(
        {
            "schema_version": LOG_SCHEMA_VERSION,
            "kind": SELECTION_LOG_KIND,
            "software": software_record(),
            "inputs": {
                **{k: v for k, v in original["inputs"].items() if k in ("pool", "quotas")},
                "pool_record_sha256": record_hash(pool),
                "rules_record_sha256": record_hash(rules),
            },
            "options": {
                **{
                    k: v
                    for k, v in original["options"].items()
                    if k not in ("gap", "fairness_slack")
                },
                "algorithm": distribution.algorithm,
                **gap_option(replacement.request.options.gap),
                **fairness_slack_option(distribution),
            },
            "randomness": {
                "method": "seed",
                "seed": replacement.seed,
                "seed_source": replacement.seed_source,
                "committed_in_advance": False,
                "procedure": SEED_PROCEDURE,
            },
            "exclusions": original.get("exclusions"),
            "replacement": {
                "original_log_fingerprint": original["fingerprint"],
                **earlier_record(replacement.before),
                "dropouts": list(replacement.dropouts),
                "remaining": list(replacement.remaining),
                "completed_panel": replacement.completed_panel,
                "remaining_members": [
                    row for row in original["pool"]["people"] if row[0] in remaining
                ],
                "original_rules": original["rules"],
                "completed_quotas": completed_quotas(replacement),
                "eligible": "registrants not drawn, not living with a remaining member, and "
                "holding no value whose maximum the remaining members already reach",
            },
            "pool": pool,
            "rules": rules,
            **floor_details_record(distribution),
            "certificate": certificate_record(distribution),
            "distribution": distribution_record(distribution),
            "probabilities": probability_record(candidates, distribution.marginals()),
            "draw": {
                "panel_index": replacement.draw.panel_index,
                "u": replacement.draw.u,
                "selected": replacement.replacement_ids,
            },
            "quotas": quota_record(candidates, replacement.draw.panel),
            "fairness": distribution.fairness().as_dict(),
            **({} if files is None else {"files": files}),
        }
    )
