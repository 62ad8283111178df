"""`sortition sweep` on 1 and 2 Dask workers: the same grid of 8 similar cells (LEXIMIN on tight
200-volunteer uk pools, k=20, seeds 1-8, a few seconds each), each cell in its own process; the
speed-up is the ratio of the two times (issue 20). Each run starts its own LocalCluster, which is
part of the time.

    pytest benchmarks/test_bench_sweep.py --benchmark-only
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from sortition.research.sweep.runner import SweepRequest, run_sweep

GRID = """
[sweep]
algorithms = ["leximin"]

[[generated]]
profiles = ["uk"]
quotas = ["tight"]
pool_sizes = [200]
panel_sizes = [20]
seeds = [1, 2, 3, 4, 5, 6, 7, 8]
"""
_runs = itertools.count()


@pytest.mark.parametrize("workers", [1, 2])
def test_sweep_8_cells(
    benchmark: Any, tmp_path_factory: pytest.TempPathFactory, workers: int
) -> None:
    folder: Path = tmp_path_factory.mktemp("sweep")
    grid = folder / "grid.toml"
    grid.write_text(GRID, encoding="utf-8")

    def once() -> None:
        out = folder / f"run-{next(_runs)}"
        result = run_sweep(SweepRequest(str(grid), str(out), workers=workers))
        assert result.failures == 0 and result.ran == 8

    benchmark.pedantic(once, rounds=1, iterations=1, warmup_rounds=0)
