"""Checks of a one-step selection (drawn from a seed): the distribution's panels and probabilities,
that the seed draws the logged panel and its rotation gives the selected ids, the quota counts,
for a replacement log that the completed panel meets the original quotas, and (deep) the
fairness certificate.
"""

from __future__ import annotations

from typing import Any

from sortition.audit.checks import Checks, Failed
from sortition.audit.log import realize_record_panel
from sortition.audit.verify_certificate import check_certificate
from sortition.audit.verify_panels import (
    check_distribution_panels,
    check_fairness_floor,
    check_probabilities,
    check_quota_counts,
    record_marginals,
)
from sortition.instance import Instance
from sortition.randomness import pick_index, streams_from_seed


def seed_checks(
    checks: Checks, log: dict[str, Any], instance: Instance, *, deep: bool, solver: str
) -> None:
    """Run the checks of a one-step selection, in order, into `checks`."""
    position = {person: i for i, person in enumerate(instance.ids)}
    distribution = log["distribution"]
    checks.run(
        "every panel meets the rules",
        lambda: check_distribution_panels(distribution, instance, position),
    )
    checks.run(
        "probabilities",
        lambda: check_probabilities(
            log["probabilities"], instance.ids, record_marginals(distribution, instance, position)
        ),
    )
    checks.run("seed gives the panel", lambda: _seed_draw(log))
    checks.run("selected panel", lambda: _selected_from_seed(log))
    checks.run("quota counts", lambda: check_quota_counts(log, instance, position))
    if "replacement" in log:
        checks.run("completed panel", lambda: _completed_panel(log))
    if "fairness_slack" in log["options"]:
        checks.run("fairness floor", lambda: check_fairness_floor(log, log["probabilities"]))
    if deep:
        checks.run(
            "maximin certificate",
            lambda: check_certificate(log, instance, position, log["probabilities"], solver),
        )
    else:
        checks.skip("maximin certificate", "pass --deep to re-check the fairness claim")


def _seed_draw(log: dict[str, Any]) -> str:
    seed = str(log["randomness"]["seed"])
    probabilities = [float(panel["probability"]) for panel in log["distribution"]["panels"]]
    index, u = pick_index(probabilities, streams_from_seed(seed).draw)
    draw = log["draw"]
    if index != draw["panel_index"] or u != draw["u"]:
        raise Failed(
            f"seed {seed!r} gives panel {index} with u={u!r}; "
            f"the log says panel {draw['panel_index']} with u={draw['u']!r}"
        )
    if log["randomness"].get("committed_in_advance"):
        return f"seed {seed!r} draws panel {index}, u={u:.6f}"
    return f"seed {seed!r} draws panel {index}, u={u:.6f} (seed not committed in advance)"


def _selected_from_seed(log: dict[str, Any]) -> str:
    draw = log["draw"]
    panel = realize_record_panel(log["distribution"], int(draw["panel_index"]), float(draw["u"]))
    if panel != sorted(draw["selected"]):
        missing = sorted(set(panel) - set(draw["selected"]))
        extra = sorted(set(draw["selected"]) - set(panel))
        raise Failed(f"panel {draw['panel_index']} has {missing} where the log has {extra}")
    return f"the {len(panel)} selected ids are panel {draw['panel_index']} rotated by u"


def _completed_panel(log: dict[str, Any]) -> str:
    """A replacement log: remaining members plus replacements meet the original quotas."""
    block = log["replacement"]
    completed = sorted([*block["remaining"], *log["draw"]["selected"]])
    if completed != sorted(block["completed_panel"]):
        raise Failed("the completed panel is not the remaining members plus the replacements")
    if sorted(set(block["remaining"]) & set(block["dropouts"])):
        raise Failed("a dropout is listed among the remaining members")
    rows = {row[0]: row for row in [*block["remaining_members"], *log["pool"]["people"]]}
    features = log["pool"]["features"]
    for feature, value, low, high in block["original_rules"]["quotas"]:
        column = features.index(feature) + 1
        count = sum(1 for person in completed if rows[person][column] == value)
        if not low <= count <= high:
            raise Failed(
                f"the completed panel has {count} with {feature}={value}, not {low}..{high}"
            )
    return (
        f"{len(block['remaining'])} remaining + {len(log['draw']['selected'])} replacements meet "
        "every original quota"
    )
