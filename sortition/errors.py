"""One exception hierarchy for every failure a user can cause or meet.

Each error carries a stable code, a one-line message for people, an optional location (file, row,
column) and a hint on how to fix it. The library never prints or exits; the CLI maps
`exit_code` to the process exit status.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sortition.text import error_phrase, location_phrase

EXIT_BAD_INPUT = 1
EXIT_BAD_USAGE = 2
EXIT_INFEASIBLE = 3
EXIT_SOLVER = 4
EXIT_VERIFICATION_FAILED = 5


@dataclass(frozen=True)
class Location:
    """Where in an input file a problem sits; row numbers are 1-based as shown in a spreadsheet."""

    file: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        return location_phrase(self.file, self.row, self.column)


class SortitionError(Exception):
    """Base of all errors a user may see; `str(error)` is the one-line message."""

    code = "E000"
    exit_code = EXIT_BAD_INPUT

    def __init__(self, message: str, *, location: Location | None = None, hint: str = "") -> None:
        super().__init__(message, location, hint)
        self.message = message
        self.location = location
        self.hint = hint

    def __reduce__(self) -> tuple[Callable[..., SortitionError], tuple[object, ...]]:
        # keep keyword-only arguments through pickling
        return (_rebuild, (type(self), self.message, self.location, self.hint))

    def __str__(self) -> str:
        where = str(self.location) if self.location else ""
        return error_phrase(self.code, where, self.message, self.hint)


def _rebuild(
    cls: type[SortitionError], message: str, location: Location | None, hint: str
) -> SortitionError:
    return cls(message, location=location, hint=hint)


class InputError(SortitionError):
    """Bad content in an input file (exit code 1)."""

    code = "E100"


class UnreadableFile(InputError):
    code = "E101"


class UnknownQuotaFormat(InputError):
    code = "E102"


class MissingColumn(InputError):
    code = "E103"


class BlankId(InputError):
    code = "E104"


class DuplicateId(InputError):
    code = "E105"


class UnknownValue(InputError):
    code = "E106"


class BadQuotaNumber(InputError):
    code = "E107"


class QuotaMinAboveMax(InputError):
    code = "E108"


class EmptyPool(InputError):
    code = "E109"


class DuplicateQuota(InputError):
    code = "E110"


class BadPanelSize(SortitionError):
    """Panel size out of range; a usage problem (exit code 2)."""

    code = "E201"
    exit_code = EXIT_BAD_USAGE


class UsageError(SortitionError):
    code = "E200"
    exit_code = EXIT_BAD_USAGE


class InfeasibleQuotas(SortitionError):
    """No panel meets every quota and household rule (exit code 3)."""

    code = "E301"
    exit_code = EXIT_INFEASIBLE

    def __init__(
        self,
        message: str,
        *,
        location: Location | None = None,
        hint: str = "",
        relaxation: object | None = None,
    ) -> None:
        super().__init__(message, location=location, hint=hint)
        self.relaxation = relaxation


class InfeasibleSeating(SortitionError):
    """The seating rules of `sortition tables` cannot all hold; the message names the rules that
    conflict (exit code 3)."""

    code = "E302"
    exit_code = EXIT_INFEASIBLE


class SolverFailure(SortitionError):
    """The solver failed or hit the time limit (exit code 4)."""

    code = "E401"
    exit_code = EXIT_SOLVER


class TimeLimitReached(SolverFailure):
    code = "E402"


class UnwritableFile(UsageError):
    """An output file or directory cannot be written (exit code 2)."""

    code = "E202"


class OutputConflict(UsageError):
    """An output would replace an input, earlier results without --overwrite, or files that are
    not sortition's (exit code 2); refused before any work is done."""

    code = "E203"


class BadRecord(InputError):
    """A lottery file or selection log that is not valid JSON of the expected kind (exit code 1)."""

    code = "E111"


class FingerprintMismatch(InputError):
    """A lottery file or log whose content no longer hashes to its stored fingerprint."""

    code = "E112"
