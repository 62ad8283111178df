"""Check the files of a result set against the SHA-256 hashes its selection log records.

A log written with its set lists under ``files`` the SHA-256 of every other file of the set, by
name relative to the set's folder (``public/probabilities.csv``, ``private/selected.csv``; see
`sortition.outputs.layout`). The log itself sits in ``public/``; its fingerprint covers that list,
so a file changed after the draw no longer matches and is named. Files are looked for where the
organizer's folder has them: public ones beside the log, private ones in ``../private/`` when the
log's folder is called ``public`` (an auditor holding only the published files checks those).
Listed files that are absent are skipped, not failed (private files are not published); files
beside the log that the log does not list are reported, as the log does not vouch for them. The
report.html beside the log, made from the log after it was written, must be exactly the report
of that log (in Spanish or English; `sortition.outputs.report_html`), made again in the report's
own format; a report in a format this version cannot make (written by a much older or a newer
sortition) is only checked for naming its log, and says so (`sortition.outputs.report_format`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from sortition.audit.checks import FAIL, PASS, SKIP
from sortition.outputs.layout import PRIVATE, PUBLIC
from sortition.outputs.report_format import RENDERABLE_FORMATS, REPORT_FORMAT, marked_format
from sortition.outputs.report_html import REPORT_NAME, report_language


class FileCheck(NamedTuple):
    """One file of the set (or a note on several), as a row of the verify table."""

    name: str
    status: str
    detail: str


def file_sha256(path: Path) -> str:
    """SHA-256 (hex) of a file's bytes, read in blocks."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def file_checks(log: dict[str, Any], log_path: str | Path) -> list[FileCheck]:
    """One row per listed file present (pass or fail), then notes on absent and unlisted files."""
    listed = log.get("files")
    if not isinstance(listed, dict):
        return [
            FileCheck(
                "files of the set",
                SKIP,
                "the log records no file hashes (written without its result set, or by an older "
                "sortition); only the log itself is checked",
            )
        ]
    folder = Path(log_path).parent
    root = folder.parent if folder.name == PUBLIC else None
    rows: list[FileCheck] = []
    absent: list[str] = []
    seen: set[Path] = set()
    report = folder / REPORT_NAME
    if report.is_file():  # made from the log, so the log does not list it: checked against it
        rows.append(_report_check(Path(log_path), report, root is not None))
        seen.add(report.resolve())
    for name, logged in sorted(listed.items()):
        path = _where(str(name), folder, root)
        if path is None or not path.is_file():
            absent.append(str(name))
            continue
        seen.add(path.resolve())
        rows.append(_check(str(name), path, str(logged)))
    if absent:
        rows.append(
            FileCheck(
                "files not present",
                SKIP,
                f"{', '.join(absent)}: not found beside the log (private files are not "
                "published; the organizer can check them in the private folder)",
            )
        )
    unlisted = _unlisted(folder, Path(log_path), root, seen)
    if unlisted:
        rows.append(
            FileCheck(
                "files not in the log",
                SKIP,
                f"{', '.join(unlisted)}: not part of this draw's set; the log does not vouch "
                "for them",
            )
        )
    return rows


def _report_check(log_path: Path, report: Path, in_public: bool) -> FileCheck:
    """Whether the report.html beside the log is exactly the report that log gives, in the
    report's own format; or, for a format this version cannot make, whether it names this log."""
    name = f"{PUBLIC}/{REPORT_NAME}" if in_public else REPORT_NAME
    try:
        log_bytes, page = log_path.read_bytes(), report.read_bytes()
        report_format, named = marked_format(page)
        lang = report_language(log_bytes, page)
    except (OSError, ValueError) as error:
        return FileCheck(name, FAIL, f"cannot read {REPORT_NAME} or the log: {error}")
    if lang is not None:
        return FileCheck(name, PASS, f"{REPORT_NAME} is this log's own report (language: {lang})")
    if report_format in RENDERABLE_FORMATS or named is None:
        return FileCheck(
            name,
            FAIL,
            f"{REPORT_NAME} is not the report of this log: it was changed after the draw or "
            "belongs to another draw",
        )
    if named != hashlib.sha256(log_bytes).hexdigest():
        return FileCheck(
            name,
            FAIL,
            f"{REPORT_NAME} was made from another log (SHA-256 {named[:16]}...): it belongs to "
            "another draw",
        )
    if report_format > REPORT_FORMAT:
        return FileCheck(
            name,
            SKIP,
            f"{REPORT_NAME} names this log, but its text was not compared: it is in report "
            f"format {report_format}, newer than this version of sortition makes "
            f"({REPORT_FORMAT}); update sortition to check it",
        )
    return FileCheck(
        name,
        SKIP,
        f"{REPORT_NAME} names this log, but its text was not compared: it is in report format "
        f"{report_format}, which this version of sortition no longer makes (it makes format "
        f"{REPORT_FORMAT}); the log and the files it lists are the record of the draw",
    )


def _where(name: str, folder: Path, root: Path | None) -> Path | None:
    """Where a listed file of the set should be, given where the log is."""
    parts = PurePosixPath(name).parts
    if not parts or any(part in ("", ".", "..") for part in parts) or name.startswith("/"):
        return None
    if root is not None:
        return root.joinpath(*parts)
    if parts[0] == PUBLIC and len(parts) > 1:
        return folder.joinpath(*parts[1:])
    return None


def _check(name: str, path: Path, logged: str) -> FileCheck:
    try:
        actual = file_sha256(path)
    except OSError as error:
        return FileCheck(name, FAIL, f"cannot read {path.name}: {error.strerror or error}")
    if actual == logged:
        return FileCheck(name, PASS, f"SHA-256 {actual[:16]}... as logged")
    return FileCheck(
        name,
        FAIL,
        f"{PurePosixPath(name).name} was changed after the draw (SHA-256 {actual[:16]}..., "
        f"the log says {logged[:16]}...)",
    )


def _unlisted(folder: Path, log_path: Path, root: Path | None, seen: set[Path]) -> list[str]:
    """Files in the log's folder (and the private folder) that the log does not list."""
    folders = [(folder, PUBLIC if root is not None else "")]
    if root is not None and (root / PRIVATE).is_dir():
        folders.append((root / PRIVATE, PRIVATE))
    names = []
    own = log_path.resolve()
    for where, prefix in folders:
        for path in sorted(where.rglob("*")):
            resolved = path.resolve()
            if path.is_file() and resolved != own and resolved not in seen:
                relative = path.relative_to(where).as_posix()
                names.append(f"{prefix}/{relative}" if prefix else relative)
    return names
