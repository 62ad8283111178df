"""Checks of a draw from a lottery committed in advance (RFC 3797): that the lottery file is intact
and the one the log names, that every ticket meets the rules and the ticket shares are the stated
probabilities, that the public sources give the key and the key picks the ticket, that the
selected ids are that ticket, and (deep) that the lottery's distribution and certificate hold.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sortition.audit.canonical import record_hash
from sortition.audit.checks import Checks, Failed
from sortition.audit.log import fingerprint_matches
from sortition.audit.verify_certificate import check_certificate
from sortition.audit.verify_panels import (
    check_distribution_panels,
    check_fairness_floor,
    check_probabilities,
    check_quota_counts,
    panel_problem,
    record_marginals,
)
from sortition.distribution import PROBABILITY_TOLERANCE
from sortition.instance import Instance
from sortition.randomness import rfc3797_key, rfc3797_selection


def committed_checks(
    checks: Checks,
    log: dict[str, Any],
    lottery: dict[str, Any],
    instance: Instance,
    *,
    deep: bool,
    solver: str,
) -> None:
    """Run the checks of a draw from a committed lottery, in order, into `checks`."""
    position = {person: i for i, person in enumerate(instance.ids)}
    checks.run("lottery fingerprint", lambda: _lottery_fingerprint(log, lottery))
    checks.run("lottery and log agree", lambda: _same_inputs(log, lottery))
    checks.run(
        "every ticket meets the rules", lambda: _tickets_meet_rules(lottery, instance, position)
    )
    shares = checks.run("ticket shares", lambda: _ticket_shares(lottery, instance, position))
    if shares is not None:
        checks.run(
            "probabilities", lambda: check_probabilities(log["probabilities"], instance.ids, shares)
        )
    checks.run("key from sources", lambda: _key(log))
    checks.run("ticket from key", lambda: _ticket(log, lottery))
    checks.run("selected panel", lambda: _selected_ticket(log, lottery))
    checks.run("quota counts", lambda: check_quota_counts(log, instance, position))
    if "fairness_slack" in lottery["options"]:
        checks.run("fairness floor", lambda: _fairness_floor(lottery))
    if deep:
        checks.run(
            "optimal distribution",
            lambda: _optimal_distribution(lottery, instance, position),
        )
        targets = {person: entry["target"] for person, entry in lottery["probabilities"].items()}
        checks.run(
            "maximin certificate",
            lambda: check_certificate(lottery, instance, position, targets, solver),
        )
    else:
        checks.skip("maximin certificate", "pass --deep to re-check the fairness claim")


def _lottery_fingerprint(log: dict[str, Any], lottery: dict[str, Any]) -> str:
    if not fingerprint_matches(lottery):
        raise Failed("the lottery file's content does not hash to its fingerprint: it was edited")
    if lottery["fingerprint"] != log["lottery"]["fingerprint"]:
        raise Failed(
            f"the log was drawn from lottery {log['lottery']['fingerprint'][:16]}..., "
            f"this file is {lottery['fingerprint'][:16]}..."
        )
    return f"lottery {lottery['fingerprint'][:16]}... is intact and is the one the log names"


def _same_inputs(log: dict[str, Any], lottery: dict[str, Any]) -> str:
    for part in ("inputs", "pool", "rules"):
        if record_hash(log[part]) != record_hash(lottery[part]):
            raise Failed(f"the log's {part} differ from the lottery's")
    if len(lottery["tickets"]) != log["lottery"]["tickets"]:
        raise Failed("the log and the lottery disagree on the number of tickets")
    return "same pool, rules and input hashes"


def _tickets_meet_rules(
    lottery: dict[str, Any], instance: Instance, position: dict[str, int]
) -> str:
    tickets = lottery["tickets"]
    expected = [str(n) for n in range(1, len(tickets) + 1)]
    if list(tickets) != expected:
        raise Failed("the tickets are not numbered 1..M in order")
    for number, ids in tickets.items():
        problem = panel_problem(instance, list(ids), position)
        if problem is not None:
            raise Failed(f"ticket {number} {problem}")
    return f"all {len(tickets)} tickets meet every quota and household rule"


def _ticket_shares(
    lottery: dict[str, Any], instance: Instance, position: dict[str, int]
) -> tuple[str, np.ndarray]:
    counts = np.zeros(instance.size, dtype=np.int64)
    for ids in lottery["tickets"].values():
        counts[[position[p] for p in ids]] += 1
    stated = lottery["probabilities"]
    if sorted(stated) != sorted(instance.ids):
        raise Failed("the lottery's probabilities do not list exactly the registrants")
    deviation = 0.0
    num_tickets = len(lottery["tickets"])
    for person, count in zip(instance.ids, counts.tolist(), strict=True):
        if int(stated[person]["tickets"]) != count:
            raise Failed(
                f"id '{person}' is on {count} tickets; the lottery says {stated[person]['tickets']}"
            )
        deviation = max(deviation, abs(count / num_tickets - float(stated[person]["target"])))
    claimed = float(lottery["rounding"]["max_deviation"])
    if abs(deviation - claimed) > PROBABILITY_TOLERANCE:
        raise Failed(f"largest rounding deviation is {deviation!r}, the lottery says {claimed!r}")
    shares = counts / num_tickets
    return (
        f"ticket counts as stated; largest difference from the targets {deviation:.6f}",
        shares,
    )


def _fairness_floor(lottery: dict[str, Any]) -> str:
    """DIVERSIMAX's floor holds for the lottery's targets (its optimal distribution); the ticket
    shares differ from those by at most the stated rounding deviation (checked above)."""
    targets = {person: entry["target"] for person, entry in lottery["probabilities"].items()}
    message = check_fairness_floor(lottery, targets)
    deviation = float(lottery["rounding"]["max_deviation"])
    return f"{message} (targets; ticket shares within {deviation:.6f} of them)"


def _key(log: dict[str, Any]) -> str:
    randomness = log["randomness"]
    key = rfc3797_key([str(source) for source in randomness["sources"]])
    if key != randomness["key"]:
        raise Failed(f"the sources give key {key!r}; the log says {randomness['key']!r}")
    return f"key {key}"


def _ticket(log: dict[str, Any], lottery: dict[str, Any]) -> str:
    draw = log["draw"]
    reserves = list(draw["reserve_tickets"])
    picks = rfc3797_selection(
        str(log["randomness"]["key"]), len(lottery["tickets"]), 1 + len(reserves)
    )
    if picks != [draw["ticket"], *reserves]:
        raise Failed(
            f"the key picks ticket {picks[0]} (reserves {picks[1:]}); "
            f"the log says {draw['ticket']} (reserves {reserves})"
        )
    tickets = len(lottery["tickets"])
    if reserves:
        return f"the key picks ticket {picks[0]} of {tickets}, reserves {reserves}"
    return f"the key picks ticket {picks[0]} of {tickets}"


def _selected_ticket(log: dict[str, Any], lottery: dict[str, Any]) -> str:
    draw = log["draw"]
    ticket = sorted(lottery["tickets"][str(draw["ticket"])])
    if ticket != sorted(draw["selected"]):
        missing = sorted(set(ticket) - set(draw["selected"]))
        extra = sorted(set(draw["selected"]) - set(ticket))
        raise Failed(f"ticket {draw['ticket']} has {missing} where the log has {extra}")
    return f"the {len(ticket)} selected ids are ticket {draw['ticket']}"


def _optimal_distribution(
    lottery: dict[str, Any], instance: Instance, position: dict[str, int]
) -> str:
    distribution = lottery["distribution"]
    detail = check_distribution_panels(distribution, instance, position)
    targets = {person: entry["target"] for person, entry in lottery["probabilities"].items()}
    check_probabilities(targets, instance.ids, record_marginals(distribution, instance, position))
    return f"{detail}; its marginals are the target probabilities"
