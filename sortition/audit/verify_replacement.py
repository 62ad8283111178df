"""Checks that a replacement drew from the right people under the right quotas.

A replacement log is an ordinary selection log of its own instance (the eligible registrants and
the quotas shifted by the remaining members), so `verify` checks its draw like any other. What
that cannot show is that the instance itself is the right one: that the remaining members are the
panel minus the dropouts, that no one was left out of (or slipped into) the eligible registrants,
and that the quotas were shifted by the right counts. Given the original draw's log (and, for a
second or later wave, the log of the replacement before), this module re-derives the instance
with the same function `replace` uses and compares it with the published one.
"""

from __future__ import annotations

from typing import Any

from sortition.audit.canonical import instance_from_records, pool_record, rules_record
from sortition.audit.checks import Failed
from sortition.audit.log import SELECTION_LOG_KIND, read_record
from sortition.process.replace import replacement_instance
from sortition.process.replace_chain import original_panel, panel_after


def check_replacement_origin(
    log: dict[str, Any], original_path: str, after_path: str | None
) -> str:
    """Pass when the log's eligible registrants, shifted quotas, remaining members and earlier
    waves are exactly those the original draw (and the earlier replacement) imply."""
    block = log["replacement"]
    original = read_record(original_path, SELECTION_LOG_KIND)
    if "replacement" in original:
        raise Failed(f"{original_path} is itself a replacement's log, not the original draw's")
    if block["original_log_fingerprint"] != original["fingerprint"]:
        raise Failed(
            f"the log replaces members of the draw with fingerprint "
            f"{str(block['original_log_fingerprint'])[:16]}..., not of {original_path} "
            f"({str(original['fingerprint'])[:16]}...)"
        )
    earlier = list(block.get("earlier_replacements", ()))
    if after_path is None:
        if earlier:
            raise Failed(
                f"this is replacement {len(earlier) + 1} of the draw: pass the log of the "
                "replacement before it with --after"
            )
        before = original_panel(original)
    else:
        before = panel_after(original, read_record(after_path, SELECTION_LOG_KIND), after_path)
        if list(before.earlier) != earlier:
            raise Failed(
                f"the log's earlier replacements are not those {after_path} leads to "
                f"({len(earlier)} listed, {len(before.earlier)} expected)"
            )
    dropouts = sorted(map(str, block["dropouts"]))
    gone = sorted(set(dropouts) - set(before.panel))
    if gone:
        raise Failed(f"dropouts {gone} were not on the panel before this replacement")
    remaining = tuple(sorted(set(before.panel) - set(dropouts)))
    if list(remaining) != sorted(map(str, block["remaining"])):
        raise Failed("the remaining members are not the panel before minus the dropouts")
    if block["original_rules"] != original["rules"]:
        raise Failed("the log's original quotas are not those of the original draw")
    rows = {row[0]: row for row in original["pool"]["people"]}
    if [rows[p] for p in remaining] != block["remaining_members"]:
        raise Failed("the remaining members' values differ from the original pool's")
    full = instance_from_records(original["pool"], original["rules"])
    candidates = replacement_instance(full, before.drawn, remaining, len(dropouts))
    id_column = str(original["options"]["id_column"])
    if pool_record(candidates, id_column) != log["pool"]:
        published = {row[0] for row in log["pool"]["people"]}
        missing = sorted(set(candidates.ids) - published)
        extra = sorted(published - set(candidates.ids))
        raise Failed(
            f"the eligible registrants differ: left out {missing[:5]}, not eligible {extra[:5]}"
            if missing or extra
            else "the eligible registrants' values or households differ from the original pool"
        )
    if rules_record(candidates) != log["rules"]:
        raise Failed("the shifted quotas or the number of seats differ from the original's")
    if earlier:
        return (
            f"replacement {len(earlier) + 1}: {len(remaining)} remaining, {len(dropouts)} seats, "
            f"{candidates.size} eligible, as the original draw and the replacement before imply"
        )
    return (
        f"{len(remaining)} remaining, {len(dropouts)} seats, {candidates.size} eligible: as the "
        "original draw implies"
    )
