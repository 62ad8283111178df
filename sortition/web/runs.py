"""Runs: one folder per draw (or verification) under the work directory, named by a random id.

Nothing from a request names a path directly: run ids must match `RUN_ID` (32 hex digits, made
by `secrets`), uploaded files are stored under fixed names chosen by role (`INPUT_ROLES`), and
output files are served only by the names in `OUTPUT_NAMES`. Several browser tabs each get
their own run, so their files never mix.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sortition.outputs.files import write_file_atomically
from sortition.outputs.result_set import is_result_set, marker_name

RUN_ID = re.compile(r"[0-9a-f]{32}")
RUN_KINDS = ("draw", "verify", "tables", "invite")
# role -> the file types accepted for it; stored as inputs/<role><suffix>
INPUT_ROLES: dict[str, tuple[str, ...]] = {
    "pool": (".csv", ".xlsx"),
    "quotas": (".csv", ".xlsx"),
    "population": (".csv", ".xlsx"),  # optional: population per quota value (self-selection)
    "history": (".csv", ".xlsx"),  # optional: earlier selections (id, process, date): cooldown
    "log": (".json",),
    "lottery": (".json",),
    "original": (".json",),  # verifying a replacement: the original draw's log
    "after": (".json",),  # verifying a later replacement: the log of the one before
    "dropouts": (".csv",),
    "panel": (".csv", ".xlsx"),  # a panel to seat at tables (else the run's drawn panel)
    "census": (".csv", ".xlsx"),  # census counts for the quota page (else the bundled census)
    "register": (".csv",),  # an address or resident register to draw invitations from
    "together": (".csv", ".xlsx"),  # seating: keep-together groups
    "apart": (".csv", ".xlsx"),  # seating: keep-apart pairs
    "earlier": (".csv", ".xlsx"),  # seating: tables.csv of the rounds already held
}
# the output files a browser may fetch one by one, wherever the result set keeps them
OUTPUT_NAMES = (
    "report.html",
    "selection-log.json",
    "probabilities.csv",
    "selected.csv",
    "selected.xlsx",
    "remaining.csv",
    "remaining.xlsx",
    "reserves.csv",
    "reserves.xlsx",
    "replacements.csv",
    "replacements.xlsx",
    "lottery.json",
    "quotas-corrected.csv",
    "tables.csv",
    "members.csv",
    "members.xlsx",
    "summary.csv",
    "repeats.csv",
    "invitations.csv",
    "invitations.xlsx",
    "invitations-log.json",
)
ROUND_PAGE = re.compile(r"round-[1-9][0-9]{0,2}\.html")  # a seating's printable pages
OUTPUT_FOLDERS = ("", "public", "private")
MAX_REPLACEMENT_WAVES = 20  # waves of dropouts one run can replace, each in its own folder
REPLACEMENT_FOLDERS = (
    "replacement",
    *(f"replacement-{wave}" for wave in range(2, MAX_REPLACEMENT_WAVES + 1)),
)
RESULT_FOLDERS = ("output", *REPLACEMENT_FOLDERS, "tables", "invite")
_BINARY_MAGIC = (b"PK\x03\x04", b"%PDF", b"\x7fELF", b"MZ", b"\xd0\xcf\x11\xe0", b"\x89PNG")


class RunNotFound(Exception):
    """The run id is malformed or names no run (its `reason` says which)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "malformed" or "missing"


class UploadRefused(Exception):
    """An uploaded file failed the content check; `key` names the message, `fields` its values."""

    def __init__(self, key: str, **fields: str) -> None:
        super().__init__(key)
        self.key = key
        self.fields = fields


def check_upload(role: str, filename: str, data: bytes) -> str:
    """The stored suffix of an upload for `role`, after checking its type and content."""
    suffixes = INPUT_ROLES[role]
    suffix = Path(filename).suffix.lower()
    if suffix not in suffixes:
        raise UploadRefused("upload.bad_type", file=filename, types=", ".join(suffixes))
    if not data.strip():
        raise UploadRefused("upload.empty", file=filename)
    if suffix == ".xlsx":
        if not data.startswith(b"PK\x03\x04"):
            raise UploadRefused("upload.not_xlsx", file=filename)
    elif suffix == ".json":
        try:
            record = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise UploadRefused("upload.not_json", file=filename) from None
        if not isinstance(record, dict):
            raise UploadRefused("upload.not_json", file=filename)
    else:
        head = data[:4096]
        if head.startswith(_BINARY_MAGIC) or head.count(b"\x00") > len(head) // 100:
            raise UploadRefused("upload.not_csv", file=filename)
    return suffix


