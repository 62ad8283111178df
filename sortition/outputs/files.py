"""Writing outputs: quota tables and pool rows as CSV bytes, and all-or-nothing file writes.

Single output files go through `write_files_atomically`: temporary files in the target directory,
fsync, then renames, so a failure or a signal leaves no partial output and no temporary behind
(a kill's leftovers are removed by the next write there). Folders of results are written by
`sortition.outputs.result_set`.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from sortition.errors import Location, UnwritableFile, UsageError
from sortition.instance import Feature
from sortition.outputs.atomic import (
    checkpoint,
    fsync_directory,
    signals_raise,
    unless_locked,
    write_new_file,
)
from sortition.outputs.spreadsheet import csv_to_xlsx, fits_a_sheet, spreadsheet_name
from sortition.text import one_line, quoted, quoted_path


def quotas_to_csv_bytes(features: Sequence[Feature]) -> bytes:
    """A quota table as CSV: feature,value,min,max (+ min_flex,max_flex if any quota has them)."""
    flex = any(
        q.min_flex is not None or q.max_flex is not None
        for feature in features
        for q in feature.quotas
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["feature", "value", "min", "max", *(["min_flex", "max_flex"] if flex else [])])
    for feature in features:
        for value, quota in zip(feature.values, feature.quotas, strict=True):
            row = [feature.name, value, quota.min, quota.max]
            if flex:
                row += [
                    "" if quota.min_flex is None else quota.min_flex,
                    "" if quota.max_flex is None else quota.max_flex,
                ]
            writer.writerow(row)
    return out.getvalue().encode("utf-8")


def dataframe_to_csv_bytes(table: pd.DataFrame) -> bytes:
    """A table as UTF-8 CSV without the index, with \\n line endings."""
    text = table.to_csv(index=False, lineterminator="\n") or ""
    return text.encode("utf-8")


def personal_rows(name: str, table: pd.DataFrame) -> dict[str, bytes]:
    """Rows of the pool for the organizer (selected, remaining, reserves, replacements) under
    their relative CSV `name`, with the same cells as an Excel workbook beside it
    (`sortition.outputs.spreadsheet`: a CSV opened in Excel on a Spanish-locale computer
    garbles accents and columns), unless they are more than an Excel sheet holds."""
    data = dataframe_to_csv_bytes(table)
    if not fits_a_sheet(len(table)):
        return {name: data}
    stem = name.rsplit("/", 1)[-1].removesuffix(".csv")
    return {name: data, spreadsheet_name(name): csv_to_xlsx(data, stem)}


def write_files_atomically(directory: str | Path, files: Mapping[str, bytes]) -> None:
    """Write all files into `directory` (created if needed) via fsynced temp files and renames.

    If anything fails before the renames, the temp files (and any directory created here) are
    removed and nothing new is left behind.
    """
    target = Path(directory)
    for name in files:
        if name in ("", ".", "..") or Path(name).name != name or "/" in name or "\\" in name:
            raise UsageError(
                f"output file name {quoted(name)} must be a plain file name",
                hint="write files without directory parts in their names",
            )
        if (target / name).is_dir():
            raise UnwritableFile(
                f"cannot write {quoted_path(str(target / name))}: it is a directory",
                location=Location(file=str(target / name)),
                hint="remove the directory or choose another output directory",
            )
    created = _make_directory(target)
    remove_stale_temporaries(target)
    temps: dict[str, Path] = {}
    locks: list[int] = []
    with signals_raise():
        try:
            try:
                for name, content in files.items():
                    temp = target / f".{name}.{uuid.uuid4().hex}.tmp"
                    temps[name] = temp
                    lock = write_new_file(temp, content, keep_locked=True)
                    if lock is not None:
                        locks.append(lock)
                checkpoint("temp-written")
            except BaseException as exc:
                _cleanup(temps.values(), created)
                if isinstance(exc, OSError):
                    raise UnwritableFile(
                        f"cannot write to {quoted_path(str(target))}: "
                        f"{one_line(exc.strerror or str(exc))}",
                        location=Location(file=str(target)),
                        hint="check the output directory, its permissions and free space",
                    ) from exc
                raise
            pending = list(temps.items())
            try:
                while pending:
                    name, temp = pending[0]
                    os.replace(temp, target / name)
                    pending.pop(0)
            except BaseException as exc:
                _cleanup([temp for _, temp in pending], [])
                if isinstance(exc, OSError):
                    raise UnwritableFile(
                        f"cannot write {quoted_path(str(target))}: {one_line(str(exc))}",
                        location=Location(file=str(target)),
                        hint="check the output directory and its permissions",
                    ) from exc
                raise
        finally:
            for lock in locks:
                os.close(lock)
    fsync_directory(target)


PROBABILITY_DECIMALS = 6  # probabilities.csv rounds to this; the log keeps exact values
_STALE_TEMPORARY = re.compile(r"\..+\.[0-9a-f]{32}\.tmp")


def remove_stale_temporaries(directory: Path) -> None:
    """Remove the temporary files (``.NAME.<32 hex>.tmp``) that killed writes left in
    `directory`; a live writer's, which it keeps locked, stay."""
    with contextlib.suppress(OSError), os.scandir(directory) as entries:
        for entry in entries:
            if _STALE_TEMPORARY.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                with unless_locked(Path(entry.path)) as free, contextlib.suppress(OSError):
                    if free:
                        os.unlink(entry.path)


