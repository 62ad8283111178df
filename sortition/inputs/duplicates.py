"""Registrants who signed up more than once: linked by a shared e-mail, phone or other contact.

Two registrants are linked when they share a normalized contact value; a duplicate group is a
connected component of these links (a shares an e-mail with b, b a phone with c: one group of 3).
How values are compared depends on the column's kind, decided from its name (`contact_kind`):

- e-mail: Unicode-composed, case-folded, all whitespace removed. A value without '@' never links
  (placeholders such as 'n/a'). Gmail dots and '+tags' are not stripped.
- phone: digits only, a leading international prefix '00' dropped, so '+56 9 1234 5678',
  '0056 9 1234 5678' and '56912345678' match. Only equal digit strings match otherwise: a number
  written without its country code ('9 1234 5678') does not match one written with it. Fewer
  than 6 digits never link (placeholders such as '0' or '-').
- anything else: `sortition.inputs.tables.normalize` (case, accents composed, spaces).

E-mails match across all e-mail columns and phones across all phone columns (a 'mobile' may
equal another registrant's 'phone'); other columns match only within themselves. Blank cells and
common placeholders ('-', 'n/a', 'none', 'sin', ...) never link.

Contact values are personal data: `DuplicateGroup.shared` holds them for the person at the
terminal; `duplicate_error` and `DuplicateGroup.columns` name only rows and columns, and nothing
here writes to a log.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import networkx as nx

from sortition.errors import InputError, Location
from sortition.inputs.pool import Pool
from sortition.inputs.tables import FIRST_DATA_ROW, normalize, require_column
from sortition.text import listing, phrase_list, quoted

ContactKind = Literal["email", "phone", "other"]

EMAIL_WORDS = ("email", "mail", "correo")
PHONE_WORDS = ("phone", "telefono", "celular", "movil", "mobile", "fono", "whatsapp")
PHONE_NAMES = ("tel", "cel")  # only as the whole column name (after dropping non-letters)
MIN_PHONE_DIGITS = 6
_ENGLISH_PLACEHOLDERS = ("n/a", "na", "n.a.", "none", "null", "nil", "no", "unknown")
_SPANISH_PLACEHOLDERS = ("no tiene", "ninguno", "ninguna", "sin", "sin dato", "sin datos", "s/i")
_MORE_PLACEHOLDERS = ("s/d", "desconocido", "sin información", "sin informacion")
PLACEHOLDERS = frozenset((*_ENGLISH_PLACEHOLDERS, *_SPANISH_PLACEHOLDERS, *_MORE_PLACEHOLDERS))
MESSAGE_GROUPS = 3  # groups spelled out in the one-line error message


class DuplicateRegistrations(InputError):
    """Registrants who share contact details, so one person may hold several entries."""

    code = "E113"


@dataclass(frozen=True)
class SharedValue:
    """One normalized contact value held by several registrants of a group (personal data)."""

    kind: ContactKind
    columns: tuple[str, ...]  # pool columns where the value appears, in pool column order
    value: str  # normalized as described in the module docstring
    rows: tuple[int, ...]  # spreadsheet rows holding it, ascending


@dataclass(frozen=True)
class DuplicateGroup:
    """Registrants linked by shared contact values; rows are spreadsheet rows, ascending."""

    ids: tuple[str, ...]  # in row order
    rows: tuple[int, ...]
    shared: tuple[SharedValue, ...]  # what linked them, ordered by first row then column

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns whose values linked the group (no values: safe to log)."""
        found: list[str] = []
        for shared in self.shared:
            found.extend(c for c in shared.columns if c not in found)
        return tuple(found)


def contact_kind(column: str) -> ContactKind:
    """Whether a column holds e-mails or phone numbers, judged by its name (any language mix).

    email/e-mail/mail/correo -> "email"; phone/teléfono/celular/móvil/mobile/fono -> "phone";
    anything else "other". Accents, case and punctuation are ignored.
    """
    decomposed = unicodedata.normalize("NFKD", column.casefold())
    key = "".join(ch for ch in decomposed if "a" <= ch <= "z")
    if any(word in key for word in EMAIL_WORDS):
        return "email"
    if any(word in key for word in PHONE_WORDS) or key in PHONE_NAMES:
        return "phone"
    return "other"


def contact_key(value: str, kind: ContactKind) -> str:
    """The value as compared for `kind`; "" when it must never link (blank or placeholder)."""
    text = normalize(value)
    if not text or text in PLACEHOLDERS or not any(ch.isalnum() for ch in text):
        return ""
    if kind == "email":
        address = "".join(text.split())
        return address if "@" in address.strip("@") else ""
    if kind == "phone":
        digits = "".join(ch for ch in unicodedata.normalize("NFKD", text) if "0" <= ch <= "9")
        if digits.startswith("00"):
            digits = digits[2:]
        return digits if len(digits) >= MIN_PHONE_DIGITS else ""
    return text


