"""The library's texts (error messages and hints, progress lines, check details) in the reader's
language.

The library writes them in English (the CLI's default language). The Spanish catalogs
(`sortition.i18n.library_es_inputs` and `library_es_process`) are keyed by the English templates
as written in the source: `scripts/library_templates.py` reads them, as xgettext would, numbering
an f-string's replacement fields ``{0}``, ``{1}``... A text holds only its formatted form, so the
text is matched back to its template: the template's literal parts must match exactly and
each field matches any text, shortest first; the fields' values (file names, columns, values,
numbers) go unchanged into the Spanish template, which may order them differently. Templates
are tried from the most literal text to the least, so a general template never shadows a
specific one. Text that no template matches is returned as None: the page then shows the English
text, labelled as such.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from sortition.i18n import library_es_inputs, library_es_process
from sortition.text import LIST_SEPARATOR

CATALOGS: dict[str, Mapping[str, str]] = {
    "es": {**library_es_inputs.MESSAGES, **library_es_process.MESSAGES}
}
_TOKEN = re.compile(r"\{\{|\}\}|\{(\d+)\}")


def literal_text(template: str) -> str:
    """The template without its fields, doubled braces made single."""
    return _TOKEN.sub(lambda m: "" if m.group(1) else m.group(0)[0], template)


def pattern(template: str) -> re.Pattern[str]:
    """A regular expression matching exactly the texts `template` formats to."""
    parts: list[str] = []
    position = 0
    for match in _TOKEN.finditer(template):
        parts.append(re.escape(template[position : match.start()]))
        field = match.group(1)
        parts.append(f"(?P<f{field}>.*?)" if field is not None else re.escape(match.group(0)[0]))
        position = match.end()
    parts.append(re.escape(template[position:]))
    return re.compile("".join(parts), re.DOTALL)


def matching_order(catalog: Mapping[str, str]) -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each template of `catalog` as a pattern with its entry, the most literal template first,
    so that a general template never takes a specific one's text (for any catalog keyed by
    library templates, such as the web app's own wordings)."""
    ordered = sorted(catalog, key=lambda t: (-len(literal_text(t)), t))
    return tuple((pattern(template), catalog[template]) for template in ordered)


@lru_cache(maxsize=len(CATALOGS))
def _compiled(lang: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    return matching_order(CATALOGS[lang])


@lru_cache(maxsize=4096)  # the progress page asks for the same lines every poll
def translate_library_text(text: str, lang: str, *, depth: int = 2) -> str | None:
    """`text` (an error's message or hint) in `lang`; None when no template matches (English is
    the library's own language: its text is returned as is). A field that is itself a whole
    message of the catalog (a reason composed into a message, such as 'is negative') is
    translated too, `depth` levels down."""
    if lang not in CATALOGS:
        return text if lang == "en" else None
    for compiled, translated in _compiled(lang):
        match = compiled.fullmatch(text)
        if match is not None:
            fields = {int(name[1:]): value for name, value in match.groupdict().items()}
            values = [fields[i] for i in range(len(fields))]
            if depth > 0:
                values = [_field(value, lang, depth - 1) for value in values]
            return translated.format(*values)
    return None


def _field(value: str, lang: str, depth: int) -> str:
    """A field's value in `lang`: item by item when it is a list of phrases of the catalog
    (`sortition.text.phrase_list`), whole when it is one message of it, else unchanged (a name,
    a number, a value from the user's files)."""
    if " " not in value:
        return value
    if LIST_SEPARATOR in value:  # a list first: a field of one item's template would take it all
        items = [
            translate_library_text(item, lang, depth=depth) for item in value.split(LIST_SEPARATOR)
        ]
        if all(item is not None for item in items):
            return LIST_SEPARATOR.join(item for item in items if item is not None)
    return translate_library_text(value, lang, depth=depth) or value
