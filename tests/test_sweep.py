"""`sortition sweep`: the grid, real Dask clusters (a LocalCluster of 2 workers, 1 worker, and a
separate scheduler with worker processes) giving identical metrics, resuming after a kill, cell
limits, and refusing a folder that is not a sweep's."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner, Result

from sortition.cli.main import cli
from sortition.errors import InputError
from sortition.research.sweep.cell import MACHINE_COLUMNS
from sortition.research.sweep.grid import read_grid

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_GRID = ROOT / "data" / "samples" / "sweep" / "grid.toml"
SMALL_GRID = """
[sweep]
algorithms = ["maximin", "leximin", "legacy"]

[[generated]]
profiles = ["chile"]
quotas = ["tight"]
pool_sizes = [60]
panel_sizes = [10]
seeds = [1, 2]

[[files]]
name = "small"
pool = "{root}/data/samples/example_small_20/pool.csv"
quotas = "{root}/data/samples/example_small_20/quotas.csv"
panel_size = 20
"""


def invoke(*args: object) -> Result:
    return CliRunner().invoke(cli, ["sweep", *[str(a) for a in args]])


def metrics(folder: Path) -> pd.DataFrame:
    """results.csv without the machine-dependent columns (runtime, memory)."""
    table = pd.read_csv(folder / "results.csv", dtype=str, keep_default_na=False)
    return table.drop(columns=list(MACHINE_COLUMNS))


@pytest.fixture(scope="module")
def grid(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("grid") / "grid.toml"
    path.write_text(SMALL_GRID.format(root=ROOT), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def two_workers(grid: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("runs") / "two"
    result = invoke(grid, "--out", out, "--workers", 2)
    assert result.exit_code == 0, result.output
    assert "9 cells: 9 run now, 0 finished earlier (resumed), 0 not ok." in result.stdout
    return out


def test_the_sample_grid_expands_in_a_fixed_order_with_distinct_keys() -> None:
    cells = read_grid(SAMPLE_GRID)
    assert len(cells) == (2 * 2 * 2 + 1) * 3  # (profiles x sizes x seeds + renca) x algorithms
    assert [c.algorithm for c in cells[:3]] == ["maximin", "leximin", "legacy"]
    assert len({c.key for c in cells}) == len(cells)
    assert read_grid(SAMPLE_GRID) == cells  # the same keys, run after run


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[sweep]\nalgorithms = ["fastest"]\n[[generated]]\n', "unknown 'fastest'"),
        ('[sweep]\nalgorithms = ["maximin"]\n', "no instances"),
        ("[sweep\n", "not valid TOML"),
        (
            '[sweep]\nalgorithms = ["maximin"]\n[[generated]]\nprofiles = ["uk"]\ncolour = 1\n',
            "unknown key 'colour'",
        ),
        (
            '[sweep]\nalgorithms = ["maximin"]\n[[files]]\nname = "x"\npool = "nope.csv"\n',
            "'nope.csv' does not exist",
        ),
    ],
)
def test_a_bad_grid_is_one_located_line_and_writes_nothing(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "grid.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_grid(path)
    result = invoke(path, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "grid.toml" in result.stderr and message in result.stderr
    assert not (tmp_path / "out").exists()


def test_local_cluster_writes_a_tidy_table_parquet_and_plots(two_workers: Path) -> None:
    table = pd.read_csv(two_workers / "results.csv")
    assert len(table) == 9 and set(table["status"]) == {"ok"}
    assert list(table["algorithm"][:3]) == ["maximin", "leximin", "legacy"]  # grid order
    parquet = pd.read_parquet(two_workers / "results.parquet")
    assert list(parquet.columns) == list(table.columns)
    pd.testing.assert_series_equal(parquet["min_probability"], table["min_probability"])
    exact = table[table["algorithm"] != "legacy"]
    assert (exact["label"] == "exact").all()
    maximin = table[table["algorithm"] == "maximin"].set_index("instance")["min_probability"]
    legacy = table[table["algorithm"] == "legacy"].set_index("instance")["min_probability"]
    assert (legacy <= maximin + 1e-9).all()  # nobody beats the maximin optimum
    for plot in ("runtime.png", "fairness.png"):
        assert (two_workers / plot).read_bytes().startswith(b"\x89PNG")


def test_one_worker_gives_the_same_metrics(grid: Path, two_workers: Path, tmp_path: Path) -> None:
    result = invoke(grid, "--out", tmp_path / "one", "--workers", 1, "-q")
    assert result.exit_code == 0, result.output
    pd.testing.assert_frame_equal(metrics(tmp_path / "one"), metrics(two_workers))


@pytest.fixture
def scheduler(tmp_path: Path) -> Iterator[str]:
    """A Dask scheduler and two worker processes of their own, as on a real cluster."""
    file = tmp_path / "scheduler.json"
    python = sys.executable
    processes = [
        subprocess.Popen(
            [
                python,
                "-m",
                "distributed.cli.dask_scheduler",
                "--scheduler-file",
                str(file),
                "--port",
                "0",
                "--dashboard-address",
                ":0",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    try:
        deadline = time.monotonic() + 60
        while not file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(file.read_text(encoding="utf-8"))["address"]
        processes.append(
            subprocess.Popen(
                [
                    python,
                    "-m",
                    "distributed.cli.dask_worker",
                    address,
                    "--nworkers",
                    "2",
                    "--nthreads",
                    "1",
                    "--no-dashboard",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            process.wait(timeout=60)


def test_an_existing_cluster_through_scheduler_gives_the_same_metrics(
    grid: Path, two_workers: Path, tmp_path: Path, scheduler: str
) -> None:
    result = invoke(grid, "--out", tmp_path / "remote", "--scheduler", scheduler, "-q")
    assert result.exit_code == 0, result.output
    pd.testing.assert_frame_equal(metrics(tmp_path / "remote"), metrics(two_workers))


def test_a_killed_sweep_resumes_with_only_the_missing_cells(grid: Path, tmp_path: Path) -> None:
    out = tmp_path / "killed"
    command = [sys.executable, "-m", "sortition", "sweep", str(grid), "--out", str(out)]
    process = subprocess.Popen(
        [*command, "--workers", "1", "-q"], start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    results = out / "results.csv"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if results.exists() and len(results.read_text(encoding="utf-8").splitlines()) >= 3:
            break
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # the sweep and its cluster, mid-run
    process.wait()
    before = pd.read_csv(results)
    assert 2 <= len(before) < 9, "the sweep finished before it could be killed"
    with open(results, "a", encoding="utf-8") as handle:
        handle.write("0123456789abcdef,cut sh")  # a line a kill cut short
    result = invoke(grid, "--out", out, "--workers", 2, "-q")
    assert result.exit_code == 0, result.output
    assert f"{9 - len(before)} run now, {len(before)} finished earlier (resumed)" in result.stdout
    after = pd.read_csv(results).set_index("key")
    assert len(after) == 9
    for _, row in before.iterrows():  # kept as they were, not run again
        assert after.loc[row["key"], "runtime_s"] == row["runtime_s"]


def test_cell_limits_record_the_reason_and_retry_failed_runs_them_again(
    grid: Path, tmp_path: Path
) -> None:
    out = tmp_path / "limited"
    result = invoke(grid, "--out", out, "--workers", 2, "--cell-timeout", 0.05, "-q")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "results.csv")
    assert set(table["status"]) == {"timeout"}  # starting Python alone takes longer
    assert table["reason"].str.contains("cell limit of 0.05 s").all()
    assert "timeout: chile/tight n60 k10 seed 1 / maximin" in result.stdout
    resumed = invoke(grid, "--out", out, "--workers", 2, "-q")
    assert "0 run now, 9 finished earlier" in resumed.stdout
    retried = invoke(grid, "--out", out, "--workers", 2, "--retry-failed", "-q")
    assert "9 run now, 0 finished earlier" in retried.stdout
    assert set(pd.read_csv(out / "results.csv")["status"]) == {"ok"}


def test_a_folder_that_is_not_a_sweep_is_refused(grid: Path, tmp_path: Path) -> None:
    out = tmp_path / "papers"
    out.mkdir()
    (out / "thesis.tex").write_text("mine", encoding="utf-8")
    result = invoke(grid, "--out", out)
    assert result.exit_code == 2
    assert "E203" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["thesis.tex"]
