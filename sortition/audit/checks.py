"""The shape of a verification: `Check` (one claim of the log and whether it holds), its statuses
(`PASS`, `FAIL`, `SKIP`), and `Checks`, which runs check functions and collects their results.

Every check module of `sortition.audit` (`verify_inputs`, `verify_panels`, `verify_seed`,
`verify_lottery`, `verify_certificate`, `verify_files`) shares these, so they live apart from the
checks and from `verify`, which orders them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sortition.errors import SortitionError

PASS, FAIL, SKIP = "pass", "fail", "skip"


@dataclass(frozen=True)
class Check:
    """One claim of the log, and whether it holds."""

    name: str
    status: str  # PASS, FAIL or SKIP
    detail: str


class Failed(Exception):
    """Raised inside a check function to fail it with a message."""


class Checks:
    """Collects check results; a check function returns its detail or raises Failed."""

    def __init__(self) -> None:
        self._checks: list[Check] = []

    def run(self, name: str, function: Callable[[], Any]) -> Any:
        try:
            result = function()
        except Failed as failure:
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
