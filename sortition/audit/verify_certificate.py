"""The deep check of the fairness claim: from the certificate's weights, solve for the heaviest
panel that meets the rules; if no panel weighs more than the lowest probability (within the
stated gap), no distribution could have given everyone more. Used by both kinds of draw.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sortition.audit.checks import Failed
from sortition.instance import Instance
from sortition.numeric import inner
from sortition.panel.model import PanelModel

CERTIFICATE_TOLERANCE = 1e-6


def check_certificate(
    record: dict[str, Any],
    instance: Instance,
    position: dict[str, int],
    probabilities: dict[str, Any],
    solver: str,
) -> str:
    certificate = record.get("certificate")
    if certificate is None:
        algorithm = record["options"]["algorithm"]
        return f"not applicable: {algorithm} makes no optimality claim"
    weights = np.zeros(instance.size)
    for person, weight in certificate["weights"]:
        if float(weight) < 0:
            raise Failed(f"certificate weight of id '{person}' is negative")
        weights[position[person]] = float(weight)
    factors = np.ones(instance.size) if instance.factors is None else instance.factors
    total = inner(weights, factors)
    if total <= 0:
        raise Failed("the certificate weights are all zero")
    weights /= total
    groups = instance.groups
    # within a group the best panel would take the heaviest members: their weight is an upper bound
    group_weights = np.array([weights[members].max() for members in groups.members])
    composition = PanelModel(instance, solver=solver).best(group_weights)
    if composition is None:
        raise Failed("no panel meets the rules")
    bound = inner(group_weights, composition)
    lowest = min(
        float(probabilities[person]) / factors[position[person]] for person in probabilities
    )
    gap = float(certificate.get("gap") or 0.0)  # the optimality gap the run was asked for
    if not 0.0 <= gap < 1.0:
        raise Failed(f"the certificate's gap {gap:g} is not between 0 and 1")
    stopped = record["distribution"].get("stopped_at_time_limit")
    if stopped is not None:  # the time limit stopped the run: the gap is the one it reached
        if gap != float(record["distribution"].get("within_gap") or 0.0):
            raise Failed("the certificate's gap differs from the distribution's stated gap")
    elif gap != float(record["options"].get("gap") or 0.0):
        raise Failed("the certificate's gap differs from the gap in the logged options")
    if bound * (1.0 - gap) > lowest + CERTIFICATE_TOLERANCE:
        raise Failed(
            f"a panel of weight {bound:.9f} exists, so the lowest probability {lowest:.9f} "
            f"may not be the best possible within the stated gap {gap:g}"
            if gap
            else f"a panel of weight {bound:.9f} exists, so the lowest probability {lowest:.9f} "
            "may not be the best possible"
        )
    tolerance = f"{CERTIFICATE_TOLERANCE:g}"
    if gap and stopped is not None:
        return (
            f"no quota-satisfying panel has weight above {bound:.9f}: the lowest probability "
            f"{lowest:.9f} is within the stated gap {gap:g} reached before the time limit of "
            f"the best possible (+{tolerance})"
        )
    if gap:
        return (
            f"no quota-satisfying panel has weight above {bound:.9f}: the lowest probability "
            f"{lowest:.9f} is within the stated gap {gap:g} of the best possible (+{tolerance})"
        )
    return (
        f"no quota-satisfying panel has weight above {bound:.9f}: no distribution can give "
        f"everyone more than the lowest probability {lowest:.9f} (+{CERTIFICATE_TOLERANCE:g})"
    )
