"""Running one cell: build its instance, solve it, measure; isolated in a child process.

Each cell runs in a fresh Python process (`python -m sortition.research.sweep.cell`, the cell as
JSON on stdin, its row as JSON on stdout), for three reasons: the time limit can stop any solver by
ending the process, the memory limit is the child's address space (RLIMIT_AS), and a crash of
one cell never takes a Dask worker down with it. The row's metrics depend on the cell alone;
only `runtime_s` and `peak_memory_mb` depend on the machine.
"""

from __future__ import annotations

import json
import math
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

from sortition.research.sweep.grid import Cell

STATUSES = ("ok", "failed", "timeout", "out of memory")
METRIC_COLUMNS = (
    "groups",
    "num_panels",
    "label",
    "min_probability",
    "max_probability",
    "gini",
    "geometric_mean",
    "share_below_fair",
    "entropy_bits",
)
MACHINE_COLUMNS = ("runtime_s", "peak_memory_mb")


@dataclass(frozen=True)
class Limits:
    """Per-cell limits: seconds of wall time and megabytes of address space (None: none)."""

    seconds: float | None = None
    memory_mb: int | None = None


def run_isolated(cell: Cell, limits: Limits) -> dict[str, Any]:
    """The cell's row, computed in a child process within the limits; a cell that fails, runs
    out of time or memory gets a row with that status and the reason, never an exception."""
    command = [sys.executable, "-m", "sortition.research.sweep.cell"]
    try:
        done = subprocess.run(
            command,
            input=json.dumps(cell.to_json()).encode("utf-8"),
            capture_output=True,
            timeout=limits.seconds,
            preexec_fn=_memory_limit(limits.memory_mb),
            check=False,
        )
    except subprocess.TimeoutExpired:
        return status_row(cell, "timeout", f"stopped after the cell limit of {limits.seconds:g} s")
    if done.returncode == 0:
        row: dict[str, Any] = json.loads(done.stdout.decode("utf-8"))
        return row
    error = done.stderr.decode("utf-8", "replace").strip().splitlines()
    reason = error[-1] if error else f"exit status {done.returncode}"
    if "MemoryError" in reason or (limits.memory_mb is not None and done.returncode < 0):
        return status_row(cell, "out of memory", f"over the cell limit of {limits.memory_mb} MB")
    return status_row(cell, "failed", reason[:300])


def _memory_limit(megabytes: int | None) -> Any:
    if megabytes is None:
        return None
    limit = megabytes * 1024 * 1024

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def evaluate(cell: Cell) -> dict[str, Any]:
    """Build the instance, solve it with the cell's algorithm, and measure (in this process)."""
    from sortition.algorithms import solve
    from sortition.errors import SortitionError
    from sortition.options import SolveOptions
    from sortition.randomness import generator_from_seed

    try:
        instance = _instance(cell)
        options = SolveOptions(gap=cell.gap)
        rng = generator_from_seed(f"sortition/research/sweep/{cell.key}")
        started = time.perf_counter()
        distribution = solve(cell.algorithm, instance, rng=rng, options=options)
        runtime = time.perf_counter() - started
    except SortitionError as error:
        return status_row(cell, "failed", str(error))
    fairness = distribution.fairness()
    return {
        **status_row(cell, "ok", ""),
        "pool_size": instance.size,
        "groups": len(instance.groups),
        "num_panels": distribution.num_panels,
        "label": distribution.label,
        "min_probability": fairness.minimum,
        "max_probability": fairness.maximum,
        "gini": fairness.gini,
        "geometric_mean": fairness.geometric_mean,
        "share_below_fair": fairness.share_below_fair,
        "entropy_bits": distribution.entropy_bits(),
        "runtime_s": runtime,
        "peak_memory_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _instance(cell: Cell) -> Any:
    if cell.source == "files":
        from sortition.inputs.build import load_instance

        return load_instance(
            cell.pool_path,
            cell.quota_path,
            panel_size=cell.panel_size,
            household_columns=cell.household_columns,
        ).instance
    from sortition.research.generator import generate
    from sortition.research.generator_profiles import GeneratorSpec

    spec = GeneratorSpec(
        profile=cell.profile,
        pool_size=cell.pool_size,
        panel_size=cell.panel_size,
        seed=cell.seed,
        features=cell.features,
        quotas=cell.quotas,
        household_share=cell.household_share,
    )
    return generate(spec).instance


def status_row(cell: Cell, status: str, reason: str) -> dict[str, Any]:
    """The cell's axes with a status; metric and machine columns empty."""
    row: dict[str, Any] = {
        "key": cell.key,
        "instance": cell.instance_label,
        "source": cell.source,
        "profile": cell.profile,
        "quotas": cell.quotas,
        "pool_size": cell.pool_size if cell.source == "generated" else None,
        "panel_size": cell.panel_size,
        "features": cell.features,
        "household_share": cell.household_share,
        "seed": cell.seed,
        "name": cell.name,
        "algorithm": cell.algorithm,
        "gap": cell.gap,
        "status": status,
        "reason": reason,
    }
    for column in (*METRIC_COLUMNS, *MACHINE_COLUMNS):
        row[column] = None
    return row


ROW_COLUMNS = tuple(status_row(Cell("maximin", None, "generated"), "ok", ""))


def main() -> None:
    """Child process: a cell as JSON on stdin, its row as JSON on stdout."""
    cell = Cell.from_json(json.loads(sys.stdin.read()))
    row = evaluate(cell)
    sys.stdout.write(json.dumps(row, allow_nan=False, default=_finite))
    sys.stdout.flush()


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    raise TypeError(f"not JSON: {value!r}")


if __name__ == "__main__":
    main()