def _make_directory(target: Path) -> list[Path]:
    """Create `target` and missing parents; return the created ones, deepest first."""
    missing: list[Path] = []
    probe = target
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _cleanup([], [m for m in missing if m.exists()])
        raise UnwritableFile(
            f"cannot create the directory {quoted_path(str(target))}: "
            f"{one_line(exc.strerror or str(exc))}",
            location=Location(file=str(target)),
            hint="check the path and its permissions",
        ) from exc
    if not target.is_dir():
        raise UnwritableFile(
            f"{quoted_path(str(target))} is not a directory",
            location=Location(file=str(target)),
            hint="choose a directory as the output location",
        )
    return missing


def _cleanup(temps: Iterable[Path], created: Sequence[Path]) -> None:
    for temp in temps:
        with contextlib.suppress(OSError):
            os.unlink(temp)
    for directory in created:  # deepest first
        with contextlib.suppress(OSError):
            directory.rmdir()


# ---------------------------------------------------------------------------------------------
# Message helpers


def write_file_atomically(path: str | Path, content: bytes) -> None:
    """Write one file all-or-nothing (see `write_files_atomically`)."""
    target = Path(path)
    write_files_atomically(target.parent, {target.name: content})


def csv_cell(text: str) -> str:
    """One CSV cell, quoted only when it holds a comma, quote or line break."""
    if any(ch in text for ch in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def rounded_probability(probability: float) -> str:
    """A probability as people read it in probabilities.csv: `PROBABILITY_DECIMALS` decimals
    (the log keeps the exact value, which verify checks)."""
    return f"{max(float(probability), 0.0):.{PROBABILITY_DECIMALS}f}"


def draw_output_files(
    table: pd.DataFrame,
    chosen: np.ndarray,
    ids: Sequence[str],
    probabilities: Sequence[float],
) -> dict[str, bytes]:
    """The files every draw writes besides its log: probabilities by id (publishable, under
    public/) and the selected and remaining rows with every pool column (personal, under
    private/); see `sortition.outputs.layout`."""
    lines = ["id,probability"] + [
        f"{csv_cell(person)},{rounded_probability(p)}"
        for person, p in zip(ids, probabilities, strict=True)
    ]
    return {
        "public/probabilities.csv": ("\n".join(lines) + "\n").encode("utf-8"),
        **personal_rows("private/selected.csv", table[chosen]),
        **personal_rows("private/remaining.csv", table[~chosen]),
    }
