"""Kill a real draw during its write phase (issue 15): the output folder holds the earlier
complete set or the new complete set, never a mix, and the next run leaves no temporary behind.

The draws run as `python -m sortition select` subprocesses on the Renca sample with MAXIMIN
(about a second each). The test hook SORTITION_TEST_WRITE_PAUSE=STEP (sortition.outputs.atomic)
makes the writer announce the step on stderr and wait there, so the kill lands exactly at that step.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from sortition.outputs.result_set import marker_name, recover_result_set

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

ROOT = Path(__file__).resolve().parent.parent
RENCA = ROOT / "data" / "samples" / "renca"
CENSUS = ROOT / "data" / "samples" / "census2017_rm_communes.csv"
SELECT = ["select", str(RENCA / "pool.csv"), str(RENCA / "quotas.csv"), "-k", "40",
          "--household-columns", "address", "-a", "maximin", "-q"]  # fmt: skip
TIMEOUT = 120
NO_EXCHANGE = {"SORTITION_TEST_NO_EXCHANGE": "1"}

# (step, environment, which complete set the folder holds after a SIGKILL there)
KILL_POINTS = [
    ("tmp-created", {}, "old"),
    ("file-1", {}, "old"),
    ("file-3", {}, "old"),
    ("files-written", {}, "old"),
    ("exchanged", {}, "new"),  # between the exchange and the removal of the earlier set
    ("old-removed", {}, "new"),
    ("backed-up", NO_EXCHANGE, "old"),  # rename fallback: earlier set moved aside, folder missing
    ("moved-in", NO_EXCHANGE, "new"),  # rename fallback: new set in place, backup not removed
]


def sortition(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sortition", *args], capture_output=True, text=True,
        env={**os.environ, **(env or {})}, cwd=ROOT, timeout=TIMEOUT, check=False,
    )  # fmt: skip


def paused(step: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start `sortition ARGS` and return once it waits at `step` of its write phase."""
    environment = {**os.environ, **(env or {}), "SORTITION_TEST_WRITE_PAUSE": step}
    process = subprocess.Popen(
        [sys.executable, "-m", "sortition", *args], stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True, env=environment, cwd=ROOT,
    )  # fmt: skip
    assert process.stderr is not None
    line = process.stderr.readline()  # '' if the process ended without reaching the step
    if line.strip() != f"sortition test hook: paused at {step}":
        process.kill()
        process.wait(TIMEOUT)
        pytest.fail(f"the writer never paused at {step}: {line}{process.stderr.read()}")
    return process


def stop(process: subprocess.Popen, signum: int) -> int:
    process.send_signal(signum)
    code = process.wait(TIMEOUT)
    assert process.stderr is not None
    process.stderr.close()
    return code


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, hidden ones too, by relative path."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def sets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Reference runs: the earlier set (seed A) and the new set (seed B), each complete."""
    base = tmp_path_factory.mktemp("references")
    for name, seed in (("old", "A"), ("new", "B")):
        done = sortition(*SELECT, "--seed", seed, "--out", str(base / name))
        assert done.returncode == 0, done.stderr
    assert snapshot(base / "old") != snapshot(base / "new")
    assert marker_name() in os.listdir(base / "new")
    return {"old": base / "old", "new": base / "new"}


@pytest.mark.parametrize(("step", "env", "holds"), KILL_POINTS, ids=[p[0] for p in KILL_POINTS])
def test_sigkill_at_each_step_leaves_the_old_or_the_new_complete_set(
    sets: dict[str, Path], tmp_path: Path, step: str, env: dict[str, str], holds: str
) -> None:
    out = tmp_path / "selection"
    shutil.copytree(sets["old"], out)
    process = paused(step, *SELECT, "--seed", "B", "--out", str(out), "--overwrite", env=env)
    assert stop(process, signal.SIGKILL) == -signal.SIGKILL
    assert len(os.listdir(tmp_path)) > 1 or step == "old-removed"  # killed mid-write: leftovers
    if step == "backed-up":
        assert not out.exists()  # the fallback's one gap; the next run puts the backup back
        recover_result_set(out)
    assert snapshot(out) == snapshot(sets[holds])

    again = sortition(*SELECT, "--seed", "B", "--out", str(out), "--overwrite", env=env)
    assert again.returncode == 0, again.stderr
    assert snapshot(out) == snapshot(sets["new"])
    assert os.listdir(tmp_path) == ["selection"]  # no temporary file or folder left


def test_a_first_run_killed_leaves_nothing_that_blocks_the_next(
    sets: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "selection"
    process = paused("file-2", *SELECT, "--seed", "B", "--out", str(out))
    assert stop(process, signal.SIGKILL) == -signal.SIGKILL
    assert not out.exists()
    again = sortition(*SELECT, "--seed", "B", "--out", str(out))  # no --overwrite needed
    assert again.returncode == 0, again.stderr
    assert snapshot(out) == snapshot(sets["new"])
    assert os.listdir(tmp_path) == ["selection"]


@pytest.mark.parametrize(("step", "holds"), [("file-2", "old"), ("exchanged", "new")])
def test_sigterm_cleans_up_at_once(
    sets: dict[str, Path], tmp_path: Path, step: str, holds: str
) -> None:
    out = tmp_path / "selection"
    shutil.copytree(sets["old"], out)
    process = paused(step, *SELECT, "--seed", "B", "--out", str(out), "--overwrite")
    assert stop(process, signal.SIGTERM) == -signal.SIGTERM  # still ends by the signal
    assert os.listdir(tmp_path) == ["selection"]  # no temporaries at all, without another run
    assert snapshot(out) == snapshot(sets[holds])


def test_sigint_cleans_up_a_single_file_write(tmp_path: Path) -> None:
    out = tmp_path / "quotas.csv"
    args = ("quotas", str(CENSUS), "--by", "sex", "-k", "10", "--out", str(out))
    process = paused("temp-written", *args)
    assert stop(process, signal.SIGINT) != 0
    assert os.listdir(tmp_path) == []


def test_a_killed_single_file_write_leaves_a_temporary_the_next_write_removes(
    tmp_path: Path,
) -> None:
    out = tmp_path / "quotas.csv"
    args = ("quotas", str(CENSUS), "--by", "sex", "-k", "10", "--out", str(out))
    first = sortition(*args)
    assert first.returncode == 0, first.stderr
    before = out.read_bytes()
    process = paused("temp-written", *args[:5], "12", *args[6:], "--overwrite")
    assert stop(process, signal.SIGKILL) == -signal.SIGKILL
    assert out.read_bytes() == before
    leftovers = [name for name in os.listdir(tmp_path) if name != "quotas.csv"]
    assert len(leftovers) == 1 and leftovers[0].startswith(".quotas.csv.")
    again = sortition(*args[:5], "12", *args[6:], "--overwrite")
    assert again.returncode == 0, again.stderr
    assert os.listdir(tmp_path) == ["quotas.csv"]
    assert out.read_bytes() != before
