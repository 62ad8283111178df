"""Short renderings of user-supplied text for one-line error messages."""

from __future__ import annotations

from collections.abc import Sequence


def one_line(text: str) -> str:
    """Collapse all whitespace runs to single spaces."""
    return " ".join(text.split())


def quoted(text: str, limit: int = 80) -> str:
    """A value quoted for a one-line message, control characters escaped, long values cut."""
    flat = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    if len(flat) > limit:
        flat = flat[: limit - 3] + "..."
    return f"'{flat}'"


def listing(items: Sequence[str]) -> str:
    """Quoted values separated by commas."""
    return ", ".join(quoted(item) for item in items)
