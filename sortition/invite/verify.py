"""Verifying an invitation log against the register: every claim recomputed and compared.

Owns `verify_invitations` and `InvitationCheck`. It reads the register again, recomputes the
allocation and the sample with the functions of `sortition.invite.draw` and the pseudonyms with
`sortition.inputs.privacy`, and reports each claim (fingerprint, randomness, register file,
allocation, invited ids) as passing or failing with what differs; it never stops at the first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from sortition.audit.log import fingerprint_matches, read_record
from sortition.errors import SortitionError
from sortition.inputs.privacy import pseudonym, register_key
from sortition.invite.draw import Stratum, allocate, sample
from sortition.invite.log import LOG_KIND, strata_record
from sortition.invite.register import read_register
from sortition.randomness import rfc3797_key
from sortition.text import listing, quoted


class InvitationCheck(NamedTuple):
    """One claim of an invitation log and whether the register bears it out."""

    check: str
    ok: bool
    detail: str


def verify_invitations(log_path: str | Path, register_path: str | Path) -> list[InvitationCheck]:
    """Recompute the allocation and the sample from the register and the log; compare each claim.

    Never stops at the first failure; a register that cannot be read fails the checks needing it.
    """
    log = read_record(log_path, LOG_KIND, check_fingerprint=False)
    checks = [
        InvitationCheck(
            "fingerprint",
            fingerprint_matches(log),
            "the log is as written"
            if fingerprint_matches(log)
            else "the log's content does not match its fingerprint: it was changed",
        )
    ]
    try:
        options = log["options"]
        randomness = log["randomness"]
        logged_strata = log["strata"]
        logged_invited = [str(person) for person in log["invited"]]
        logged_sha = log["inputs"]["register"]["sha256"]
        count = int(options["invitations"])
        id_column = str(options["id_column"])
        strata_columns = [str(c) for c in options["strata_columns"]]
        seed = str(randomness["seed"])
    except (KeyError, TypeError, ValueError) as error:
        checks.append(InvitationCheck("log", False, f"the log is malformed ({error})"))
        return checks

    checks.append(_randomness_check(randomness, seed))
    try:
        register = read_register(register_path, id_column=id_column, strata_columns=strata_columns)
    except SortitionError as error:
        detail = f"cannot read the register: {error}"
        for name in ("register file", "allocation", "invited ids"):
            checks.append(InvitationCheck(name, False, detail))
        return checks

    logged_population = log.get("population")
    same_file = register.sha256 == logged_sha
    checks.append(
        InvitationCheck(
            "register file",
            same_file,
            f"SHA-256 {register.sha256[:16]}... as logged"
            if same_file
            else f"SHA-256 {register.sha256[:16]}... but the log says {str(logged_sha)[:16]}...",
        )
    )
    if not 1 <= count <= register.population:
        detail = f"{count} invitations cannot be drawn from {register.population} residents"
        checks.append(InvitationCheck("allocation", False, detail))
        checks.append(InvitationCheck("invited ids", False, detail))
        return checks
    allocation = allocate(register.sizes.tolist(), count)
    strata = [
        Stratum(key, int(size), int(n))
        for key, size, n in zip(register.strata, register.sizes.tolist(), allocation, strict=True)
    ]
    expected_strata = strata_record(strata)
    allocated = False
    if logged_population != register.population:
        allocation_detail = (
            f"the register has {register.population} residents, the log says {logged_population}"
        )
    elif expected_strata != logged_strata:
        allocation_detail = _strata_difference_detail(expected_strata, logged_strata)
    else:
        allocated = True
        allocation_detail = (
            f"{len(strata)} strata, largest remainder of {count} over {register.population}"
        )
    checks.append(InvitationCheck("allocation", allocated, allocation_detail))
    invited = sorted(str(p) for p in register.ids[sample(register, allocation, seed)].tolist())
    hidden = options.get("id_pseudonyms")
    if hidden:  # the log lists pseudonyms: recompute them from the register
        key, length = register_key(register.data), int(hidden["length"])
        invited = sorted(pseudonym(key, person, length) for person in invited)
    if invited == logged_invited:
        detail = f"the {len(invited)} ids drawn from the seed are those logged"
    else:
        missing = sorted(set(invited) - set(logged_invited))
        extra = sorted(set(logged_invited) - set(invited))
        detail = (
            f"recomputed {len(invited)} ids, logged {len(logged_invited)}; "
            f"{len(missing)} drawn but not logged (first: {listing(missing[:3]) or 'none'}), "
            f"{len(extra)} logged but not drawn (first: {listing(extra[:3]) or 'none'})"
        )
    checks.append(InvitationCheck("invited ids", invited == logged_invited, detail))
    return checks


def _randomness_check(randomness: dict[str, Any], seed: str) -> InvitationCheck:
    if randomness.get("method") != "rfc3797":
        source = randomness.get("seed_source")
        detail = (
            f"seed {quoted(seed)} (given)"
            if source == "given"
            else f"seed {quoted(seed)} (generated)"
            if source == "generated"
            else f"seed {quoted(seed)} ({source})"
        )
        return InvitationCheck("randomness", True, detail)
    try:
        key = rfc3797_key([str(source) for source in randomness.get("sources") or []])
    except SortitionError as error:
        return InvitationCheck("randomness", False, f"the logged sources are unusable: {error}")
    ok = key == randomness.get("key") == seed
    detail = (
        f"RFC 3797 key {quoted(key)} of the sources is the seed"
        if ok
        else f"the sources give the key {quoted(key)}, but the log has key "
        f"{quoted(str(randomness.get('key')))} and seed {quoted(seed)}"
    )
    return InvitationCheck("randomness", ok, detail)


def _strata_difference_detail(expected: list[dict[str, Any]], logged: Any) -> str:
    if not isinstance(logged, list):
        return f"the register has {len(expected)} strata, the log no list of them"
    if len(logged) != len(expected):
        return f"the register has {len(expected)} strata, the log {len(logged)}"
    for mine, theirs in zip(expected, logged, strict=True):
        if mine != theirs:
            return f"recomputed {mine}, logged {theirs}"
    return "the strata differ"
