"""Spanish and English for the web app and the public report: message catalogs and numbers.

The catalogs are plain typed dicts, per language and part: the report (`sortition.i18n.en`,
`sortition.i18n.es`), the web app's draw pages (`en_web`, `es_web`) and its other tools
(`en_tools`, `es_tools`: tables, census quotas, invitations, error explanations) and its wording of
library texts that name the command line (`en_app`, `es_app`), with the same
keys in both languages; a message may hold ``{name}`` fields filled by `Translator.__call__`.
Numbers follow the language: ``0.045`` and ``1,234`` in English, ``0,045`` and ``1.234`` in
Spanish. Nothing here reads files or the network.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass

from sortition.errors import SortitionError, UsageError
from sortition.i18n import (
    en,
    en_app,
    en_cli,
    en_tools,
    en_web,
    es,
    es_app,
    es_cli,
    es_tools,
    es_web,
)
from sortition.i18n.library_text import translate_library_text

LANGUAGES = ("es", "en")
DEFAULT_LANGUAGE = "en"
CATALOGS: dict[str, Mapping[str, str]] = {
    "es": {
        **es.MESSAGES,
        **es_web.MESSAGES,
        **es_tools.MESSAGES,
        **es_cli.MESSAGES,
        **es_app.MESSAGES,
    },
    "en": {
        **en.MESSAGES,
        **en_web.MESSAGES,
        **en_tools.MESSAGES,
        **en_cli.MESSAGES,
        **en_app.MESSAGES,
    },
}
LANGUAGE_NAMES = {"es": "Español", "en": "English"}


def default_language(environ: Mapping[str, str] | None = None) -> str:
    """The language of the locale (LC_ALL, then LC_MESSAGES, then LANG): 'es' for any Spanish
    locale, else 'en'."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "es" if value.lower().startswith("es") else "en"
    return DEFAULT_LANGUAGE


def check_language(lang: str) -> str:
    """`lang` if it is one of LANGUAGES, else a UsageError naming them."""
    if lang not in LANGUAGES:
        raise UsageError(f"unknown language '{lang}'", hint=f"choose one of {', '.join(LANGUAGES)}")
    return lang


def format_number(value: float, digits: int, lang: str) -> str:
    """`value` with `digits` decimals and grouped thousands: 1,234.5 (en), 1.234,5 (es)."""
    if not math.isfinite(value):
        return "-"
    text = f"{value:,.{digits}f}"
    if lang == "es":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def format_integer(value: int, lang: str) -> str:
    """A whole number with grouped thousands."""
    return format_number(float(value), 0, lang)


def format_percent(share: float, digits: int, lang: str) -> str:
    """A share as a percentage: 12.5% (en), 12,5 % (es)."""
    number = format_number(share * 100, digits, lang)
    return f"{number} %" if lang == "es" else f"{number}%"


def screen_number(value: float, digits: int, lang: str) -> str:
    """A decimal as the command line prints it: plain in English (no thousands separators, as it
    always has), in the language's own style otherwise (0,077778 in Spanish)."""
    if lang == DEFAULT_LANGUAGE:
        return f"{value:.{digits}f}"
    return format_number(value, digits, lang)


def screen_percent(share: float, digits: int, lang: str) -> str:
    """A share as the command line prints it: 12.5% in English, 12,5 % in Spanish."""
    return (
        f"{share:.{digits}%}" if lang == DEFAULT_LANGUAGE else format_percent(share, digits, lang)
    )


@dataclass(frozen=True)
class Translator:
    """Messages and numbers in one language; call it with a key and the message's fields."""

    lang: str

    def __post_init__(self) -> None:
        check_language(self.lang)

    def __call__(self, message: str, /, **values: object) -> str:
        template = CATALOGS[self.lang].get(message)
        if template is None:  # a missing key is a bug; show it rather than fail the page
            template = CATALOGS[DEFAULT_LANGUAGE].get(message, message)
        return template.format(**values) if values else template

    def library_text(self, text: str) -> str | None:
        """A library text (error message or hint, progress line, check detail) in this language;
        None when the catalog has no template for it (the page then shows the English text)."""
        return translate_library_text(text, self.lang)

    def error_line(self, error: SortitionError) -> str:
        """The one line a terminal shows for a user error, as `str(error)` does in English: code,
        file, row and column, message and how to fix it, each part in this language where the
        catalogs have it (an untranslated message or hint is shown as it is)."""
        if self.lang == DEFAULT_LANGUAGE:
            return str(error)
        where = []
        location = error.location
        if location is not None:
            if location.file:
                where.append(location.file)
            if location.row is not None:
                where.append(self("cli.error.row", row=location.row))
            if location.column:
                where.append(self("cli.error.column", column=location.column))
        place = f"{', '.join(where)}: " if where else ""
        message = self.library_text(error.message) or error.message
        hint = (self.library_text(error.hint) or error.hint) if error.hint else ""
        fix = " " + self("cli.error.fix", hint=hint) if hint else ""
        return f"[{error.code}] {place}{message}.{fix}"

    def has(self, key: str) -> bool:
        """Whether the catalogs have a message for `key`."""
        return key in CATALOGS[self.lang]

    def get(self, key: str, default: str) -> str:
        """The message for `key` (no fields) when the catalogs have it, else `default`: for keys
        made from a value the library keeps in English (a seed's source, why a search stopped),
        where an unknown value is shown as it is."""
        return self(key) if self.has(key) else default

    def number(self, value: float, digits: int = 3) -> str:
        return format_number(value, digits, self.lang)

    def integer(self, value: int) -> str:
        return format_integer(value, self.lang)

    def percent(self, share: float, digits: int = 1) -> str:
        return format_percent(share, digits, self.lang)


__all__ = [
    "CATALOGS",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "Translator",
    "check_language",
    "default_language",
    "format_integer",
    "format_number",
    "format_percent",
    "screen_number",
    "screen_percent",
]
