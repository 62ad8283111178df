"""Shared by the command modules: library errors become one line and an exit code; option lists.

Kept apart from `sortition.cli.main` so that command modules defined elsewhere (such as
`sortition.cli.census_command`) can use it without importing `sortition.cli.main`, which imports
them.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click

from sortition.errors import SortitionError


def user_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into a one-line message on stderr and the error's exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except SortitionError as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(error.exit_code)

    return wrapper


def column_list(value: str | None) -> tuple[str, ...]:
    """'a, b,c' -> ('a', 'b', 'c'); blanks dropped (comma-separated column options)."""
    return tuple(c.strip() for c in value.split(",") if c.strip()) if value else ()
