"""Re-check a published draw without trusting whoever ran it.

`verify` recomputes, from the selection log (and the lottery file and input files if given), each
claim the log makes: input hashes, that every panel that could have been drawn meets every quota
and household rule, that the stated probabilities are those panels' shares, that the random
numbers lead to this panel, and (deep) that no distribution could have given everyone more.
Every file of the result set found beside the log is checked against the SHA-256 the log records
(`sortition.audit.verify_files`), so a file changed after the draw is named. Every check passes,
fails with what differs, or is skipped with the reason.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sortition.audit.canonical import instance_from_records, pool_record, record_hash, rules_record
from sortition.audit.log import fingerprint_matches, quota_record, read_record, realize_record_panel
from sortition.audit.verify_files import file_checks
from sortition.errors import SortitionError, UsageError
from sortition.inputs.build import build_instance
from sortition.inputs.history import without
from sortition.inputs.pool import read_pool
from sortition.inputs.privacy import pseudonymize_as_recorded
from sortition.inputs.quotas import read_quotas
from sortition.instance import Instance
from sortition.invite import verify_invitations
from sortition.panel.model import PanelModel
from sortition.process.publish import LOTTERY_KIND
from sortition.randomness import pick_index, rfc3797_key, rfc3797_selection, streams_from_seed

PASS, FAIL, SKIP = "pass", "fail", "skip"
PROBABILITY_TOLERANCE = 1e-9
CERTIFICATE_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Check:
    """One claim of the log, and whether it holds."""

    name: str
    status: str  # PASS, FAIL or SKIP
    detail: str


@dataclass(frozen=True)
class VerifyRequest:
    log_path: str
    lottery_path: str | None = None
    pool_path: str | None = None
    quota_path: str | None = None
    deep: bool = False
    solver: str = "highs"


@dataclass(frozen=True)
class VerificationReport:
    request: VerifyRequest
    committed: bool  # True for a draw from a lottery published in advance
    checks: tuple[Check, ...]

    @property
    def passed(self) -> bool:
        return all(check.status != FAIL for check in self.checks)

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if check.status == FAIL)


class _Failed(Exception):
    """Raised inside a check function to fail it with a message."""


def verify_invitation_log(request: VerifyRequest, register_path: str | None) -> VerificationReport:
    """Re-check an invitation lottery (stage one) against its register."""
    if register_path is None:
        raise UsageError(
            "this is an invitation log; its draw is checked against the register",
            hint="pass --register with the register file the invitations were drawn from",
        )
    checks = tuple(
        Check(check, PASS if ok else FAIL, detail)
        for check, ok, detail in verify_invitations(request.log_path, register_path)
    )
    return VerificationReport(request, False, checks)


def log_kind(path: str) -> str:
    """The 'kind' of a JSON record file (selection-log, invitation-log, ...), '' if unknown."""
    try:
        record = json.loads(Path(path).read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return ""
    return str(record.get("kind", "")) if isinstance(record, dict) else ""


def verify(request: VerifyRequest) -> VerificationReport:
    """Run every check that the given files allow; never stops at the first failure."""
    if (request.pool_path is None) != (request.quota_path is None):
        raise UsageError(
            "--pool and --quotas go together",
            hint="pass both input files to check them against the log, or neither",
        )
    log = read_record(request.log_path, "selection-log", check_fingerprint=False)
    randomness = log.get("randomness") or {}
    committed = randomness.get("method") == "rfc3797"
    lottery: dict[str, Any] | None = None
    if request.lottery_path is not None:
        lottery = read_record(request.lottery_path, LOTTERY_KIND, check_fingerprint=False)
    elif committed:
        raise UsageError(
            "this log comes from a committed lottery; its tickets are in the lottery file",
            hint="pass --lottery with the published lottery file",
        )
    checks = _Checks()
    checks.run("log fingerprint", lambda: _fingerprint(log, "log"))
    for row in file_checks(log, request.log_path):
        checks.add(Check(*row))
    checks.run("published pool and rules", lambda: _record_hashes(log))
    if "replacement" in log and request.pool_path is not None:
        checks.skip(
            "input files",
            "a replacement log publishes only the eligible registrants; check the original "
            "draw's log against the input files",
        )
    elif request.pool_path is not None and request.quota_path is not None:
        pool_path, quota_path = request.pool_path, request.quota_path
        checks.run("input files", lambda: _input_files(log, pool_path, quota_path))
    else:
        checks.skip("input files", "pass --pool and --quotas to compare the original files")
    instance = checks.run("pool and rules readable", lambda: _instance(log))
    if instance is None:
        return VerificationReport(request, committed, checks.done())
    if committed:
        assert lottery is not None
        _committed_checks(checks, log, lottery, instance, request)
    else:
        if lottery is not None:
            checks.skip("lottery", "this log is a one-step selection; the lottery is not used")
        _seed_checks(checks, log, instance, request)
    return VerificationReport(request, committed, checks.done())


class _Checks:
    """Collects check results; a check function returns its detail or raises _Failed."""

    def __init__(self) -> None:
        self._checks: list[Check] = []

    def run(self, name: str, function: Callable[[], Any]) -> Any:
        try:
            result = function()
        except _Failed as failure:
            self._checks.append(Check(name, FAIL, str(failure)))
            return None
        except (KeyError, TypeError, ValueError, IndexError, SortitionError) as error:
            self._checks.append(Check(name, FAIL, f"malformed or inconsistent record: {error}"))
            return None
        if isinstance(result, tuple):
            detail, value = result
        else:
            detail, value = result, True
        self._checks.append(Check(name, PASS, detail))
        return value

    def add(self, check: Check) -> None:
        self._checks.append(check)

    def skip(self, name: str, reason: str) -> None:
        self._checks.append(Check(name, SKIP, reason))

    def done(self) -> tuple[Check, ...]:
        return tuple(self._checks)


# ---------------------------------------------------------------------------------------------
# Checks shared by both paths


def _fingerprint(record: dict[str, Any], what: str) -> str:
    if not fingerprint_matches(record):
        raise _Failed(f"the {what}'s content does not hash to its fingerprint: it was edited")
    return f"{what} content hashes to {str(record['fingerprint'])[:16]}..."


def _record_hashes(log: dict[str, Any]) -> str:
    inputs = log["inputs"]
    if record_hash(log["pool"]) != inputs["pool_record_sha256"]:
        raise _Failed("the published pool does not hash to pool_record_sha256")
    if record_hash(log["rules"]) != inputs["rules_record_sha256"]:
        raise _Failed("the published rules do not hash to rules_record_sha256")
    people = len(log["pool"]["people"])
    return f"{people} registrants and {len(log['rules']['quotas'])} quotas hash as stated"


def _input_files(log: dict[str, Any], pool_path: str, quota_path: str) -> str:
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
        raise _Failed(f"pool file: {_first_pool_difference(pool, log['pool'])}")
    if record_hash(rules) != log["inputs"]["rules_record_sha256"]:
        raise _Failed(f"quota file: {_first_rules_difference(rules, log['rules'])}")
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


def _instance(log: dict[str, Any]) -> tuple[str, Instance]:
    instance = instance_from_records(log["pool"], log["rules"])
    detail = (
        f"{instance.size} registrants, {len(instance.features)} features, k={instance.panel_size}"
    )
    return detail, instance


def _panel_problem(instance: Instance, ids: list[str], position: dict[str, int]) -> str | None:
    """Why a panel of ids breaks the rules, or None if it meets every quota and household rule."""
    unknown = [person for person in ids if person not in position]
    if unknown:
        return f"id '{unknown[0]}' is not in the pool"
    panel = np.array(sorted(position[p] for p in ids), dtype=np.int64)
    if len(set(ids)) != len(ids):
        return "lists someone twice"
    if len(panel) != instance.panel_size:
        return f"has {len(panel)} members, not {instance.panel_size}"
    for f, feature in enumerate(instance.features):
        counts = instance.panel_counts(panel, f)
        for v, quota in enumerate(feature.quotas):
            if not quota.min <= counts[v] <= quota.max:
                return (
                    f"has {counts[v]} with {feature.name}={feature.values[v]}, "
                    f"outside the quota {quota.min}..{quota.max}"
                )
    labels = instance.households[panel]
    labels = labels[labels >= 0]
    if len(np.unique(labels)) != len(labels):
        return "has two members of one household"
    return None


def _quota_counts(log: dict[str, Any], instance: Instance, position: dict[str, int]) -> str:
    panel = np.array(sorted(position[p] for p in log["draw"]["selected"]), dtype=np.int64)
    expected = quota_record(instance, panel)
    for stated, actual in zip(log["quotas"], expected, strict=True):
        if stated != actual:
            raise _Failed(
                f"the log says {stated['selected']} selected with "
                f"{stated['feature']}={stated['value']} (quota {stated['min']}..{stated['max']}); "
                f"the panel has {actual['selected']} (quota {actual['min']}..{actual['max']})"
            )
    return f"the selected panel's counts for all {len(expected)} quotas are as stated"


def _probabilities(stated: dict[str, Any], ids: tuple[str, ...], actual: np.ndarray) -> str:
    if sorted(stated) != sorted(ids):
        raise _Failed("the stated probabilities do not list exactly the registrants of the pool")
    for person, value in zip(ids, actual.tolist(), strict=True):
        if abs(float(stated[person]) - value) > PROBABILITY_TOLERANCE:
            raise _Failed(
                f"id '{person}': stated probability {stated[person]!r}, recomputed {value!r}"
            )
    return f"all {len(ids)} stated probabilities recomputed (sum {actual.sum():.6f})"


# ---------------------------------------------------------------------------------------------
# One-step selections (seed)


def _seed_checks(
    checks: _Checks, log: dict[str, Any], instance: Instance, request: VerifyRequest
) -> None:
    position = {person: i for i, person in enumerate(instance.ids)}
    distribution = log["distribution"]
    checks.run(
        "every panel meets the rules",
        lambda: _distribution_panels(distribution, instance, position),
    )
    checks.run(
        "probabilities",
        lambda: _probabilities(
            log["probabilities"], instance.ids, _record_marginals(distribution, instance, position)
        ),
    )
    checks.run("seed gives the panel", lambda: _seed_draw(log))
    checks.run("selected panel", lambda: _selected_from_seed(log))
    checks.run("quota counts", lambda: _quota_counts(log, instance, position))
    if "replacement" in log:
        checks.run("completed panel", lambda: _completed_panel(log))
    if request.deep:
        checks.run(
            "maximin certificate",
            lambda: _certificate(log, instance, position, log["probabilities"], request.solver),
        )
    else:
        checks.skip("maximin certificate", "pass --deep to re-check the fairness claim")


def _distribution_panels(
    distribution: dict[str, Any], instance: Instance, position: dict[str, int]
) -> str:
    probabilities = [float(panel["probability"]) for panel in distribution["panels"]]
    if min(probabilities) < 0 or abs(sum(probabilities) - 1.0) > 1e-6:
        raise _Failed("the panel probabilities are not a distribution (negative or sum not 1)")
    groups = distribution["groups"]
    for key, members in groups.items():
        rows = {
            (*instance.values[position[p]].tolist(), _factor(instance, position[p]))
            for p in members
        }
        housed = [p for p in members if instance.households[position[p]] >= 0]
        if len(rows) != 1 or housed:
            raise _Failed(f"group {key} mixes people with different features or households")
    for number, panel in enumerate(distribution["panels"]):
        # any rotation gives the same feature counts, so one realization checks the composition
        problem = _panel_problem(
            instance, realize_record_panel(distribution, number, 0.0), position
        )
        if problem is not None:
            raise _Failed(f"panel {number} {problem}")
        for group, count in panel["groups"]:
            if not 0 < int(count) <= len(groups[str(group)]):
                raise _Failed(f"panel {number} takes {count} from group {group}")
    return f"all {len(distribution['panels'])} panels of the distribution meet every quota"


def _factor(instance: Instance, person: int) -> float:
    return 1.0 if instance.factors is None else float(instance.factors[person])


def _record_marginals(
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


def _seed_draw(log: dict[str, Any]) -> str:
    seed = str(log["randomness"]["seed"])
    probabilities = [float(panel["probability"]) for panel in log["distribution"]["panels"]]
    index, u = pick_index(probabilities, streams_from_seed(seed).draw)
    draw = log["draw"]
    if index != draw["panel_index"] or u != draw["u"]:
        raise _Failed(
            f"seed {seed!r} gives panel {index} with u={u!r}; "
            f"the log says panel {draw['panel_index']} with u={draw['u']!r}"
        )
    note = (
        "" if log["randomness"].get("committed_in_advance") else " (seed not committed in advance)"
    )
    return f"seed {seed!r} draws panel {index}, u={u:.6f}{note}"


def _selected_from_seed(log: dict[str, Any]) -> str:
    draw = log["draw"]
    panel = realize_record_panel(log["distribution"], int(draw["panel_index"]), float(draw["u"]))
    if panel != sorted(draw["selected"]):
        missing = sorted(set(panel) - set(draw["selected"]))
        extra = sorted(set(draw["selected"]) - set(panel))
        raise _Failed(f"panel {draw['panel_index']} has {missing} where the log has {extra}")
    return f"the {len(panel)} selected ids are panel {draw['panel_index']} rotated by u"


def _completed_panel(log: dict[str, Any]) -> str:
    """A replacement log: remaining members plus replacements meet the original quotas."""
    block = log["replacement"]
    completed = sorted([*block["remaining"], *log["draw"]["selected"]])
    if completed != sorted(block["completed_panel"]):
        raise _Failed("the completed panel is not the remaining members plus the replacements")
    if sorted(set(block["remaining"]) & set(block["dropouts"])):
        raise _Failed("a dropout is listed among the remaining members")
    rows = {row[0]: row for row in [*block["remaining_members"], *log["pool"]["people"]]}
    features = log["pool"]["features"]
    for feature, value, low, high in block["original_rules"]["quotas"]:
        column = features.index(feature) + 1
        count = sum(1 for person in completed if rows[person][column] == value)
        if not low <= count <= high:
            raise _Failed(
                f"the completed panel has {count} with {feature}={value}, not {low}..{high}"
            )
    return (
        f"{len(block['remaining'])} remaining + {len(log['draw']['selected'])} replacements meet "
        "every original quota"
    )


# ---------------------------------------------------------------------------------------------
# Draws from a committed lottery (RFC 3797)


def _committed_checks(
    checks: _Checks,
    log: dict[str, Any],
    lottery: dict[str, Any],
    instance: Instance,
    request: VerifyRequest,
) -> None:
    position = {person: i for i, person in enumerate(instance.ids)}
    checks.run("lottery fingerprint", lambda: _lottery_fingerprint(log, lottery))
    checks.run("lottery and log agree", lambda: _same_inputs(log, lottery))
    checks.run(
        "every ticket meets the rules", lambda: _tickets_meet_rules(lottery, instance, position)
    )
    shares = checks.run("ticket shares", lambda: _ticket_shares(lottery, instance, position))
    if shares is not None:
        checks.run(
            "probabilities", lambda: _probabilities(log["probabilities"], instance.ids, shares)
        )
    checks.run("key from sources", lambda: _key(log))
    checks.run("ticket from key", lambda: _ticket(log, lottery))
    checks.run("selected panel", lambda: _selected_ticket(log, lottery))
    checks.run("quota counts", lambda: _quota_counts(log, instance, position))
    if request.deep:
        checks.run(
            "optimal distribution",
            lambda: _optimal_distribution(lottery, instance, position),
        )
        targets = {person: entry["target"] for person, entry in lottery["probabilities"].items()}
        checks.run(
            "maximin certificate",
            lambda: _certificate(lottery, instance, position, targets, request.solver),
        )
    else:
        checks.skip("maximin certificate", "pass --deep to re-check the fairness claim")


def _lottery_fingerprint(log: dict[str, Any], lottery: dict[str, Any]) -> str:
    if not fingerprint_matches(lottery):
        raise _Failed("the lottery file's content does not hash to its fingerprint: it was edited")
    if lottery["fingerprint"] != log["lottery"]["fingerprint"]:
        raise _Failed(
            f"the log was drawn from lottery {log['lottery']['fingerprint'][:16]}..., "
            f"this file is {lottery['fingerprint'][:16]}..."
        )
    return f"lottery {lottery['fingerprint'][:16]}... is intact and is the one the log names"


def _same_inputs(log: dict[str, Any], lottery: dict[str, Any]) -> str:
    for part in ("inputs", "pool", "rules"):
        if record_hash(log[part]) != record_hash(lottery[part]):
            raise _Failed(f"the log's {part} differ from the lottery's")
    if len(lottery["tickets"]) != log["lottery"]["tickets"]:
        raise _Failed("the log and the lottery disagree on the number of tickets")
    return "same pool, rules and input hashes"


def _tickets_meet_rules(
    lottery: dict[str, Any], instance: Instance, position: dict[str, int]
) -> str:
    tickets = lottery["tickets"]
    expected = [str(n) for n in range(1, len(tickets) + 1)]
    if list(tickets) != expected:
        raise _Failed("the tickets are not numbered 1..M in order")
    for number, ids in tickets.items():
        problem = _panel_problem(instance, list(ids), position)
        if problem is not None:
            raise _Failed(f"ticket {number} {problem}")
    return f"all {len(tickets)} tickets meet every quota and household rule"


def _ticket_shares(
    lottery: dict[str, Any], instance: Instance, position: dict[str, int]
) -> tuple[str, np.ndarray]:
    counts = np.zeros(instance.size, dtype=np.int64)
    for ids in lottery["tickets"].values():
        counts[[position[p] for p in ids]] += 1
    stated = lottery["probabilities"]
    if sorted(stated) != sorted(instance.ids):
        raise _Failed("the lottery's probabilities do not list exactly the registrants")
    deviation = 0.0
    num_tickets = len(lottery["tickets"])
    for person, count in zip(instance.ids, counts.tolist(), strict=True):
        if int(stated[person]["tickets"]) != count:
            raise _Failed(
                f"id '{person}' is on {count} tickets; the lottery says {stated[person]['tickets']}"
            )
        deviation = max(deviation, abs(count / num_tickets - float(stated[person]["target"])))
    claimed = float(lottery["rounding"]["max_deviation"])
    if abs(deviation - claimed) > PROBABILITY_TOLERANCE:
        raise _Failed(f"largest rounding deviation is {deviation!r}, the lottery says {claimed!r}")
    shares = counts / num_tickets
    return (
        f"ticket counts as stated; largest difference from the targets {deviation:.6f}",
        shares,
    )


def _key(log: dict[str, Any]) -> str:
    randomness = log["randomness"]
    key = rfc3797_key([str(source) for source in randomness["sources"]])
    if key != randomness["key"]:
        raise _Failed(f"the sources give key {key!r}; the log says {randomness['key']!r}")
    return f"key {key}"


def _ticket(log: dict[str, Any], lottery: dict[str, Any]) -> str:
    draw = log["draw"]
    reserves = list(draw["reserve_tickets"])
    picks = rfc3797_selection(
        str(log["randomness"]["key"]), len(lottery["tickets"]), 1 + len(reserves)
    )
    if picks != [draw["ticket"], *reserves]:
        raise _Failed(
            f"the key picks ticket {picks[0]} (reserves {picks[1:]}); "
            f"the log says {draw['ticket']} (reserves {reserves})"
        )
    more = f", reserves {reserves}" if reserves else ""
    return f"the key picks ticket {picks[0]} of {len(lottery['tickets'])}{more}"


def _selected_ticket(log: dict[str, Any], lottery: dict[str, Any]) -> str:
    draw = log["draw"]
    ticket = sorted(lottery["tickets"][str(draw["ticket"])])
    if ticket != sorted(draw["selected"]):
        missing = sorted(set(ticket) - set(draw["selected"]))
        extra = sorted(set(draw["selected"]) - set(ticket))
        raise _Failed(f"ticket {draw['ticket']} has {missing} where the log has {extra}")
    return f"the {len(ticket)} selected ids are ticket {draw['ticket']}"


def _optimal_distribution(
    lottery: dict[str, Any], instance: Instance, position: dict[str, int]
) -> str:
    distribution = lottery["distribution"]
    detail = _distribution_panels(distribution, instance, position)
    targets = {person: entry["target"] for person, entry in lottery["probabilities"].items()}
    _probabilities(targets, instance.ids, _record_marginals(distribution, instance, position))
    return f"{detail}; its marginals are the target probabilities"


# ---------------------------------------------------------------------------------------------
# The fairness certificate (deep)


def _certificate(
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
            raise _Failed(f"certificate weight of id '{person}' is negative")
        weights[position[person]] = float(weight)
    factors = np.ones(instance.size) if instance.factors is None else instance.factors
    total = float(weights @ factors)
    if total <= 0:
        raise _Failed("the certificate weights are all zero")
    weights /= total
    groups = instance.groups
    # within a group the best panel would take the heaviest members: their weight is an upper bound
    group_weights = np.array([weights[members].max() for members in groups.members])
    composition = PanelModel(instance, solver=solver).best(group_weights)
    if composition is None:
        raise _Failed("no panel meets the rules")
    bound = float(group_weights @ composition)
    lowest = min(
        float(probabilities[person]) / factors[position[person]] for person in probabilities
    )
    gap = float(certificate.get("gap") or 0.0)  # the optimality gap the run was asked for
    if not 0.0 <= gap < 1.0:
        raise _Failed(f"the certificate's gap {gap:g} is not between 0 and 1")
    stopped = record["distribution"].get("stopped_at_time_limit")
    if stopped is not None:  # the time limit stopped the run: the gap is the one it reached
        if gap != float(record["distribution"].get("within_gap") or 0.0):
            raise _Failed("the certificate's gap differs from the distribution's stated gap")
    elif gap != float(record["options"].get("gap") or 0.0):
        raise _Failed("the certificate's gap differs from the gap in the logged options")
    if bound * (1.0 - gap) > lowest + CERTIFICATE_TOLERANCE:
        within = f" within the stated gap {gap:g}" if gap else ""
        raise _Failed(
            f"a panel of weight {bound:.9f} exists, so the lowest probability {lowest:.9f} "
            f"may not be the best possible{within}"
        )
    if gap:
        reason = " reached before the time limit" if stopped is not None else ""
        return (
            f"no quota-satisfying panel has weight above {bound:.9f}: the lowest probability "
            f"{lowest:.9f} is within the stated gap {gap:g}{reason} of the best possible "
            f"(+{CERTIFICATE_TOLERANCE:g})"
        )
    return (
        f"no quota-satisfying panel has weight above {bound:.9f}: no distribution can give "
        f"everyone more than the lowest probability {lowest:.9f} (+{CERTIFICATE_TOLERANCE:g})"
    )
