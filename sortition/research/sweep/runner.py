"""Running a sweep's cells as Dask tasks, keeping every finished row, resuming where it stopped.

Dask distributed does the scheduling: a `LocalCluster` with one single-threaded worker process
per core by default, or any running cluster given by its scheduler address (its workers only need
this package installed). Each cell is one task (`cell.run_isolated`), its row appended to
OUT/results.csv (flushed and fsynced) as soon as it finishes, so a killed sweep keeps what it did:
the next run reads the finished keys and submits only the missing cells. At the end the table is
rewritten in grid order (so it does not depend on which worker finished first), with
results.parquet and the plots, all or nothing.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sortition.errors import Location, OutputConflict, UnwritableFile
from sortition.outputs.files import write_files_atomically
from sortition.research.sweep.cell import ROW_COLUMNS, Limits, run_isolated, status_row
from sortition.research.sweep.grid import Cell, read_grid
from sortition.research.sweep.plots import fairness_plot, runtime_plot
from sortition.text import quoted_path

MARKER = "sweep.json"  # says a folder holds a sweep, so a rerun may resume it
RESULTS = "results.csv"
OUTPUT_FILES = (RESULTS, "results.parquet", "runtime.png", "fairness.png")
INTEGER_COLUMNS = ("pool_size", "panel_size", "features", "groups", "num_panels")
FLOAT_COLUMNS: tuple[str, ...] = (
    "household_share", "gap", "min_probability", "max_probability", "gini", "geometric_mean",
    "share_below_fair", "entropy_bits", "runtime_s", "peak_memory_mb",
)  # fmt: skip


@dataclass(frozen=True)
class SweepRequest:
    grid_path: str
    out_dir: str
    scheduler: str | None = None  # address of a running Dask scheduler; None: a LocalCluster
    workers: int | None = None  # LocalCluster worker processes; None: one per core
    limits: Limits = field(default_factory=Limits)
    retry_failed: bool = False  # run again the cells an earlier run recorded as not ok


@dataclass(frozen=True)
class SweepResult:
    rows: tuple[dict[str, Any], ...]  # one per distinct cell, in grid order
    resumed: int  # cells finished by an earlier run and skipped
    ran: int
    failures: int  # rows whose status is not "ok"
    files: tuple[str, ...]


# done, total, failures: after every finished cell
Progress = Callable[[int, int, int], None]


def run_sweep(request: SweepRequest, progress: Progress | None = None) -> SweepResult:
    """Run every cell of the grid not finished yet in OUT, then write the table and plots."""
    cells = _distinct(read_grid(request.grid_path))
    out = Path(request.out_dir)
    _prepare(out, request.grid_path)
    finished = read_rows(out / RESULTS)
    wanted = {cell.key for cell in cells}
    finished = {
        key: row
        for key, row in finished.items()
        if key in wanted and not (request.retry_failed and row["status"] != "ok")
    }
    todo = [cell for cell in cells if cell.key not in finished]
    resumed = len(cells) - len(todo)
    failures = sum(row["status"] != "ok" for row in finished.values())
    if progress is not None:
        progress(resumed, len(cells), failures)
    if todo:
        with _client(request) as client:
            for row in _rows_as_completed(client, todo, request.limits):
                _append(out / RESULTS, row)
                finished[row["key"]] = row
                failures += row["status"] != "ok"
                if progress is not None:
                    progress(len(finished), len(cells), failures)
    rows = tuple(finished[cell.key] for cell in cells)
    write_files_atomically(out, final_files(rows))
    return SweepResult(rows, resumed, len(todo), failures, OUTPUT_FILES)


def final_files(rows: tuple[dict[str, Any], ...]) -> dict[str, bytes]:
    """results.csv (grid order), results.parquet and the two plots."""
    frame = _frame(rows)
    parquet = io.BytesIO()
    frame.to_parquet(parquet, index=False, engine="pyarrow")
    return {
        RESULTS: _csv_bytes(rows),
        "results.parquet": parquet.getvalue(),
        "runtime.png": runtime_plot(frame),
        "fairness.png": fairness_plot(frame),
    }


def _frame(rows: tuple[dict[str, Any], ...]) -> Any:
    import pandas as pd

    frame = pd.DataFrame([[row[c] for c in ROW_COLUMNS] for row in rows], columns=ROW_COLUMNS)
    for column in INTEGER_COLUMNS:
        frame[column] = frame[column].astype("Int64")
    for column in FLOAT_COLUMNS:
        frame[column] = frame[column].astype("float64")
    return frame


def _distinct(cells: tuple[Cell, ...]) -> list[Cell]:
    """The cells once each (a grid may name the same cell twice), in grid order."""
    seen: dict[str, Cell] = {}
    for cell in cells:
        seen.setdefault(cell.key, cell)
    return list(seen.values())


def _rows_as_completed(client: Any, cells: list[Cell], limits: Limits) -> Iterator[dict[str, Any]]:
    from dask.distributed import as_completed

    futures = {
        client.submit(
            run_isolated, cell, limits, key=f"sortition-cell-{cell.key}", pure=False
        ): cell
        for cell in cells
    }
    for future in as_completed(futures):  # type: ignore[no-untyped-call]
        cell = futures[future]
        try:
            yield future.result()
        except Exception as error:  # a worker lost, a cell that could not be shipped, ...
            yield status_row(cell, "failed", f"{type(error).__name__}: {error}")


@contextmanager
def _client(request: SweepRequest) -> Iterator[Any]:
    from dask.distributed import Client, LocalCluster

    if request.scheduler is not None:
        with Client(request.scheduler, timeout="30s") as client:  # type: ignore[no-untyped-call]
            yield client
        return
    workers = request.workers or os.cpu_count() or 1
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # a free port: never clashes with another cluster
            memory_limit=0,  # cells have their own limit (Limits.memory_mb)
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        yield client


def _prepare(out: Path, grid_path: str) -> None:
    """A new or empty folder becomes a sweep folder; a sweep folder is resumed; anything else
    is refused (it may hold someone's files)."""
    if out.exists() and not out.is_dir():
        raise UnwritableFile(
            f"{quoted_path(str(out))} is a file, not a folder",
            location=Location(file=str(out)),
            hint="choose a new folder for the sweep",
        )
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise OutputConflict(
            f"the folder {quoted_path(str(out))} holds other files than a sweep's",
            hint="choose a new or empty folder, or the folder of the sweep to resume",
        )
    if (out / MARKER).is_file():
        return
    marker = {"sortition_sweep": 1, "grid": Path(grid_path).name}
    header = ",".join(ROW_COLUMNS) + "\n"
    write_files_atomically(
        out, {MARKER: json.dumps(marker).encode("utf-8") + b"\n", RESULTS: header.encode()}
    )


def read_rows(path: Path) -> dict[str, dict[str, Any]]:
    """The finished rows of results.csv by key. A last line cut short by a kill is dropped
    (and cut off the file, so appending goes on from a whole line)."""
    if not path.is_file():
        return {}
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        data = data[: data.rfind(b"\n") + 1]
        write_files_atomically(path.parent, {path.name: data})
    rows: dict[str, dict[str, Any]] = {}
    reader = csv.DictReader(io.StringIO(data.decode("utf-8")))
    for raw in reader:
        if set(raw) != set(ROW_COLUMNS) or None in raw.values():
            continue
        rows[raw["key"]] = _typed(raw)
    return rows


def _typed(raw: dict[str, str]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for column in ROW_COLUMNS:
        text = raw[column]
        if column in INTEGER_COLUMNS:
            row[column] = int(text) if text else None
        elif column in FLOAT_COLUMNS:
            row[column] = float(text) if text else None
        else:
            row[column] = text
    return row


def _line(row: dict[str, Any]) -> str:
    buffer = io.StringIO()
    cells = ["" if row[c] is None else repr(row[c]) if isinstance(row[c], float) else row[c]
             for c in ROW_COLUMNS]  # fmt: skip
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()


def _csv_bytes(rows: tuple[dict[str, Any], ...]) -> bytes:
    return (",".join(ROW_COLUMNS) + "\n" + "".join(_line(row) for row in rows)).encode("utf-8")


def _append(path: Path, row: dict[str, Any]) -> None:
    with open(path, "a", encoding="utf-8", newline="") as handle:
        handle.write(_line(row))
        handle.flush()
        os.fsync(handle.fileno())
