"""Personal id columns and their stable pseudonymous ids.

Every publishable file (the selection log, probabilities.csv, the lottery file, comparison
tables, the invitation log) lists registrants by the pool's id column. When that column holds
personal data it is replaced there by a pseudonym; the files kept private (selected.csv, ...)
keep the real ids, and ``private/pseudonyms.csv`` maps one to the other.

Which id columns are personal (`personal_reason`): a column marked by the organizer
(``--personal-columns``); a column whose name says e-mail or phone (as `sortition.inputs.duplicates`
recognises contact columns), or name, address or national id number (nombre, apellido,
direccion, rut, dni, passport, ...); a column whose values look like e-mail addresses (any one)
or like phone or national id numbers (at least 8 digits and nothing but digits, spaces and
``+-().``, in at least half of the cells). Ids like R0039 stay as they are.

The pseudonym of an id is ``p-`` followed by the first 12 hexadecimal digits of
HMAC-SHA256(key, UTF-8 of the id, surrounding spaces removed); if two ids of the pool would share
a pseudonym, all get 4 digits more until none do (the log records the length).

The key. A random salt would make the outputs of two runs with the same inputs and seed differ,
and the tool promises byte-identical outputs. So the key is derived from secret material that the
organizer holds and the public does not: the pool itself. Key = SHA-256 of
``b"sortition/pseudonym-key/v1\\x00"`` followed by the canonical JSON (`sortition.audit.canonical`)
of ``[header, rows]``, every column and every row of the whole pool as read (cells as text, so CSV
or XLSX, delimiter and line endings do not matter). Consequences, chosen on purpose:

- the names, e-mails, phones and addresses in the pool are what keeps the key secret, so
  guessing a pseudonym needs the whole pool, not one person's e-mail;
- the key is not the SHA-256 of the pool file the log publishes (a different input: the prefix
  and the parsed cells), and not HMAC keyed with the pool bytes (HMAC would first hash a long key
  with plain SHA-256);
- the seed is left out: it is published, so it adds no secrecy, and a lottery has no seed,
  while ``draw --pool``, ``replace --pool`` and ``verify --pool`` must find the same pseudonyms
  as the run they continue or check;
- anyone holding the same pool content recomputes the same key (``verify --pool``); a pool
  changed in any cell gives other pseudonyms, and the check says so.

Invitation registers (`register_key`) are keyed the same way over the register file's bytes, as
only the id and strata columns of a register are ever parsed.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import itertools
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sortition.audit.canonical import canonical_json
from sortition.errors import UsageError
from sortition.inputs.build import LoadedInstance, build_instance
from sortition.inputs.duplicates import contact_kind
from sortition.inputs.pool import Pool, read_pool
from sortition.inputs.quotas import read_quotas
from sortition.inputs.tables import normalize
from sortition.text import listing, quoted

KEY_PREFIX = b"sortition/pseudonym-key/v1\x00"
REGISTER_KEY_PREFIX = b"sortition/pseudonym-key/register/v1\x00"
PSEUDONYM_PREFIX = "p-"
PSEUDONYM_DIGITS = 12
METHOD = (
    "p- followed by the first `length` hexadecimal digits of HMAC-SHA256(key, UTF-8 of the id). "
    "The key, kept private by the organizer, is the SHA-256 of b'sortition/pseudonym-key/v1\\x00' "
    "and the canonical JSON of the whole pool's header and rows (every column), so only someone "
    "holding the pool can recompute or test a pseudonym."
)
REGISTER_METHOD = (
    "p- followed by the first `length` hexadecimal digits of HMAC-SHA256(key, UTF-8 of the id). "
    "The key, kept private by the organizer, is the SHA-256 of "
    "b'sortition/pseudonym-key/register/v1\\x00' and the register file's bytes, so only someone "
    "holding the register can recompute or test a pseudonym."
)
# Words in a column name that say it holds personal data (accents, case, punctuation ignored);
# short ones only as a whole word of the name.
NAME_WORDS: tuple[str, ...] = (
    "name",
    "nombre",
    "apellido",
    "address",
    "direccion",
    "domicilio",
    "passport",
)
NAME_WORDS += ("pasaporte", "cedula", "curp")
WHOLE_WORDS = ("rut", "run", "dni", "ssn", "nif", "nie", "nss")
EMAIL_VALUE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
NUMBER_VALUE = re.compile(r"[0-9+\-(). ]+")
MIN_NUMBER_DIGITS = 8
NAME_REASON = "its name says name, address or identity number"
NUMBERS_REASON = "its values look like phone or identity numbers"
CONTENT_SAMPLE = 10_000  # cells looked at to judge a column by its values


@dataclass(frozen=True, eq=False)
class Pseudonyms:
    """The pseudonymous ids of one pool's id column, with the key and the way back."""

    column: str
    reason: str  # why the column counts as personal, for the organizer
    key: bytes
    length: int
    real: Mapping[str, str]  # pseudonym -> real id
    method: str = METHOD
    pseudonym: dict[str, str] = field(init=False)  # real id -> pseudonym

    def __post_init__(self) -> None:
        object.__setattr__(self, "pseudonym", {r: p for p, r in self.real.items()})

    def record(self) -> dict[str, Any]:
        """What a publishable record says about the pseudonyms (never the key)."""
        return {"column": self.column, "length": self.length, "method": self.method}

    def restore(self, table: pd.DataFrame) -> pd.DataFrame:
        """A copy of `table` with real ids in the id column where it holds pseudonyms."""
        restored = table.copy()
        restored[self.column] = [
            self.real.get(str(cell).strip(), cell) for cell in restored[self.column]
        ]
        return restored

    def mapping_csv(self) -> bytes:
        """pseudonym,<id column> for every registrant, by pseudonym."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["pseudonym", self.column])
        writer.writerows(sorted(self.real.items()))
        return out.getvalue().encode("utf-8")

    def key_text(self) -> bytes:
        return (
            f"{self.key.hex()}\n\n"
            "HMAC-SHA256 key of the pseudonymous ids in the publishable files. Personal data: "
            "anyone with it can test whether a given id is in the pool. It is derived from the "
            "pool (see sortition.inputs.privacy), so the same pool always gives the same key.\n"
        ).encode()

    def note(self, mapping: str | None) -> str:
        """What the organizer is told on screen."""
        column, reason, prefix = quoted(self.column), self.reason, PSEUDONYM_PREFIX
        if mapping:
            return (
                f"The id column {column} holds personal data ({reason}): every publishable file "
                f"lists pseudonymous ids ({prefix}...) instead; {mapping} maps them back."
            )
        return (
            f"The id column {column} holds personal data ({reason}): every publishable file "
            f"lists pseudonymous ids ({prefix}...) instead."
        )


# ---------------------------------------------------------------------------------------------
# Which columns are personal


def _letters(name: str) -> tuple[str, list[str]]:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    words = "".join(ch if "a" <= ch <= "z" else " " for ch in decomposed).split()
    return "".join(words), words


def personal_reason(
    column: str, values: Iterable[object], marked: Collection[str] = ()
) -> str | None:
    """Why `column` holds personal data (see the module docstring), or None."""
    if normalize(column) in {normalize(m) for m in marked}:
        return "marked with --personal-columns"
    kind = contact_kind(column)
    if kind != "other":
        return f"its name says {'e-mail' if kind == 'email' else 'phone'}"
    key, words = _letters(column)
    if any(word in key for word in NAME_WORDS) or any(word in words for word in WHOLE_WORDS):
        return NAME_REASON
    cells = [str(v).strip() for v in itertools.islice(values, CONTENT_SAMPLE)]
    cells = [cell for cell in cells if cell]
    if any(EMAIL_VALUE.fullmatch(cell) for cell in cells):
        return "its values look like e-mail addresses"
    numbers = sum(
        1
        for cell in cells
        if NUMBER_VALUE.fullmatch(cell) and sum(ch.isdigit() for ch in cell) >= MIN_NUMBER_DIGITS
    )
    if cells and 2 * numbers >= len(cells):
        return NUMBERS_REASON
    return None


def check_marked_columns(header: Sequence[str], marked: Sequence[str], what: str) -> None:
    """Refuse --personal-columns naming a column the file does not have."""
    names = {normalize(h) for h in header}
    missing = [m for m in marked if normalize(m) not in names]
    if missing:
        raise UsageError(
            f"--personal-columns names {listing(missing)}, which the {what} does not have; "
            f"columns found: {listing(list(header))}",
            hint="list columns of the file (case and spaces are ignored)",
        )


def refuse_personal_features(
    pool: Pool, feature_columns: Sequence[str], marked: Collection[str] = ()
) -> None:
    """Feature values are published: refuse a feature column marked personal, named like an
    e-mail or phone column, or holding e-mail addresses. (Names and numbers are left to the
    organizer: "address zone" or an income band of long numbers can be honest features.)"""
    for column in feature_columns:
        values = pool.table[column].tolist()
        reason = personal_reason(column, values, marked)
        if reason is None or reason in (NAME_REASON, NUMBERS_REASON):
            continue
        raise UsageError(
            f"the quota feature {quoted(column)} holds personal data ({reason}), but feature "
            "values are published in the selection log",
            hint="use another column as a feature, or leave it out of --personal-columns",
        )


# ---------------------------------------------------------------------------------------------
# Pseudonyms


def pool_key(pool: Pool) -> bytes:
    """The HMAC key of a pool's pseudonyms (see the module docstring)."""
    table = pool.table
    record = [[str(c) for c in table.columns], [[str(v) for v in row] for row in table.values]]
    return hashlib.sha256(KEY_PREFIX + canonical_json(record)).digest()


