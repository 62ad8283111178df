"""Short renderings of text for people: quoted values in one-line messages, plain tables."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

# joins phrases that are each a whole template of the library's catalogs into one field of a
# message; `sortition.i18n.library_text` translates such a field item by item
LIST_SEPARATOR = "; "


def one_line(text: str) -> str:
    """Collapse all whitespace runs to single spaces."""
    return " ".join(text.split())


def quoted(text: str, limit: int = 80) -> str:
    """A value quoted for a one-line message, control characters escaped, long values cut."""
    flat = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    if len(flat) > limit:
        flat = flat[: limit - 3] + "..."
    return f"'{flat}'"


def quoted_path(path: str | os.PathLike[str]) -> str:
    """A file or folder path quoted for a one-line message, control characters escaped and never
    cut: the end of a path names the file to fix, so a long folder must not hide it."""
    return quoted(os.fspath(path), limit=sys.maxsize)


def listing(items: Sequence[str]) -> str:
    """Quoted values separated by commas."""
    return ", ".join(quoted(item) for item in items)


def location_phrase(file: str | None, row: int | None, column: str | None) -> str:
    """Where a problem sits, as every error shows it: "pool.csv, row 3, column 'email'" (the
    parts known, empty when none is); each shape a template the catalogs word in Spanish."""
    if file and row is not None and column:
        return f"{file}, row {row}, column '{column}'"
    if file and row is not None:
        return f"{file}, row {row}"
    if file and column:
        return f"{file}, column '{column}'"
    if file:
        return file
    if row is not None and column:
        return f"row {row}, column '{column}'"
    if row is not None:
        return f"row {row}"
    return f"column '{column}'" if column else ""


def error_phrase(code: str, where: str, message: str, hint: str) -> str:
    """An error's one line, as `str(error)` shows it: "[E103] pool.csv, column 'id': the pool
    has no id column 'id'. Fix: pass --id-column ..." (`where` and `hint` may be empty); each
    shape a template, so that an error line quoted inside another text is worded in Spanish."""
    if where and hint:
        return f"[{code}] {where}: {message}. Fix: {hint}"
    if where:
        return f"[{code}] {where}: {message}."
    if hint:
        return f"[{code}] {message}. Fix: {hint}"
    return f"[{code}] {message}."


def phrase_list(phrases: Sequence[str]) -> str:
    """Phrases joined into one field of a message, each still translatable on its own."""
    return LIST_SEPARATOR.join(phrases)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A left-aligned text table with a rule under the header."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
