"""Result sets: the folders of output files that sortition owns, written all or nothing.

A command that writes several files (select, draw, replace, compare, generate) writes them as one
result set into its output folder:

- the folder must be new, empty, or hold an earlier result set, recognised by the marker file
  named by `marker_name()` at its top; a folder holding anything else is refused, and an earlier
  set is replaced only with ``overwrite=True`` (``--overwrite``), as a whole, so that no stale
  file of the earlier run survives;
- no input file may lie inside the folder (`check_result_folder`, also called before any work);
- the set is written into a hidden temporary folder beside the target, ``.NAME.tmp-<hex>``,
  fsynced, then exchanged with the earlier set in one step (Linux ``renameat2`` with
  ``RENAME_EXCHANGE``) and the earlier set removed. Without that call the earlier set is renamed
  to ``.NAME.old-<hex>``, the new one into place, and the backup removed; the next run puts a
  leftover complete backup back if the target is missing;
- temporaries are removed on every exit path: SIGTERM, SIGINT and SIGHUP raise during the write
  phase so that cleanup runs, and the signal is delivered again afterwards. Leftovers of killed
  runs (hidden folders carrying the marker and not locked by a live writer) are removed by the
  next write to the same target.

Single output files (`write_output_file`) are refused in the same cases and written by
`sortition.outputs.files.write_files_atomically` (temporary file beside the target, then a rename).

Steps of the write phase, for the test hook of `sortition.outputs.atomic`
(SORTITION_TEST_WRITE_PAUSE): tmp-created, file-1 ... file-N, files-written, exchanged, old-removed;
with the rename fallback (SORTITION_TEST_NO_EXCHANGE=1) backed-up and moved-in instead of exchanged.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import uuid
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from sortition.errors import Location, OutputConflict, UnwritableFile
from sortition.outputs.atomic import (
    checkpoint,
    exchange,
    fsync_directory,
    fsync_tree,
    hold_lock,
    signals_raise,
    unless_locked,
    write_new_file,
)
from sortition.text import one_line, quoted, quoted_path

MARKER = ".sortition-set"
MARKER_FORMAT = "sortition result set"
InputPaths = Mapping[str, "str | os.PathLike[str] | None"] | None

# how an error names an input file by its role (the keys of `InputPaths` the commands use); the
# phrases are library texts, so the Spanish catalogs translate them inside a message
ROLE_PHRASES = {
    "pool": "the pool",
    "quota table": "the quota table",
    "history": "the history file",
    "population table": "the population table",
    "targets": "the targets file",
    "selection log": "the selection log",
    "dropouts file": "the dropouts file",
    "earlier replacement log": "the earlier replacement's log",
    "lottery file": "the lottery file",
    "panel": "the panel file",
    "keep-together": "the keep-together file",
    "keep-apart": "the keep-apart file",
    "earlier seating": "the earlier seating file",
    "register": "the register",
    "census file": "the census file",
}


def role_phrase(role: str) -> str:
    """How an error names the input file of this role ('the pool', 'the quota table', ...)."""
    return ROLE_PHRASES.get(role, f"the {role}")


def marker_name() -> str:
    """The file at the top of every result set that marks the folder as sortition's own."""
    return MARKER


def is_result_set(directory: str | os.PathLike[str]) -> bool:
    """Whether `directory` is a folder holding a result set (its marker file)."""
    return os.path.isfile(os.path.join(directory, MARKER))


# ---------------------------------------------------------------------------------------------
# Refusals, checked before any work and again before writing


def check_result_folder(
    directory: str | os.PathLike[str], inputs: InputPaths = None, *, overwrite: bool = False
) -> Path:
    """Refuse an output folder that holds an input, other files, or (without `overwrite`) an
    earlier result set; returns the resolved target. Leftovers of killed runs are recovered."""
    shown = quoted_path(os.fspath(directory))
    target = Path(os.path.realpath(directory))
    for role, path in (inputs or {}).items():
        if path is None:
            continue
        real = Path(os.path.realpath(path))
        hint = "choose a new or empty folder for the results, e.g. --out selection"
        phrase, named = role_phrase(role), quoted_path(os.fspath(path))
        if real == target:
            raise OutputConflict(
                f"the output folder {shown} is {phrase} ({named}); results replace the folder "
                "as a whole and would destroy it",
                hint=hint,
            )
        if target in real.parents:
            raise OutputConflict(
                f"the output folder {shown} holds {phrase} ({named}); results replace the folder "
                "as a whole and would destroy it",
                hint=hint,
            )
    cwd = Path(os.path.realpath(os.getcwd()))
    if target == cwd or target in cwd.parents:
        raise OutputConflict(
            f"the output folder {shown} is or holds the current folder",
            hint="choose a new or empty folder for the results, e.g. --out selection",
        )
    recover_result_set(target)
    if not os.path.lexists(target):
        return target
    if not target.is_dir():
        raise UnwritableFile(
            f"{shown} is a file, not a folder",
            location=Location(file=os.fspath(directory)),
            hint="choose a new or empty folder for the results",
        )
    if _is_empty(target):
        return target
    if not is_result_set(target):
        raise OutputConflict(
            f"the output folder {shown} already holds files that are not a sortition result set",
            hint="choose a new or empty folder for the results",
        )
    if not overwrite:
        raise OutputConflict(
            f"the output folder {shown} already holds earlier results",
            hint="pass --overwrite to replace them as a whole, or choose a new folder",
        )
    return target