def register_key(data: bytes) -> bytes:
    """The HMAC key of an invitation register's pseudonyms: over the file's bytes."""
    return hashlib.sha256(REGISTER_KEY_PREFIX + data).digest()


def pseudonym(key: bytes, person: str, length: int = PSEUDONYM_DIGITS) -> str:
    """The pseudonymous id of `person` under `key`."""
    digest = hmac.new(key, person.strip().encode("utf-8"), hashlib.sha256).hexdigest()
    return PSEUDONYM_PREFIX + digest[:length]


def pseudonyms_for(
    ids: Sequence[str], key: bytes, column: str, reason: str, length: int | None = None,
    method: str = METHOD,
) -> Pseudonyms:  # fmt: skip
    """Pseudonyms of distinct `ids`; without `length`, the shortest from 12 digits up (steps of 4)
    that gives every id its own."""
    digits = PSEUDONYM_DIGITS if length is None else length
    while True:
        real = {pseudonym(key, person, digits): person.strip() for person in ids}
        if len(real) == len(ids) or length is not None or digits >= 64:
            return Pseudonyms(column, reason, key, digits, real, method)
        digits += 4


def register_pseudonyms(
    header: Sequence[str], id_column: str, ids: Iterable[object], invited: Iterable[object],
    data: bytes, marked: Sequence[str] = (),
) -> Pseudonyms | None:  # fmt: skip
    """Pseudonyms of the invited ids of an invitation register (keyed over its bytes) when its
    id column is personal, judged on the register's ids; None when it is not."""
    check_marked_columns(header, marked, "register")
    reason = personal_reason(id_column, ids, marked)
    if reason is None:
        return None
    chosen = [str(person) for person in invited]
    return pseudonyms_for(chosen, register_key(data), id_column, reason, method=REGISTER_METHOD)


