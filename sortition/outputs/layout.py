"""Where the files of a result set go: ``public/`` to publish, ``private/`` to keep.

Every command that writes a folder of results (select, draw, replace, compare) renders it as a
mapping of relative file names to bytes, written as one set by `sortition.outputs.result_set`:

- ``public/``: what may be published as it is: probabilities.csv, selection-log.json and its
  report.html (`sortition.outputs.report_html`, made from the log), the comparison tables and plot.
  Registrants appear there only by id, pseudonymous when the id column is personal
  (`sortition.inputs.privacy`);
- ``private/``: what holds personal data: selected.csv, remaining.csv, reserves.csv,
  replacements.csv (every column of the pool: names, phones, addresses), each with an Excel
  workbook of the same cells (`sortition.outputs.files.personal_rows`), pseudonyms.csv and
  pseudonym-key.txt, and a README.txt (Spanish and English) saying not to publish the folder.

The selection log lists the SHA-256 of every other file of its set under ``files`` (names
relative to the set's folder, e.g. ``private/selected.csv``), so ``sortition verify`` can name a
file changed after the draw, and the organizer can later prove which private file belonged to the
draw without publishing it. Single-file commands (lottery, invite) say on screen which file to
publish and which to keep.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from sortition.i18n import Translator
from sortition.inputs.pool import Pool, read_pool
from sortition.inputs.privacy import Pseudonyms, pseudonymize_as_recorded
from sortition.outputs.report_html import REPORT_NAME, report_of_log

PUBLIC = "public"
PRIVATE = "private"
LOG_NAME = "selection-log.json"
LOG_FILE = f"{PUBLIC}/{LOG_NAME}"
REPORT_FILE = f"{PUBLIC}/{REPORT_NAME}"
MAPPING_FILE = f"{PRIVATE}/pseudonyms.csv"
KEY_FILE = f"{PRIVATE}/pseudonym-key.txt"
README_FILE = f"{PRIVATE}/README.txt"

PRIVATE_README = """\
DATOS PERSONALES - NO PUBLICAR

Esta carpeta contiene datos personales de las personas inscritas (nombres, correos, teléfonos,
direcciones) o las claves que permiten reconocerlas. No la publique ni la comparta; guárdela
mientras dure el proceso y bórrela según su política de protección de datos. Lo que se puede
publicar está en la carpeta public/, al lado de esta.

PERSONAL DATA - DO NOT PUBLISH

This folder holds personal data of the registrants (names, e-mails, phones, addresses) or the
keys that identify them. Do not publish or share it; keep it while the process lasts and delete
it as your data protection policy says. What may be published is in the public/ folder beside
this one.
"""


def public(name: str) -> str:
    """The relative path of a publishable file."""
    return f"{PUBLIC}/{name}"


def private(name: str) -> str:
    """The relative path of a file holding personal data."""
    return f"{PRIVATE}/{name}"


def private_files(pseudonyms: Pseudonyms | None) -> dict[str, bytes]:
    """The README of the private folder, and the pseudonym mapping and key when there are any."""
    files = {README_FILE: PRIVATE_README.encode("utf-8")}
    if pseudonyms is not None:
        files[MAPPING_FILE] = pseudonyms.mapping_csv()
        files[KEY_FILE] = pseudonyms.key_text()
    return files


def file_hashes(files: Mapping[str, bytes]) -> dict[str, str]:
    """SHA-256 (hex) of every file, by relative name, sorted by name."""
    return {name: hashlib.sha256(files[name]).hexdigest() for name in sorted(files)}


def with_log(
    files: Mapping[str, bytes], make_log: Callable[[dict[str, str]], bytes]
) -> dict[str, bytes]:
    """The set: public files, then the log (made from the hashes of all the other files), then
    private files."""
    log = make_log(file_hashes(files))
    ordered = {name: data for name, data in files.items() if name.startswith(PUBLIC + "/")}
    ordered[LOG_FILE] = log
    ordered[REPORT_FILE] = report_of_log(log)  # made from the log, so the log cannot list it
    ordered.update((name, data) for name, data in files.items() if name not in ordered)
    return ordered


def under(folder: str, files: Mapping[str, bytes]) -> dict[str, bytes]:
    """The files of a set placed in a subfolder of a larger set (e.g. panel-2/...)."""
    return {f"{folder}/{name}": data for name, data in files.items()}


def where_lines(
    out_dir: str, files: Mapping[str, bytes], pseudonyms: Pseudonyms | None, lang: str = "en"
) -> str:
    """What a command prints last: the folders to publish and to keep private, with their files,
    and the note on pseudonymous ids (in `lang`)."""
    t = Translator(lang)
    folders: dict[str, list[str]] = {}
    for name in files:
        path = PurePosixPath(name)
        folders.setdefault(str(path.parent), []).append(path.name)
    shown = out_dir.rstrip("/") or "."
    publish = [f"{shown}/{f}/ ({', '.join(n)})" for f, n in folders.items() if _is(f, PUBLIC)]
    keep = [f"{shown}/{f}/ ({', '.join(n)})" for f, n in folders.items() if _is(f, PRIVATE)]
    lines = [t("cli.where.publish", folders="; ".join(publish))]
    if keep:
        lines.append(t("cli.where.private", folders="; ".join(keep)))
    if pseudonyms is not None:
        mapping = f"{shown}/{MAPPING_FILE}" if MAPPING_FILE in files else None
        if mapping is None:
            mapping = next((f"{shown}/{n}" for n in files if n.endswith("/" + MAPPING_FILE)), None)
        note = pseudonyms.note(mapping)
        lines.append(t.library_text(note) or note)
    return "\n".join(lines)


def _is(folder: str, kind: str) -> bool:
    return folder == kind or folder.endswith("/" + kind)


def read_mapping(folder: Path, options: Mapping[str, Any]) -> Pseudonyms | None:
    """The pseudonyms of a logged draw from its private folder (pseudonyms.csv and
    pseudonym-key.txt, as written beside the public folder); None if absent or unreadable."""
    recorded = options.get("id_pseudonyms")
    if not recorded:
        return None
    try:
        with open(folder / "pseudonyms.csv", encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        key = bytes.fromhex((folder / "pseudonym-key.txt").read_text("utf-8").split()[0])
    except (OSError, ValueError, IndexError, UnicodeDecodeError, csv.Error):
        return None
    real = {row[0]: row[1] for row in rows[1:] if len(row) >= 2}
    column = str(rows[0][1]) if rows and len(rows[0]) >= 2 else str(recorded.get("column"))
    return Pseudonyms(column, "so recorded in the log", key, int(recorded["length"]), real)


def logged_pool(
    pool_path: str | None, log_path: str, options: Mapping[str, Any]
) -> tuple[Pool | None, Pseudonyms | None]:
    """For a command continuing a logged draw: the full pool if given (ids pseudonymized as the
    log records) and the pseudonyms, from the pool, else from the private folder beside the
    log's public folder (None when unknown)."""
    if pool_path is not None:
        read = read_pool(pool_path, id_column=options["id_column"])
        return pseudonymize_as_recorded(read, options)
    folder = Path(log_path).resolve().parent
    if folder.name != PUBLIC:
        return None, None
    return None, read_mapping(folder.parent / PRIVATE, options)