@dataclass(frozen=True)
class Run:
    """One run's folder: inputs/, output/ (a result set), lottery.json and small JSON states."""

    id: str
    path: Path

    @property
    def inputs(self) -> Path:
        return self.path / "inputs"

    @property
    def output(self) -> Path:
        return self.path / "output"

    @property
    def lottery(self) -> Path:
        return self.path / "lottery.json"

    def read_state(self, name: str) -> dict[str, Any]:
        """A small JSON state file of the run (settings, parsed, check, job...); {} if none."""
        return read_json_object(self.path / f"{_state_name(name)}.json") or {}

    def write_state(self, name: str, value: dict[str, Any]) -> None:
        data = json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8")
        write_file_atomically(self.path / f"{_state_name(name)}.json", data)

    def clear_state(self, *names: str) -> None:
        for name in names:
            with contextlib.suppress(FileNotFoundError):
                (self.path / f"{_state_name(name)}.json").unlink()

    def save_upload(self, role: str, filename: str, data: bytes) -> Path:
        """Store an upload under its role's fixed name (replacing an earlier one of the role)."""
        suffix = check_upload(role, filename, data)
        self.inputs.mkdir(mode=0o700, exist_ok=True)
        for other in INPUT_ROLES[role]:
            with contextlib.suppress(FileNotFoundError):
                (self.inputs / f"{role}{other}").unlink()
        target = self.inputs / f"{role}{suffix}"
        write_file_atomically(target, data)
        names = self.read_state("names")
        names[role] = Path(filename).name[:200]
        self.write_state("names", names)
        return target

    def store_upload(self, role: str, upload: tuple[str, bytes]) -> bool:
        """`save_upload`, or, when the content check refuses the file, its reason kept as the
        'uploaderror' state for the page to show (False)."""
        try:
            self.save_upload(role, *upload)
        except UploadRefused as refused:
            self.write_state("uploaderror", {"key": refused.key, "fields": refused.fields})
            return False
        return True

    def input_path(self, role: str) -> Path | None:
        """The stored upload of `role`, if any."""
        for suffix in INPUT_ROLES[role]:
            path = self.inputs / f"{role}{suffix}"
            if path.is_file():
                return path
        return None

    def display_name(self, role: str) -> str:
        """The name the file had on the organizer's computer."""
        path = self.input_path(role)
        fallback = path.name if path is not None else role
        return str(self.read_state("names").get(role, fallback))

    def output_file(self, name: str, folder: str = "output") -> Path | None:
        """An output file by its allowed name, searched in the folders of the result set
        `folder` ('output': the draw; 'replacement', 'replacement-2'...: the replacements after
        each wave of dropouts; 'tables': the seating at tables; 'invite': the invitations drawn
        from a register)."""
        allowed = name in OUTPUT_NAMES or ROUND_PAGE.fullmatch(name) is not None
        if not allowed or folder not in RESULT_FOLDERS:
            return None
        if name == "lottery.json":
            return self.lottery if self.lottery.is_file() else None
        if name == "quotas-corrected.csv":
            path = self.path / name
            return path if path.is_file() else None
        for sub in OUTPUT_FOLDERS:
            path = self.path / folder / sub / name
            if path.is_file() and not path.is_symlink():
                return path
        return None

    def has_output(self) -> bool:
        return is_result_set(self.output)

    def replacement_waves(self) -> list[str]:
        """The folders of the replacements drawn so far, one per wave of dropouts, in order
        ('replacement', 'replacement-2', ...)."""
        waves: list[str] = []
        for folder in REPLACEMENT_FOLDERS:
            if not is_result_set(self.path / folder):
                break
            waves.append(folder)
        return waves

    @property
    def tables(self) -> Path:
        return self.path / "tables"

    def has_seating(self) -> bool:
        return is_result_set(self.tables)

    @property
    def invite(self) -> Path:
        return self.path / "invite"

    def has_invitations(self) -> bool:
        return is_result_set(self.invite)

    def archive_members(self) -> dict[str, Path]:
        """Every output file for the zip: the result set (without its marker) and lottery.json,
        by path inside the archive; symbolic links and hidden files are left out."""
        members: dict[str, Path] = {}
        for folder in RESULT_FOLDERS:
            top = self.path / folder
            if not is_result_set(top):
                continue
            prefix = "" if folder == "output" else f"{folder}/"
            for root, dirs, files in os.walk(top, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for file in sorted(files):
                    path = Path(root) / file
                    if file.startswith(".") or file == marker_name() or path.is_symlink():
                        continue
                    members[prefix + path.relative_to(top).as_posix()] = path
        if self.lottery.is_file():
            members["lottery.json"] = self.lottery
        return members

    def created(self) -> float:
        return float(self.read_state("run").get("created", 0.0))

    def kind(self) -> str:
        return str(self.read_state("run").get("kind", "draw"))


def read_json_object(path: Path) -> dict[str, Any] | None:
    """The JSON object a run's file holds (state, log, lottery); None if the file is missing,
    unreadable, not JSON or not an object: pages then show what they can without it."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _state_name(name: str) -> str:
    if not re.fullmatch(r"[a-z]+", name):
        raise ValueError(f"bad state name {name!r}")
    return f"state-{name}"


class RunStore:
    """The runs of one work directory (WORKDIR/runs/<id>/), readable by this user only."""

    def __init__(self, workdir: Path) -> None:
        self.root = workdir / "runs"
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)

    def new(self, kind: str) -> Run:
        """A fresh run with a random id."""
        if kind not in RUN_KINDS:
            raise ValueError(f"unknown run kind {kind!r}")
        run_id = secrets.token_hex(16)
        path = self.root / run_id
        path.mkdir(mode=0o700)
        run = Run(run_id, path)
        run.write_state("run", {"kind": kind, "created": time.time()})
        return run

    def open(self, run_id: str) -> Run:
        """The run named by `run_id`, which must be 32 hex digits and exist."""
        if not RUN_ID.fullmatch(run_id):
            raise RunNotFound("malformed")
        path = self.root / run_id
        if not path.is_dir() or path.is_symlink():
            raise RunNotFound("missing")
        return Run(run_id, path)

    def all(self) -> list[Run]:
        """Every run, newest first."""
        runs = [
            Run(entry.name, Path(entry.path))
            for entry in os.scandir(self.root)
            if RUN_ID.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False)
        ]
        return sorted(runs, key=lambda run: run.created(), reverse=True)

    def delete(self, run: Run) -> None:
        """Remove the run's folder and every file in it."""
        shutil.rmtree(run.path, ignore_errors=True)
