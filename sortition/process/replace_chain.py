"""Replacements in waves: the panel as it stands after earlier replacements of the same draw.

Members drop out more than once (before the first session, then before the second...). A second
replacement must start from the panel the first one completed, and must never draw again anyone
drawn before (the original panel and every earlier replacement, dropped out or not). A
replacement log therefore records the replacements before it (`earlier_replacements`, oldest
first), so the latest log alone, beside the original draw's log, says who is on the panel now
and who was ever drawn. This module reads that state from the logs and checks that they belong
together; `sortition.process.replace` draws from it, and `verify --original` re-derives it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sortition.errors import InputError, UsageError


@dataclass(frozen=True)
class PanelState:
    """Who is on the panel before a replacement, and who may never be drawn again."""

    panel: tuple[str, ...]  # the members now (sorted)
    drawn: tuple[str, ...]  # everyone drawn so far: the original panel and all replacements
    earlier: tuple[dict[str, Any], ...]  # one record per earlier replacement, oldest first


def original_panel(original: dict[str, Any]) -> PanelState:
    """The state right after the original draw."""
    selected = tuple(sorted(str(p) for p in original["draw"]["selected"]))
    return PanelState(selected, selected, ())


def require_original(log: dict[str, Any], path: str) -> None:
    """Refuse a replacement's log where the original draw's log is wanted."""
    if "replacement" in log:
        raise UsageError(
            f"{path} is the log of a replacement, not of the original draw",
            hint="pass the original draw's selection-log.json, and this replacement's log "
            "with --after",
        )


def panel_after(original: dict[str, Any], latest: dict[str, Any], path: str) -> PanelState:
    """The state after the replacement logged in `latest` (read from `path`), which must replace
    members of the draw logged in `original`."""
    block = latest.get("replacement")
    if block is None:
        raise UsageError(
            f"{path} is not the log of a replacement",
            hint="--after takes the selection-log.json of an earlier `sortition replace` of "
            "this draw (its public/ folder)",
        )
    if block["original_log_fingerprint"] != original["fingerprint"]:
        raise InputError(
            f"{path} replaces members of another draw (its original log's fingerprint is "
            f"{str(block['original_log_fingerprint'])[:12]}..., this draw's is "
            f"{str(original['fingerprint'])[:12]}...)",
            hint="pass the replacement log of this same draw, or the original log it names",
        )
    earlier = tuple(block.get("earlier_replacements", ()))
    replacements = sorted(str(p) for p in latest["draw"]["selected"])
    record = {
        "log_fingerprint": latest["fingerprint"],
        "dropouts": list(block["dropouts"]),
        "replacements": replacements,
    }
    drawn = set(original_panel(original).drawn)
    for wave in (*earlier, record):
        drawn.update(str(p) for p in wave["replacements"])
    return PanelState(
        tuple(sorted(str(p) for p in block["completed_panel"])),
        tuple(sorted(drawn)),
        (*earlier, record),
    )


def earlier_record(state: PanelState) -> dict[str, Any]:
    """The log's `earlier_replacements` entry ({} for a first replacement: the log of a single
    wave stays as it was)."""
    return {"earlier_replacements": list(state.earlier)} if state.earlier else {}