def pseudonymize_pool(
    pool: Pool, personal_columns: Sequence[str] = ()
) -> tuple[Pool, Pseudonyms | None]:
    """The pool with pseudonyms in its id column when that column is personal, and the
    pseudonyms (None, and the pool unchanged, when it is not)."""
    header = [str(c) for c in pool.table.columns]
    check_marked_columns(header, personal_columns, "pool")
    ids = [str(v) for v in pool.table[pool.id_column]]
    reason = personal_reason(pool.id_column, ids, personal_columns)
    if reason is None:
        return pool, None
    return _apply(pool, pseudonyms_for(ids, pool_key(pool), pool.id_column, reason))


def pseudonymize_as_recorded(
    pool: Pool, options: Mapping[str, Any]
) -> tuple[Pool, Pseudonyms | None]:
    """The pool with the pseudonyms a log or lottery file records in its options (if any)."""
    recorded = options.get("id_pseudonyms")
    if not recorded:
        return pool, None
    ids = [str(v) for v in pool.table[pool.id_column]]
    pseudonyms = pseudonyms_for(
        ids, pool_key(pool), pool.id_column, "so recorded in the log", int(recorded["length"])
    )
    return _apply(pool, pseudonyms)


def _apply(pool: Pool, pseudonyms: Pseudonyms) -> tuple[Pool, Pseudonyms]:
    table = pool.table.copy()
    table[pool.id_column] = [pseudonyms.pseudonym[str(v).strip()] for v in table[pool.id_column]]
    return Pool(pool.path, table, pool.id_column, pool.sha256), pseudonyms


def to_pseudonyms(ids: Sequence[str], pseudonyms: Pseudonyms | None) -> list[str]:
    """Ids as the publishable files list them: real ids become pseudonyms, others stay."""
    if pseudonyms is None:
        return [str(person) for person in ids]
    return [pseudonyms.pseudonym.get(str(p).strip(), str(p).strip()) for p in ids]


__all__ = [
    "METHOD",
    "Pseudonyms",
    "check_marked_columns",
    "load_pseudonymized",
    "personal_reason",
    "pool_key",
    "pseudonym",
    "pseudonym_option",
    "pseudonymize_as_recorded",
    "pseudonymize_pool",
    "pseudonyms_for",
    "refuse_personal_features",
    "register_key",
    "register_pseudonyms",
    "to_pseudonyms",
]


def pseudonym_option(pseudonyms: Pseudonyms | None) -> dict[str, Any]:
    """The ``id_pseudonyms`` entry of a record's options: present only when ids are pseudonyms,
    so records of pools with plain ids stay as they always were."""
    return {} if pseudonyms is None else {"id_pseudonyms": pseudonyms.record()}


def load_pseudonymized(
    pool_path: str, quota_path: str, *, panel_size: int, id_column: str = "id",
    household_columns: Sequence[str] = (), personal_columns: Sequence[str] = (),
) -> tuple[LoadedInstance, Pseudonyms | None]:  # fmt: skip
    """`sortition.inputs.build.load_instance` with a personal id column replaced by pseudonyms (and
    personal feature columns refused)."""
    pool, pseudonyms = pseudonymize_pool(
        read_pool(pool_path, id_column=id_column), personal_columns
    )
    loaded = build_instance(
        pool, read_quotas(quota_path), panel_size=panel_size, household_columns=household_columns
    )
    refuse_personal_features(loaded.pool, loaded.feature_columns, personal_columns)
    return loaded, pseudonyms