def check_output_file(
    path: str | os.PathLike[str], inputs: InputPaths = None, *, overwrite: bool = False
) -> None:
    """Refuse a single output file that is an input, a folder, or (without `overwrite`) exists."""
    shown = quoted_path(os.fspath(path))
    real = os.path.realpath(path)
    for role, source in (inputs or {}).items():
        if source is None:
            continue
        same = real == os.path.realpath(source)
        with contextlib.suppress(OSError):
            same = same or os.path.samefile(path, source)
        if same:
            raise OutputConflict(
                f"writing {shown} would overwrite the {role} {quoted_path(os.fspath(source))}",
                hint="choose another output file name",
            )
    if os.path.isdir(path):
        raise UnwritableFile(
            f"cannot write {shown}: it is a folder",
            location=Location(file=os.fspath(path)),
            hint="give a file name for the output",
        )
    if os.path.lexists(path) and not overwrite:
        raise OutputConflict(
            f"{shown} already exists",
            hint="pass --overwrite to replace it, or choose another file name",
        )


def write_output_file(
    path: str | os.PathLike[str],
    content: bytes,
    inputs: InputPaths = None,
    *,
    overwrite: bool = False,
) -> None:
    """Write one output file all or nothing, after the refusals of `check_output_file`."""
    from sortition.outputs.files import write_files_atomically  # output uses this module's helpers

    check_output_file(path, inputs, overwrite=overwrite)
    target = Path(path)
    write_files_atomically(target.parent, {target.name: content})


# ---------------------------------------------------------------------------------------------
# Writing a set


def write_result_set(
    directory: str | os.PathLike[str],
    files: Mapping[str, bytes],
    inputs: InputPaths = None,
    *,
    overwrite: bool = False,
) -> Path:
    """Write `files` (names relative to the folder, '/'-separated) as one result set into
    `directory`, all or nothing; returns the folder's resolved path."""
    names = [_checked_name(name) for name in files]
    target = check_result_folder(directory, inputs, overwrite=overwrite)
    where = Location(file=os.fspath(directory))
    created = _make_parents(target.parent, where)
    temp: Path | None = None
    old: Path | None = None
    lock: int | None = None
    done = False
    try:
        with signals_raise():
            try:
                temp, lock = _make_temp_folder(target)
                checkpoint("tmp-created")
                for number, (name, content) in enumerate(files.items(), start=1):
                    write_new_file(temp / name, content)
                    checkpoint(f"file-{number}")
                _write_marker(temp, names)
                fsync_tree(temp)
                checkpoint("files-written")
                old = _put_in_place(temp, target)
                temp = None
                if old is not None:
                    checkpoint("moved-in" if ".old-" in old.name else "exchanged")
                    shutil.rmtree(old, ignore_errors=True)  # what is left goes next time
                    old = None
                    checkpoint("old-removed")
                fsync_directory(target.parent)
                done = True
            finally:
                _cleanup(temp, old, target)
                if lock is not None:
                    os.close(lock)
                if not done:
                    for folder in created:
                        with contextlib.suppress(OSError):
                            folder.rmdir()
    except OSError as exc:
        raise UnwritableFile(
            f"cannot write the results to {quoted_path(os.fspath(directory))}: "
            f"{one_line(exc.strerror or str(exc))}",
            location=where,
            hint="check the output folder, its permissions and free space",
        ) from exc
    return target


