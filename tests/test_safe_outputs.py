"""Safe outputs (issue 15): no output replaces an input, result folders are sortition's own and
written all or nothing, earlier results are replaced only with --overwrite, and temporaries never
outlive a run. The kill-during-write test is in test_kill_during_write.py."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sortition.cli.main import cli
from sortition.errors import OutputConflict, UnwritableFile
from sortition.outputs import result_set
from sortition.outputs.files import write_files_atomically
from sortition.outputs.result_set import (
    marker_name,
    recover_result_set,
    write_output_file,
    write_result_set,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
SMALL_POOL = SAMPLES / "example_small_20" / "pool.csv"
SMALL_QUOTAS = SAMPLES / "example_small_20" / "quotas.csv"
RENCA_POOL = SAMPLES / "renca" / "pool.csv"
RENCA_QUOTAS = SAMPLES / "renca" / "quotas.csv"
CENSUS = SAMPLES / "census2017_rm_communes.csv"
# public/ and private/ since issue 15's privacy half
DRAW_FILES = [
    "private/README.txt",
    "private/remaining.csv",
    "private/remaining.xlsx",
    "private/selected.csv",
    "private/selected.xlsx",
    "public/probabilities.csv",
    "public/report.html",
    "public/selection-log.json",
]


def invoke(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def select_small(out: Path, *extra: object) -> Result:
    return invoke("select", SMALL_POOL, SMALL_QUOTAS, "-k", 20, "--seed", 1, "--out", out, *extra)


def files_in(folder: Path) -> list[str]:
    """Every file under `folder` (hidden ones too) by relative '/'-separated path, sorted."""
    return sorted(
        path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too), by relative path."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def refused(result: Result, *words: str) -> str:
    """The one-line E203 refusal of `result` (exit 2, before any progress line)."""
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr  # nothing was computed: no progress line
    assert lines[0].startswith("Error: [E203]"), lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


# ---------------------------------------------------------------------------------------------
# Outputs never touch inputs


def test_issue_scenario_select_into_the_folder_of_its_pool_keeps_the_pool(tmp_path: Path) -> None:
    # cp pool.csv selected.csv && sortition select selected.csv quotas.csv ... --out .
    shutil.copy(RENCA_POOL, tmp_path / "selected.csv")
    result = subprocess.run(
        [sys.executable, "-m", "sortition", "select", "selected.csv", str(RENCA_QUOTAS),
         "-k", "40", "--household-columns", "address", "--seed", "2026", "-a", "maximin",
         "-q", "--out", "."],
        capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("Error: [E203]") and result.stderr.count("\n") == 1
    assert "holds the pool ('selected.csv')" in result.stderr
    assert (tmp_path / "selected.csv").read_bytes() == RENCA_POOL.read_bytes()
    assert os.listdir(tmp_path) == ["selected.csv"]


def test_select_into_a_generated_folder_holding_its_inputs_is_refused_even_with_overwrite(
    tmp_path: Path,
) -> None:
    gen = tmp_path / "gen"
    made = invoke("generate", "--profile", "uk", "-n", 60, "-k", 10, "--out", gen)
    assert made.exit_code == 0, made.output
    before = snapshot(gen)
    result = invoke(
        "select", gen / "pool.csv", gen / "quotas.csv", "-k", 10, "--out", gen, "--overwrite"
    )
    refused(result, "holds the pool")
    assert snapshot(gen) == before


def test_replace_into_the_folder_of_its_log_is_refused(tmp_path: Path) -> None:
    assert select_small(tmp_path / "sel", "-q").exit_code == 0
    (tmp_path / "dropouts.csv").write_text("id\nP001\n", encoding="utf-8")
    before = snapshot(tmp_path / "sel")
    result = invoke(
        "replace", tmp_path / "sel" / "public" / "selection-log.json", "--dropouts",
        tmp_path / "dropouts.csv", "--seed", 7, "--out", tmp_path / "sel", "--overwrite",
    )  # fmt: skip
    refused(result, "holds the selection log")
    assert snapshot(tmp_path / "sel") == before


def test_draw_into_the_folder_of_its_lottery_and_compare_into_its_pool_folder_are_refused(
    tmp_path: Path,
) -> None:
    lottery = tmp_path / "public" / "lottery.json"
    made = invoke("lottery", SMALL_POOL, SMALL_QUOTAS, "-k", 20, "-q", "--out", lottery)
    assert made.exit_code == 0, made.output
    before = lottery.read_bytes()
    drawn = invoke("draw", lottery, "--source", "1 2 3", "--out", tmp_path / "public")
    refused(drawn, "holds the lottery file")
    assert lottery.read_bytes() == before
    shutil.copy(SMALL_POOL, tmp_path / "pool.csv")
    compared = invoke("compare", tmp_path / "pool.csv", SMALL_QUOTAS, "-k", 20, "--out", tmp_path)
    refused(compared, "holds the pool")


@pytest.mark.parametrize("link", ["same", "symlink", "hardlink"])
def test_single_file_outputs_may_not_be_an_input(tmp_path: Path, link: str) -> None:
    census = tmp_path / "census.csv"
    shutil.copy(CENSUS, census)
    out = census
    if link != "same":
        out = tmp_path / "quotas.csv"
        (os.symlink if link == "symlink" else os.link)(census, out)
    result = invoke("quotas", census, "--by", "sex", "-k", 10, "--out", out, "--overwrite")
    refused(result, "would overwrite the census file")
    assert census.read_bytes() == CENSUS.read_bytes()


def test_lottery_check_and_invite_refuse_to_overwrite_their_inputs(tmp_path: Path) -> None:
    pool, quotas = tmp_path / "pool.csv", tmp_path / "quotas.csv"
    shutil.copy(SMALL_POOL, pool)
    shutil.copy(SMALL_QUOTAS, quotas)
    lottery = invoke("lottery", pool, quotas, "-k", 20, "--out", pool, "--overwrite")
    refused(lottery, "would overwrite the pool")
    check = invoke("check", pool, quotas, "-k", 20, "--write-corrected", quotas, "--overwrite")
    refused(check, "would overwrite the quota table")
    invite = invoke("invite", pool, "-n", 2, "--out", tmp_path / "i.csv", "--log", pool)
    refused(invite, "would overwrite the register")
    assert pool.read_bytes() == SMALL_POOL.read_bytes()
    assert quotas.read_bytes() == SMALL_QUOTAS.read_bytes()
    assert sorted(os.listdir(tmp_path)) == ["pool.csv", "quotas.csv"]


# ---------------------------------------------------------------------------------------------
# Result folders are ours: new, empty, or an earlier set replaced only with --overwrite


def test_a_second_select_is_refused_and_overwrite_replaces_the_whole_set(tmp_path: Path) -> None:
    out = tmp_path / "sel"
    first = select_small(out, "--reserves", 2, "-q")
    assert first.exit_code == 0, first.output
    assert files_in(out) == sorted(
        [*DRAW_FILES, "private/reserves.csv", "private/reserves.xlsx", marker_name()]
    )
    before = snapshot(out)
    again = invoke("select", SMALL_POOL, SMALL_QUOTAS, "-k", 20, "--seed", 2, "--out", out)
    line = refused(again, "already holds earlier results")
    assert "--overwrite" in line
    assert snapshot(out) == before
    replaced = invoke(
        "select", SMALL_POOL, SMALL_QUOTAS, "-k", 20, "--seed", 2, "-q", "--out", out,
        "--overwrite",
    )  # fmt: skip
    assert replaced.exit_code == 0, replaced.output
    fresh = invoke("select", SMALL_POOL, SMALL_QUOTAS, "-k", 20, "--seed", 2, "-q", "--out",
                   tmp_path / "fresh")  # fmt: skip
    assert fresh.exit_code == 0, fresh.output
    assert snapshot(out) == snapshot(tmp_path / "fresh")  # no stale reserves.csv
    assert "private/reserves.csv" not in files_in(out)
    assert sorted(os.listdir(tmp_path)) == ["fresh", "sel"]  # no temporaries left


def test_following_the_readme_a_second_draw_into_selection_is_refused(tmp_path: Path) -> None:
    lottery = tmp_path / "lottery.json"
    assert (
        invoke("lottery", SMALL_POOL, SMALL_QUOTAS, "-k", 20, "-q", "--out", lottery).exit_code == 0
    )
    args = ("draw", lottery, "--source", "17 20 22", "--out", tmp_path / "selection")
    assert invoke(*args).exit_code == 0
    before = snapshot(tmp_path / "selection")
    refused(invoke(*args), "already holds earlier results")
    assert snapshot(tmp_path / "selection") == before
    again = invoke(*args, "--overwrite")
    assert again.exit_code == 0, again.output
    assert snapshot(tmp_path / "selection") == before  # same lottery and numbers: same draw


def test_a_folder_holding_other_files_is_refused_even_with_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep", encoding="utf-8")
    line = refused(select_small(out, "--overwrite"), "not a sortition result set")
    assert "new or empty folder" in line
    assert os.listdir(out) == ["notes.txt"]


def test_an_empty_folder_is_used_and_the_current_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    assert select_small(out, "-q").exit_code == 0
    assert files_in(out) == sorted([*DRAW_FILES, marker_name()])
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    refused(select_small(Path("."), "-q"), "is or holds the current folder")
    assert os.listdir(here) == []


def test_panels_are_one_result_set(tmp_path: Path) -> None:
    out = tmp_path / "panels"
    result = invoke("select", SMALL_POOL, SMALL_QUOTAS, "-k", 20, "--panels", 2, "--seed", 3,
                    "-q", "--out", out)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(out)) == sorted([marker_name(), "panel-1", "panel-2"])
    assert files_in(out / "panel-2") == DRAW_FILES
    marker = json.loads((out / marker_name()).read_text(encoding="utf-8"))
    assert marker["complete"] is True and len(marker["files"]) == 2 * len(DRAW_FILES)
    refused(invoke("select", SMALL_POOL, SMALL_QUOTAS, "-k", 20, "--panels", 3, "--out", out))


def test_an_existing_single_output_file_needs_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "quotas.csv"
    args = ("quotas", CENSUS, "--by", "sex", "-k", 10, "--out", out)
    assert invoke(*args).exit_code == 0
    first = out.read_bytes()
    refused(invoke(*args[:5], 12, *args[6:]), "already exists")
    assert out.read_bytes() == first
    assert invoke(*args[:5], 12, *args[6:], "--overwrite").exit_code == 0
    assert out.read_bytes() != first
    assert os.listdir(tmp_path) == ["quotas.csv"]


# ---------------------------------------------------------------------------------------------
# Temporaries: leftovers of killed runs, signals, the rename fallback


def test_leftovers_of_killed_runs_are_removed_by_the_next_write(tmp_path: Path) -> None:
    stale = tmp_path / ".sel.tmp-0123456789ab"
    stale.mkdir()
    (stale / marker_name()).write_text('{"complete": false}', encoding="utf-8")
    (stale / "selected.csv").write_text("id,email\nP001,someone@example.org\n", encoding="utf-8")
    empty = tmp_path / ".sel.tmp-ba9876543210"
    empty.mkdir()  # killed between mkdir and its marker
    foreign = tmp_path / ".sel.tmp-not-ours"
    foreign.mkdir()
    (foreign / "data.txt").write_text("not ours", encoding="utf-8")
    file_temp = tmp_path / f".quotas.csv.{'a' * 32}.tmp"
    file_temp.write_text("id,email\nP001,someone@example.org\n", encoding="utf-8")
    assert select_small(tmp_path / "sel", "-q").exit_code == 0
    assert sorted(os.listdir(tmp_path)) == sorted([foreign.name, file_temp.name, "sel"])
    write_output_file(tmp_path / "quotas.csv", b"feature,value,min,max\n")
    assert sorted(os.listdir(tmp_path)) == sorted([foreign.name, "quotas.csv", "sel"])


@pytest.mark.skipif(sys.platform == "win32", reason="advisory locks")
def test_a_live_writers_temporary_folder_is_left_alone(tmp_path: Path) -> None:
    import fcntl

    live = tmp_path / ".sel.tmp-0123456789ab"
    live.mkdir()
    (live / marker_name()).write_text('{"complete": false}', encoding="utf-8")
    fd = os.open(live, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        recover_result_set(tmp_path / "sel")
        assert live.is_dir()
    finally:
        os.close(fd)
    recover_result_set(tmp_path / "sel")
    assert not live.exists()


@pytest.mark.parametrize("exchange", [True, False])
def test_overwrite_with_and_without_the_exchange_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    if not exchange:
        monkeypatch.setenv("SORTITION_TEST_NO_EXCHANGE", "1")
    out = tmp_path / "out"
    write_result_set(out, {"a.csv": b"1\n", "sub/b.csv": b"2\n"})
    with pytest.raises(OutputConflict, match="earlier results"):
        write_result_set(out, {"c.csv": b"3\n"})
    write_result_set(out, {"c.csv": b"3\n"}, overwrite=True)
    assert sorted(snapshot(out)) == sorted([marker_name(), "c.csv"])
    assert os.listdir(tmp_path) == ["out"]


def test_a_missing_folder_gets_its_backup_back(tmp_path: Path) -> None:
    write_result_set(tmp_path / "made", {"a.csv": b"1\n"})
    before = snapshot(tmp_path / "made")
    # a run of the rename fallback killed after moving the earlier set aside
    (tmp_path / "made").rename(tmp_path / ".out.old-0123456789ab")
    write_result_set(tmp_path / ".out.tmp-ba9876543210", {"b.csv": b"2\n"})  # its new set
    recover_result_set(tmp_path / "out")
    assert sorted(os.listdir(tmp_path)) == ["out"]
    assert snapshot(tmp_path / "out") == before


def test_sigterm_during_the_write_leaves_no_temporaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_result_set(out, {"a.csv": b"old\n"})
    before = snapshot(out)
    seen: list[int] = []

    def stop_at(step: str) -> None:
        if step == "file-2":
            os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(result_set, "checkpoint", stop_at)
    previous = signal.signal(signal.SIGTERM, lambda signum, _frame: seen.append(signum))
    try:
        with pytest.raises(SystemExit) as stopped:
            write_result_set(out, {"a.csv": b"new\n", "b.csv": b"new\n", "c.csv": b"x"},
                             overwrite=True)  # fmt: skip
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert stopped.value.code == 128 + signal.SIGTERM
    assert seen == [signal.SIGTERM]  # delivered again to the earlier handler after cleanup
    assert snapshot(out) == before
    assert os.listdir(tmp_path) == ["out"]


def test_sigint_during_a_single_file_write_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "sortition.outputs.files.checkpoint", lambda step: os.kill(os.getpid(), signal.SIGINT)
    )
    with pytest.raises(KeyboardInterrupt):
        write_files_atomically(tmp_path, {"a.csv": b"1", "b.csv": b"2"})
    assert os.listdir(tmp_path) == []


def test_result_file_names_are_plain_relative_paths(tmp_path: Path) -> None:
    for name in ("../escape.csv", "/abs.csv", "a/../b.csv", marker_name(), "a\\b.csv"):
        with pytest.raises(UnwritableFile):
            write_result_set(tmp_path / "out", {name: b"x"})
    assert os.listdir(tmp_path) == []
