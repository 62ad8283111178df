"""Re-check a published draw without trusting whoever ran it.

`verify` recomputes, from the selection log (and the lottery file and input files if given), each
claim the log makes: input hashes, that every panel that could have been drawn meets every quota
and household rule, that the stated probabilities are those panels' shares, that the random
numbers lead to this panel, and (deep) that no distribution could have given everyone more.
Every file of the result set found beside the log is checked against the SHA-256 the log records
(`sortition.audit.verify_files`), so a file changed after the draw is named. Every check passes,
fails with what differs, or is skipped with the reason.

This module owns the request and report types and the order of the checks; the checks themselves
are in `verify_inputs` (log records and input files), `verify_panels` (panels and probabilities
against the rules), `verify_seed` (one-step selections), `verify_lottery` (committed lotteries)
and `verify_certificate` (the deep fairness check), over the `Check` types of `checks`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sortition.audit.checks import FAIL, PASS, Check, Checks
from sortition.audit.log import INVITATION_LOG_KIND, LOTTERY_KIND, SELECTION_LOG_KIND, read_record
from sortition.audit.verify_files import file_checks
from sortition.audit.verify_inputs import (
    check_input_files,
    check_log_fingerprint,
    check_record_hashes,
    rebuild_instance,
)
from sortition.audit.verify_lottery import committed_checks
from sortition.audit.verify_replacement import check_replacement_origin
from sortition.audit.verify_seed import seed_checks
from sortition.errors import UsageError
from sortition.invite import verify_invitations


@dataclass(frozen=True)
class VerifyRequest:
    log_path: str
    lottery_path: str | None = None
    pool_path: str | None = None
    quota_path: str | None = None
    deep: bool = False
    solver: str = "highs"
    original_path: str | None = None  # for a replacement log: the original draw's log
    after_path: str | None = None  # for a later wave: the log of the replacement before it


@dataclass(frozen=True)
class VerificationReport:
    request: VerifyRequest
    committed: bool  # True for a draw from a lottery published in advance
    checks: tuple[Check, ...]
    log_kind: str = SELECTION_LOG_KIND  # the record verified (an invitation log, or a draw's)

    @property
    def passed(self) -> bool:
        return all(check.status != FAIL for check in self.checks)

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if check.status == FAIL)


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
    return VerificationReport(request, False, checks, INVITATION_LOG_KIND)


def verify_any(request: VerifyRequest, register_path: str | None = None) -> VerificationReport:
    """Verify whatever the log records: an invitation lottery against its register
    (`verify_invitation_log`), else a panel draw (`verify`)."""
    if log_kind(request.log_path) == INVITATION_LOG_KIND:
        return verify_invitation_log(request, register_path)
    return verify(request)


def verify_waves(original_path: str, wave_paths: Sequence[str]) -> Iterator[VerificationReport]:
    """Verify each wave of replacements of one draw in order: its own log, and its eligible
    registrants and shifted quotas re-derived from the draw's log and the wave before."""
    before: str | None = None
    for path in wave_paths:
        yield verify(VerifyRequest(path, original_path=original_path, after_path=before))
        before = path


def _replacement_origin(checks: Checks, log: dict[str, Any], request: VerifyRequest) -> None:
    """For a replacement log: re-derive who was eligible and the shifted quotas from the original
    draw's log (`verify_replacement`); for any other log, refuse --original and --after."""
    if "replacement" not in log:
        if request.original_path is not None or request.after_path is not None:
            raise UsageError(
                "--original and --after are for a replacement's log; this log is a draw's",
                hint="leave them out, or pass the replacement's selection-log.json",
            )
        return
    if request.original_path is None:
        if request.after_path is not None:
            raise UsageError("--after goes with --original", hint="pass the original draw's log")
        checks.skip(
            "replacement origin",
            "pass --original with the original draw's log to re-derive the eligible registrants "
            "and shifted quotas",
        )
        return
    earlier = log["replacement"].get("earlier_replacements") or []
    if earlier and request.after_path is None:
        checks.skip(
            "replacement origin",
            f"this is replacement {len(earlier) + 1} of the draw: pass the log of the "
            "replacement before it with --after (and the original draw's with --original)",
        )
        return
    original_path = request.original_path
    checks.run(
        "replacement origin",
        lambda: check_replacement_origin(log, original_path, request.after_path),
    )


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
    log = read_record(request.log_path, SELECTION_LOG_KIND, check_fingerprint=False)
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
    checks = Checks()
    checks.run("log fingerprint", lambda: check_log_fingerprint(log))
    for row in file_checks(log, request.log_path):
        checks.add(Check(*row))
    checks.run("published pool and rules", lambda: check_record_hashes(log))
    if "replacement" in log and request.pool_path is not None:
        checks.skip(
            "input files",
            "a replacement log publishes only the eligible registrants; check the original "
            "draw's log against the input files",
        )
    elif request.pool_path is not None and request.quota_path is not None:
        pool_path, quota_path = request.pool_path, request.quota_path
        checks.run("input files", lambda: check_input_files(log, pool_path, quota_path))
    else:
        checks.skip("input files", "pass --pool and --quotas to compare the original files")
    _replacement_origin(checks, log, request)
    instance = checks.run("pool and rules readable", lambda: rebuild_instance(log))
    if instance is None:
        return VerificationReport(request, committed, checks.done())
    if committed:
        assert lottery is not None
        committed_checks(checks, log, lottery, instance, deep=request.deep, solver=request.solver)
    else:
        if lottery is not None:
            checks.skip("lottery", "this log is a one-step selection; the lottery is not used")
        seed_checks(checks, log, instance, deep=request.deep, solver=request.solver)
    return VerificationReport(request, committed, checks.done())
