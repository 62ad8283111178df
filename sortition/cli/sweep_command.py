"""`sortition sweep`: run a grid of instances x algorithms on Dask
(see sortition/research/sweep/)."""

from __future__ import annotations

import sys
import time

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from sortition.cli.errors import user_errors
from sortition.cli.help_language import LocalizedCommand
from sortition.cli.shared import quiet_option
from sortition.errors import UsageError
from sortition.research.sweep.cell import Limits
from sortition.research.sweep.runner import SweepRequest, SweepResult, run_sweep


@click.command("sweep", cls=LocalizedCommand)
@click.argument("grid", type=click.Path(dir_okay=False))
@click.option("--out", "out_dir", required=True, help="New folder, or the folder of a sweep to "
              "resume (finished cells are kept and skipped).")  # fmt: skip
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="A running Dask scheduler, e.g. tcp://host:8786 (default: local).")  # fmt: skip
@click.option("--workers", type=int, default=None, metavar="N",
              help="Worker processes of the local cluster (default: one per core).")  # fmt: skip
@click.option("--cell-timeout", type=float, default=None, metavar="SECONDS",
              help="Stop a cell after this long; it is recorded as 'timeout'.")  # fmt: skip
@click.option("--cell-memory", type=int, default=None, metavar="MB",
              help="Address space (virtual memory) limit of each cell, well above its resident "
              "memory: allow 1000 MB or more. Over it: 'out of memory'.")  # fmt: skip
@click.option("--retry-failed", is_flag=True,
              help="On resuming, run again the cells recorded as failed, timeout or out of "
              "memory (e.g. with higher limits).")  # fmt: skip
@quiet_option
@user_errors
def sweep_command(
    grid: str,
    out_dir: str,
    scheduler: str | None,
    workers: int | None,
    cell_timeout: float | None,
    cell_memory: int | None,
    retry_failed: bool,
    quiet: bool,
) -> None:
    """Run every instance x algorithm of GRID (a TOML file) as Dask tasks and write a tidy table
    (results.csv, results.parquet) and two plots to --out; an interrupted sweep resumes.

    Example: sortition sweep data/samples/sweep/grid.toml --out sweep-results
    """
    if workers is not None and (workers < 1 or scheduler is not None):
        raise UsageError(
            "--workers must be at least 1 and only sets up the local cluster",
            hint="leave --workers out with --scheduler (the cluster has its own workers)",
        )
    if (cell_timeout is not None and cell_timeout <= 0) or (
        cell_memory is not None and cell_memory < 64
    ):
        raise UsageError(
            "cell limits must be positive (memory at least 64 MB)",
            hint="pass --cell-timeout SECONDS > 0 and --cell-memory MB >= 64",
        )
    limits = Limits(cell_timeout, cell_memory)
    request = SweepRequest(grid, out_dir, scheduler, workers, limits, retry_failed)
    bar = None if quiet else CellProgress()
    try:
        result = run_sweep(request, None if bar is None else bar.update)
    finally:
        if bar is not None:
            bar.close()
    click.echo(summary(result, out_dir))


def summary(result: SweepResult, out_dir: str) -> str:
    """What ran, what failed (with the reasons), and where the files are."""
    lines = [
        f"{len(result.rows)} cells: {result.ran} run now, {result.resumed} finished earlier "
        f"(resumed), {result.failures} not ok."
    ]
    for row in result.rows:
        if row["status"] != "ok":
            lines.append(f"  {row['status']}: {row['instance']} / {row['algorithm']}: "
                         f"{row['reason']}")  # fmt: skip
    lines.append(f"Wrote {', '.join(result.files)} to {out_dir}/.")
    return "\n".join(lines)


class CellProgress:
    """Cells done of all, failures, elapsed and estimated time left: a rich bar on a terminal,
    a plain line per finished cell otherwise."""

    def __init__(self) -> None:
        self.terminal = sys.stderr.isatty()
        self.start = time.monotonic()
        self.bar: Progress | None = None
        if self.terminal:
            self.bar = Progress(
                TextColumn("sweep"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[failures]} not ok"), TimeElapsedColumn(),
                TextColumn("left"), TimeRemainingColumn(),
                console=Console(stderr=True), transient=True,
            )  # fmt: skip
            self.bar.start()
            self.task = self.bar.add_task("cells", total=None, failures=0)

    def update(self, done: int, total: int, failures: int) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=done, total=total, failures=failures)
            return
        elapsed = time.monotonic() - self.start
        click.echo(
            f"sweep: {done}/{total} cells done, {failures} not ok [{elapsed:.0f} s]", err=True
        )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
