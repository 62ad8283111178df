"""Shared by the command modules: library errors become one line and an exit code; option lists.

Kept apart from `sortition.cli.main` so that command modules defined elsewhere (such as
`sortition.cli.census_command`) can use it without importing `sortition.cli.main`, which imports
them.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from sortition.errors import SortitionError
from sortition.i18n import LANGUAGES, Translator

_F = TypeVar("_F", bound=Callable[..., Any])


def user_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into a one-line message on stderr and the error's exit code; in
    Spanish when the command was given `--lang es` (`language_option`)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except SortitionError as error:
            line = Translator(kwargs.get("lang") or "en").error_line(error)
            click.echo(f"Error: {line}", err=True)
            sys.exit(error.exit_code)

    return wrapper


def language_option(
    pages: str = "the published report.html, the summary on screen",
) -> Callable[[_F], _F]:
    """`--lang en|es`: the language of `pages` and of error lines (default English, whatever
    the locale, so that the same command writes the same bytes on every machine)."""
    return click.option(
        "--lang",
        type=click.Choice(sorted(LANGUAGES)),
        default="en",
        show_default=True,
        help=f"Language of {pages} and error messages: en (English) or es (español).",
    )


def column_list(value: str | None) -> tuple[str, ...]:
    """'a, b,c' -> ('a', 'b', 'c'); blanks dropped (comma-separated column options)."""
    return tuple(c.strip() for c in value.split(",") if c.strip()) if value else ()
