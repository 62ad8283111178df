"""Checks of panels and probabilities against the rules, shared by one-step selections
(`verify_seed`) and committed lotteries (`verify_lottery`): that a panel meets every quota and
household rule, that a logged distribution's panels do and that its marginals are the stated
probabilities, that the selected panel's quota counts are as the log states, and that
DIVERSIMAX's fairness floor holds.
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


FLOOR_TOLERANCE = 1e-9  # probabilities are LP solutions, feasible to this precision


def check_fairness_floor(record: dict[str, Any], probabilities: dict[str, Any]) -> str:
    """DIVERSIMAX's claim: every registrant with a chance at all has at least the floor, which is
    (1 - fairness slack) x the recorded MAXIMIN lowest probability. Registrants at 0 are those
    the algorithm found on no quota-satisfying panel (the MAXIMIN minimum is over the others).

    `record` is a selection log or a lottery file (its "options" and "algorithm_details");
    `probabilities` maps ids to the probabilities the claim is about (the log's, the lottery's
    targets).
    """
    slack = float(record["options"]["fairness_slack"])
    details = record.get("algorithm_details") or {}
    if "probability_floor" not in details or "maximin_min_probability" not in details:
        raise Failed("the record gives a fairness slack but no probability floor")
    floor, lowest = float(details["probability_floor"]), float(details["maximin_min_probability"])
    if floor < (1.0 - slack) * lowest - FLOOR_TOLERANCE:
        raise Failed(f"the floor {floor:.9f} is below (1 - {slack:g}) x {lowest:.9f}")
    values = {person: float(p) for person, p in probabilities.items()}
    below = sorted(p for p, value in values.items() if 0 < value < floor - FLOOR_TOLERANCE)
    if below:
        raise Failed(
            f"{len(below)} registrants are below the floor {floor:.9f}, e.g. id '{below[0]}' "
            f"at {values[below[0]]:.9f}"
        )
    zero = sum(1 for value in values.values() if value == 0)
    return (
        f"every probability is at least {floor:.6f} = (1 - {slack:g}) x maximin minimum "
        f"{lowest:.6f}" + (f"; {zero} registrants on no panel at 0" if zero else "")
    )
