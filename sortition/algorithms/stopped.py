"""What MAXIMIN and LEXIMIN still offer when the time limit stops them: the master's last LP
solution, labelled with how far its lowest probability provably is from the best.

Every column of the master is a quota-satisfying panel, so the last solved LP is a valid
distribution at any moment. What it lacks is a proof of fairness; the stage's best Lagrangian
bound gives one: no distribution lifts everyone above the bound, so the lowest probability is
within 1 - lowest / bound of the best possible. The log records that gap with the dual weights,
and `verify --deep` re-checks it exactly as for `--gap` runs. Nothing is returned when no LP was
solved yet or the lowest probability is 0 while something better may exist: then the time
limit is an error, as before.
"""

from __future__ import annotations

import math

import numpy as np

from sortition.algorithms.master import MasterLP
from sortition.algorithms.support import never_selected_duals
from sortition.distribution import STOPPED_LOWEST, Distribution
from sortition.errors import TimeLimitReached
from sortition.instance import Instance

GAP_DIGITS = 6  # the reported gap is rounded up to this many decimals (never understated)


def stopped_distribution(
    instance: Instance,
    master: MasterLP,
    algorithm: str,
    stop: TimeLimitReached,
    weights: np.ndarray,
    *,
    bound: float | None,
    gap: float | None,
    stage: int,
    details: dict[str, object],
) -> Distribution:
    """The master's last LP solution as a Distribution stopped at the time limit in `stage`.

    `weights` (group duals, not yet divided by group sizes) certify the lowest probability:
    either with `bound`, an upper bound on the best lowest probability they prove (the gap is
    then measured here), or, when the first stage had finished before the stop, with that
    stage's own `gap` (None: exact). Re-raises `stop` when there is nothing certified to offer.
    """
    q = master.last_probabilities()
    if q is None:
        raise stop
    keep = np.flatnonzero(q > 0)
    compositions = np.array([master.compositions[c] for c in keep.tolist()], dtype=np.int64)
    distribution = Distribution(instance, compositions, q[keep], algorithm, True, {})
    lowest = float((distribution.group_marginals() / instance.group_factors).min())
    if bound is not None:
        if bound > 0 and lowest <= 0:
            raise stop  # a lowest probability of 0 where more may be possible proves nothing
        gap = rounded_up_gap(1.0 - lowest / bound) if bound > lowest else None
    if gap is not None and gap >= 1.0:
        raise stop
    record = stopped_record(stage, gap, STOPPED_LOWEST)
    return Distribution(
        instance,
        compositions,
        q[keep],
        algorithm,
        True,
        {
            **details,
            "gap": gap,
            "stopped_at_time_limit": record,
            "certificate_weights": (weights / master.sizes).tolist(),
        },
    )


def stopped_in_first_stage(
    instance: Instance,
    master: MasterLP,
    algorithm: str,
    stop: TimeLimitReached,
    reachable: np.ndarray,
    details: dict[str, object],
    certificate: tuple[np.ndarray, float] | None = None,
) -> Distribution:
    """`stopped_distribution` for a stop before the lowest probability was certified: people on
    no panel prove it 0; otherwise `certificate` (weights, bound) or the stage's own best bound
    proves the gap. Re-raises `stop` when neither exists."""
    if not reachable.all():
        certificate = (never_selected_duals(reachable), 0.0)
    elif certificate is None:
        certificate = master.stage_certificate()
    if certificate is None:
        raise stop
    weights, bound = certificate
    return stopped_distribution(
        instance, master, algorithm, stop, weights, bound=bound, gap=None, stage=1,
        details=details,
    )  # fmt: skip


def stopped_record(stage: int, gap: float | None, of: str) -> dict[str, object]:
    """What the log's distribution says of a run the time limit stopped: the stage it stopped in,
    the stages done before, and the gap reached by what (`of`: "lowest probability" for MAXIMIN
    and LEXIMIN, "objective" for NASH and GOLDILOCKS)."""
    return {"stage": stage, "stages_done": stage - 1, "gap": 0.0 if gap is None else gap, "of": of}


def rounded_up_gap(gap: float) -> float | None:
    """A gap reached, rounded up to `GAP_DIGITS` decimals (never understated); None when it is
    0 there."""
    scale = 10**GAP_DIGITS
    rounded = math.ceil(max(gap, 0.0) * scale) / scale
    return rounded if rounded > 0 else None