def find_duplicates(pool: Pool, contact_columns: Sequence[str]) -> tuple[DuplicateGroup, ...]:
    """Groups of registrants sharing any normalized contact value, sorted by their first row."""
    header = [str(c) for c in pool.table.columns]
    columns: list[str] = []
    for wanted in contact_columns:
        actual = require_column(
            header,
            wanted,
            shown=pool.path,
            missing=f"the pool has no contact column {quoted(wanted)}; columns found: "
            f"{listing(header)}",
            hint="check the contact column names (case and spaces are ignored)",
        )
        if actual not in columns:
            columns.append(actual)
    columns.sort(key=header.index)

    # (kind, match scope, key) -> rows (0-based) and the columns it appears in
    holders: dict[tuple[ContactKind, str, str], list[int]] = {}
    seen_in: dict[tuple[ContactKind, str, str], list[str]] = {}
    for column in columns:
        kind = contact_kind(column)
        scope = "" if kind != "other" else column  # e-mails/phones match across their columns
        cells = pool.table.iloc[:, header.index(column)].astype(str).tolist()
        for i, cell in enumerate(cells):
            key = contact_key(cell, kind)
            if not key:
                continue
            token = (kind, scope, key)
            holders.setdefault(token, []).append(i)
            places = seen_in.setdefault(token, [])
            if column not in places:
                places.append(column)

    shared_by_token: dict[tuple[ContactKind, str, str], list[int]] = {}
    for token, rows in holders.items():
        distinct = sorted(set(rows))  # one person may repeat a value in two columns
        if len(distinct) > 1:
            shared_by_token[token] = distinct
    graph = nx.Graph()
    for sharing in shared_by_token.values():
        graph.add_edges_from((sharing[0], other) for other in sharing[1:])
    ids = pool.table.iloc[:, header.index(pool.id_column)].astype(str).tolist()
    components = sorted(sorted(component) for component in nx.connected_components(graph))
    group_of = {row: g for g, members in enumerate(components) for row in members}
    shared: list[list[SharedValue]] = [[] for _ in components]
    tokens = [
        (shared_by_token[t][0], sorted(header.index(c) for c in seen_in[t]), t)
        for t in shared_by_token
    ]
    for first, positions, token in sorted(tokens):  # by first row, then column
        kind, _, key = token
        shared[group_of[first]].append(
            SharedValue(
                kind,
                tuple(header[j] for j in positions),
                key,
                tuple(r + FIRST_DATA_ROW for r in shared_by_token[token]),
            )
        )
    return tuple(
        DuplicateGroup(
            tuple(ids[r].strip() for r in members),
            tuple(r + FIRST_DATA_ROW for r in members),
            tuple(shared[g]),
        )
        for g, members in enumerate(components)
    )


def duplicate_error(
    groups: Sequence[DuplicateGroup], *, path: str | None = None
) -> DuplicateRegistrations:
    """One-line error naming the rows and the columns they share (never the values themselves)."""
    if not groups:
        raise ValueError("duplicate_error needs at least one group")
    people = sum(len(g.rows) for g in groups)
    parts = [
        _rows_phrase(", ".join(str(r) for r in g.rows), ", ".join(g.columns))
        for g in groups[:MESSAGE_GROUPS]
    ]
    if len(groups) > MESSAGE_GROUPS:
        parts.append(_more_groups_phrase(len(groups) - MESSAGE_GROUPS))
    listed = phrase_list(parts)
    message = (
        f"{people} registrants in 1 group share contact details ({listed})"
        if len(groups) == 1
        else f"{people} registrants in {len(groups)} groups share contact details ({listed})"
    )
    return DuplicateRegistrations(
        message,
        location=Location(file=path) if path else None,
        hint="remove duplicates or pass --allow-duplicates",
    )


def _rows_phrase(rows: str, columns: str) -> str:
    """One group of a duplicate message: 'rows 3, 17: email' (the columns they share)."""
    return f"rows {rows}: {columns}" if columns else f"rows {rows}"


def _more_groups_phrase(more: int) -> str:
    """The groups a duplicate message leaves out: 'and 2 more groups'."""
    return "and 1 more group" if more == 1 else f"and {more} more groups"


def default_contact_columns(pool: Pool) -> tuple[str, ...]:
    """The pool's e-mail and phone columns, recognized by name: checked before every draw."""
    return tuple(str(c) for c in pool.table.columns if contact_kind(str(c)) != "other")


def scan_duplicates(
    pool: Pool, contact_columns: Sequence[str] | None
) -> tuple[tuple[str, ...], tuple[DuplicateGroup, ...]]:
    """The columns compared (None: the e-mail and phone columns) and the duplicate groups."""
    columns = default_contact_columns(pool) if contact_columns is None else tuple(contact_columns)
    return columns, (find_duplicates(pool, columns) if columns else ())


def refuse_duplicates(
    pool: Pool, contact_columns: Sequence[str] | None, *, allow: bool
) -> tuple[DuplicateGroup, ...]:
    """Duplicate groups in the pool (None: its e-mail and phone columns); raise unless allowed."""
    _, groups = scan_duplicates(pool, contact_columns)
    if groups and not allow:
        raise duplicate_error(groups, path=pool.path)
    return groups


__all__ = [
    "ContactKind",
    "DuplicateGroup",
    "DuplicateRegistrations",
    "SharedValue",
    "contact_key",
    "contact_kind",
    "default_contact_columns",
    "duplicate_error",
    "find_duplicates",
    "refuse_duplicates",
    "scan_duplicates",
]
