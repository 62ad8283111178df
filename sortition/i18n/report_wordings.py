"""How older report formats worded what the current catalogs word differently.

`sortition verify` re-makes a published report in the format it was written in
(`sortition.outputs.report_format`), so a message whose wording changed with a format bump keeps
its older wording here, for the formats that used it. `EARLIER_WORDINGS[n][lang][key]` is the
template formats up to and including n used for `key`; a format takes the entry of the smallest
n at or above it, and the current catalogs for keys no entry names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sortition.i18n import Translator

EARLIER_WORDINGS: dict[int, dict[str, dict[str, str]]] = {
    # Formats 1 and 2 sent Spanish readers to the English auditing guide (there was no other).
    2: {
        "es": {
            "report.verify.by_hand": (
                "El documento docs/auditing.md del software explica cada comprobación e incluye "
                "un programa que solo necesita la biblioteca estándar de Python."
            ),
        },
    },
}


@dataclass(frozen=True)
class WordedTranslator(Translator):
    """A `Translator` whose `overrides` (key -> template) take precedence over the catalogs."""

    overrides: Mapping[str, str] = field(default_factory=dict)

    def __call__(self, message: str, /, **values: object) -> str:
        template = self.overrides.get(message)
        if template is None:
            return super().__call__(message, **values)
        return template.format(**values) if values else template


def report_translator(lang: str, report_format: int) -> Translator:
    """The translator that words a report of `report_format` as that format did."""
    overrides: dict[str, str] = {}
    for last in sorted(EARLIER_WORDINGS, reverse=True):  # the smallest n >= format wins
        if report_format <= last:
            overrides.update(EARLIER_WORDINGS[last].get(lang, {}))
    return WordedTranslator(lang, overrides) if overrides else Translator(lang)