def recover_result_set(directory: str | os.PathLike[str]) -> None:
    """Tidy the leftovers of killed runs beside `directory`: if the folder is missing, put back a
    complete backup of the earlier set; remove every other leftover (an unfinished new set never
    takes the place of the earlier one: its run did not end)."""
    target = Path(os.path.realpath(directory))
    parent = target.parent
    if not parent.is_dir():
        return
    prefixes = (f".{target.name}.tmp-", f".{target.name}.old-")
    leftovers = sorted(
        (p for p in parent.iterdir() if p.name.startswith(prefixes) and not p.is_symlink()),
        key=lambda p: (".old-" not in p.name, p.name),  # backups first
    )
    for leftover in leftovers:
        if not leftover.is_dir():
            continue
        with unless_locked(leftover) as free:
            if not free:
                continue  # a live writer's
            if ".old-" in leftover.name and not os.path.lexists(target) and _complete(leftover):
                os.rename(leftover, target)  # the earlier set, moved aside by a killed run
            elif is_result_set(leftover):
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    leftover.rmdir()  # killed before its marker: removed only when empty


def _is_empty(folder: Path) -> bool:
    with os.scandir(folder) as entries:
        return not any(True for _ in entries)


def _checked_name(name: str) -> str:
    parts = PurePosixPath(name).parts
    if (
        not parts
        or "\\" in name
        or name.startswith("/")
        or any(part in ("", ".", "..") for part in parts)
        or parts[0] == MARKER
    ):
        raise UnwritableFile(
            f"output file name {quoted(name)} must be a plain relative name",
            hint="write files without '..', absolute paths or the set marker in their names",
        )
    return "/".join(parts)


def _make_parents(parent: Path, where: Location) -> list[Path]:
    """Create `parent` and missing ancestors; return the created ones, deepest first."""
    missing: list[Path] = []
    probe = parent
    while not os.path.lexists(probe) and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        for folder in missing:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise UnwritableFile(
            f"cannot create the folder {quoted_path(str(parent))}: "
            f"{one_line(exc.strerror or str(exc))}",
            location=where,
            hint="check the path and its permissions",
        ) from exc
    return missing


def _make_temp_folder(target: Path) -> tuple[Path, int | None]:
    """A new hidden folder beside the target, marked as ours at once and locked while we live."""
    while True:
        temp = target.parent / f".{target.name}.tmp-{uuid.uuid4().hex[:12]}"
        try:
            os.mkdir(temp)
            break
        except FileExistsError:
            continue
    lock = hold_lock(temp)
    write_new_file(temp / MARKER, _marker_bytes(None))
    return temp, lock


def _marker_bytes(names: list[str] | None) -> bytes:
    record = {"format": MARKER_FORMAT, "version": 1, "complete": names is not None}
    if names is not None:
        record["files"] = sorted(names)
    return (json.dumps(record, indent=2) + "\n").encode("utf-8")


def _write_marker(folder: Path, names: list[str]) -> None:
    """Mark the set complete: the new marker replaces the provisional one in one rename."""
    staged = folder / f"{MARKER}.new"
    write_new_file(staged, _marker_bytes(names))
    os.replace(staged, folder / MARKER)


def _complete(folder: Path) -> bool:
    """Whether `folder` holds a complete set: its marker says so and lists files all present."""
    try:
        record = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        return (
            record.get("complete") is True
            and isinstance(record.get("files"), list)
            and all((folder / name).is_file() for name in record["files"])
        )
    except (OSError, ValueError, TypeError, AttributeError):
        return False


def _put_in_place(temp: Path, target: Path) -> Path | None:
    """Move the complete new set to `target`; returns where the earlier set now is, if any."""
    if not os.path.lexists(target):
        os.rename(temp, target)
        return None
    with contextlib.suppress(OSError):
        shutil.copymode(target, temp)
    if _is_empty(target):
        with contextlib.suppress(OSError):
            os.rename(temp, target)  # replaces an empty folder in one step on POSIX
            return None
    if exchange(temp, target):
        return temp  # the earlier set, now under the temporary name
    backup = target.parent / f".{target.name}.old-{uuid.uuid4().hex[:12]}"
    os.rename(target, backup)
    try:
        checkpoint("backed-up")
        os.rename(temp, target)
    except BaseException:
        if not os.path.lexists(target):
            os.rename(backup, target)
        raise
    return backup


def _cleanup(temp: Path | None, old: Path | None, target: Path) -> None:
    """After a failure: put a backed-up earlier set back, remove the temporaries."""
    if old is not None and not os.path.lexists(target) and ".old-" in old.name:
        with contextlib.suppress(OSError):
            os.rename(old, target)
            old = None
    for folder in (temp, old):
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
