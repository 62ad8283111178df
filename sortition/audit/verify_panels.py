"""Checks of panels and probabilities against the rules, shared by one-step selections
(`verify_seed`) and committed lotteries (`verify_lottery`): that a panel meets every quota and
household rule, that a logged distribution's panels do and that its marginals are the stated
probabilities, and that the selected panel's quota counts are as the log states.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sortition.audit.checks import Failed
from sortition.audit.log import quota_record, realize_record_panel
from sortition.distribution import PROBABILITY_TOLERANCE
from sortition.instance import Instance
from sortition.panel.rules import panel_problem as rules_problem


def panel_problem(instance: Instance, ids: list[str], position: dict[str, int]) -> str | None:
    """Why a panel of ids breaks the rules (`sortition.panel.rules.panel_problem`), or None if it
    meets every quota and household rule."""
    unknown = [person for person in ids if person not in position]
    if unknown:
        return f"id '{unknown[0]}' is not in the pool"
    panel = np.array(sorted(position[p] for p in ids), dtype=np.int64)
    return rules_problem(instance, panel)


def check_quota_counts(log: dict[str, Any], instance: Instance, position: dict[str, int]) -> str:
    panel = np.array(sorted(position[p] for p in log["draw"]["selected"]), dtype=np.int64)
    expected = quota_record(instance, panel)
    for stated, actual in zip(log["quotas"], expected, strict=True):
        if stated != actual:
            raise Failed(
                f"the log says {stated['selected']} selected with "
                f"{stated['feature']}={stated['value']} (quota {stated['min']}..{stated['max']}); "
                f"the panel has {actual['selected']} (quota {actual['min']}..{actual['max']})"
            )
    return f"the selected panel's counts for all {len(expected)} quotas are as stated"


def check_probabilities(stated: dict[str, Any], ids: tuple[str, ...], actual: np.ndarray) -> str:
    if sorted(stated) != sorted(ids):
        raise Failed("the stated probabilities do not list exactly the registrants of the pool")
    for person, value in zip(ids, actual.tolist(), strict=True):
        if abs(float(stated[person]) - value) > PROBABILITY_TOLERANCE:
            raise Failed(
                f"id '{person}': stated probability {stated[person]!r}, recomputed {value!r}"
            )
    return f"all {len(ids)} stated probabilities recomputed (sum {actual.sum():.6f})"


def check_distribution_panels(
    distribution: dict[str, Any], instance: Instance, position: dict[str, int]
) -> str:
    probabilities = [float(panel["probability"]) for panel in distribution["panels"]]
    if min(probabilities) < 0 or abs(sum(probabilities) - 1.0) > 1e-6:
        raise Failed("the panel probabilities are not a distribution (negative or sum not 1)")
    groups = distribution["groups"]
    for key, members in groups.items():
        rows = {
            (*instance.values[position[p]].tolist(), _factor(instance, position[p]))
            for p in members
        }
        housed = [p for p in members if instance.households[position[p]] >= 0]
        if len(rows) != 1 or housed:
            raise Failed(f"group {key} mixes people with different features or households")
    for number, panel in enumerate(distribution["panels"]):
        # any rotation gives the same feature counts, so one realization checks the composition
        problem = panel_problem(instance, realize_record_panel(distribution, number, 0.0), position)
        if problem is not None:
            raise Failed(f"panel {number} {problem}")
        for group, count in panel["groups"]:
            if not 0 < int(count) <= len(groups[str(group)]):
                raise Failed(f"panel {number} takes {count} from group {group}")
    return f"all {len(distribution['panels'])} panels of the distribution meet every quota"


def _factor(instance: Instance, person: int) -> float:
    return 1.0 if instance.factors is None else float(instance.factors[person])


def record_marginals(
    distribution: dict[str, Any], instance: Instance, position: dict[str, int]
) -> np.ndarray:
    marginals = np.zeros(instance.size)
    for panel in distribution["panels"]:
        p = float(panel["probability"])
        for person in panel["ids"]:
            marginals[position[person]] += p
        for group, count in panel["groups"]:
            members = distribution["groups"][str(group)]
            marginals[[position[m] for m in members]] += p * int(count) / len(members)
    return marginals
