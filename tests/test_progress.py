"""Progress while an algorithm runs: statuses from the master LP (never changing the result),
a rich bar on a terminal that is gone before the results are printed, plain lines otherwise."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

import sortition.cli.progress_display as display_module
from sortition.algorithms import solve
from sortition.cli.progress_display import ProgressDisplay
from sortition.options import SolveOptions, Status
from sortition.research.synthetic import synthetic_instance

ROOT = Path(__file__).resolve().parent.parent
RENCA = ROOT / "data" / "samples" / "renca"


def test_status_describes_level_bound_and_gap() -> None:
    status = Status("leximin stage 3", 0.25, 0.03, 0.04)
    assert status.describe() == "leximin stage 3: level 0.030000, bound 0.040000 (gap 25.00%)"
    assert Status("maximin").describe() == "maximin"
    assert "bound" not in Status("maximin", None, 0.1, float("inf")).describe()


@pytest.mark.parametrize("name", ["maximin", "leximin"])
def test_statuses_come_during_the_run_end_with_none_and_change_nothing(name: str) -> None:
    instance = synthetic_instance(120, 12, 4, seed=3)
    statuses: list[Status | None] = []
    lines: list[str] = []
    heard = SolveOptions(progress=lines.append, status=statuses.append)
    with_progress = solve(name, instance, rng=np.random.default_rng(0), options=heard)
    silent = solve(name, instance, rng=np.random.default_rng(0), options=SolveOptions())
    assert np.array_equal(with_progress.compositions, silent.compositions)
    assert np.array_equal(with_progress.probabilities, silent.probabilities)
    assert statuses[-1] is None and len(statuses) > 2
    during = [s for s in statuses if s is not None]
    assert all(s.phase.startswith(name) for s in during)
    realizing = [s for s in during if s.phase.startswith("leximin: share")]
    # a stage's status carries its proven bound; the realization's share has none worth showing
    assert all(s.level is not None for s in during)
    assert all(s.bound is not None for s in during if s not in realizing)
    assert all(s.bound is None for s in realizing)
    if name == "leximin":  # stages report the share of groups done; one realization does not
        dones = [s.done for s in during if s.phase.startswith("leximin stage")]
        assert dones or realizing
        if dones:
            assert dones == sorted(dones) and dones[0] == 0.0
            assert all(d is not None for d in dones)


def test_terminal_bar_shows_the_status_and_goes_away() -> None:
    buffer = io.StringIO()
    display = ProgressDisplay(Console(file=buffer, force_terminal=True, width=120))
    display.status(Status("leximin stage 2", 0.5, 0.0297, 0.0301))
    display.line("leximin stage 2: 3 group(s) fixed")
    assert display._bar is not None
    display.status(None)
    assert display._bar is None
    text = buffer.getvalue()
    assert "leximin stage 2: level 0.029700, bound 0.030100" in text
    assert "3 group(s) fixed" in text


def test_plain_lines_at_most_every_interval(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = iter([0.0, 3.0, 10.0, 11.0, 12.0, 25.0])
    monkeypatch.setattr(display_module.time, "monotonic", lambda: next(clock))
    display = ProgressDisplay()
    assert not display.terminal  # pytest captures stderr: not a terminal
    for level in (0.01, 0.02, 0.03, 0.04, 0.05):
        display.status(Status("maximin", None, level, 0.1))
    display.status(None)
    lines = capsys.readouterr().err.splitlines()
    assert lines == [  # nothing in the first 10 s: short runs stay quiet
        "maximin: level 0.020000, bound 0.100000 (gap 80.00%) [10 s]",
        "maximin: level 0.050000, bound 0.100000 (gap 50.00%) [25 s]",
    ]


def test_search_lines_at_most_every_interval_even_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`every` (the seating search's lines): quiet for the first interval, then one line per
    interval, on a terminal too (the search has no bar)."""
    clock = iter([0.0, 4.0, 10.5, 15.0, 21.0])
    monkeypatch.setattr(display_module.time, "monotonic", lambda: next(clock))
    display = ProgressDisplay(Console(file=io.StringIO(), force_terminal=True))
    assert display.terminal
    for step in (32, 64, 96, 128):
        display.every(f"search step {step}")
    assert capsys.readouterr().err.splitlines() == [
        "search step 64 [10 s]",
        "search step 128 [21 s]",
    ]


def test_a_real_terminal_gets_a_bar_and_stdout_stays_clean(tmp_path: Path) -> None:
    """`sortition select` in a subprocess with stderr on a pseudo-terminal: the bar is drawn
    there; stdout (a pipe) holds the results only, with no terminal codes."""
    main, secondary = pty.openpty()
    command = [sys.executable, "-m", "sortition", "select", RENCA / "pool.csv"]
    command += [RENCA / "quotas.csv", "-k", "40", "--household-columns", "address"]
    command += ["--seed", "5", "--out", tmp_path / "out"]
    env = {**os.environ, "COLUMNS": "160"}
    process = subprocess.Popen(
        [str(part) for part in command], stdout=subprocess.PIPE, stderr=secondary, env=env
    )
    os.close(secondary)
    terminal = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the subprocess closed the terminal
            break
        if not chunk:
            break
        terminal += chunk
    stdout, _ = process.communicate(timeout=300)
    os.close(main)
    assert process.returncode == 0
    text = terminal.decode("utf-8", "replace")
    # a bar, redrawn in place: the stage's, or the realization's of the relaxation's leximin
    assert re.search(r"leximin( stage 1|: share[^\r\n]*): level", text) and "\x1b[" in text
    assert b"\x1b[" not in stdout
    assert b"Selected 40 of" in stdout
