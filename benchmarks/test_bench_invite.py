"""Benchmark of the invitation lottery on a register of the whole Santiago Metropolitan Region.

The register (7,112,808 residents, about 360 MB) is generated, not bundled; create it first:

    python benchmarks/make_register.py /tmp/invite_bench/register_rm.csv
    pytest benchmarks/test_bench_invite.py --benchmark-only

INVITE_REGISTER overrides the register's path. The CLI runs in a fresh subprocess so that its wall
time and peak resident memory (ru_maxrss) are its own; both go to the benchmark's extra_info. The
targets are under 60 s and under 4 GB; the case asserts the draw is right, not how fast it was.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from sortition.invite import allocate, verify_invitations

ROOT = Path(__file__).resolve().parent.parent
REGISTER = Path(os.environ.get("INVITE_REGISTER", "/tmp/invite_bench/register_rm.csv"))
INVITATIONS = 10_000
SEED = "bench 2026"
TIMEOUT = 600

# Runs `sortition invite` (the click command, unregistered or not) and prints the peak RSS in KiB.
DRIVER = """
import resource, sys
from sortition.cli.invite_command import invite_command
invite_command.main(sys.argv[1:], prog_name="sortition invite", standalone_mode=False)
print("MAXRSS_KIB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

needs_register = pytest.mark.skipif(
    not REGISTER.is_file(),
    reason=f"{REGISTER} not found; create it with: python benchmarks/make_register.py {REGISTER}",
)


def run_cli(out: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes) of one `sortition invite` run in a subprocess."""
    args = [
        str(REGISTER),
        "--invitations",
        str(INVITATIONS),
        "--strata",
        "commune",
        "--seed",
        SEED,
        "--out",
        str(out / "invitations.csv"),
    ]
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=TIMEOUT,
        check=False,
    )
    wall = time.perf_counter() - start
    assert done.returncode == 0, done.stderr
    kib = int(done.stdout.split("MAXRSS_KIB")[1].split()[0])
    return wall, kib * 1024


@needs_register
def test_invite_7_million(benchmark: Any, tmp_path: Path) -> None:
    figures: list[tuple[float, int]] = []
    benchmark.pedantic(lambda: figures.append(run_cli(tmp_path)), rounds=1, iterations=1)
    wall, peak = figures[-1]

    log = json.loads((tmp_path / "invitations-log.json").read_text(encoding="utf-8"))
    sizes = [row["population"] for row in log["strata"]]
    assert [row["invitations"] for row in log["strata"]] == list(allocate(sizes, INVITATIONS))
    assert len(log["invited"]) == INVITATIONS == len(set(log["invited"]))
    with (tmp_path / "invitations.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["id", "commune", "province", "address"]
    assert sorted(row[0] for row in rows[1:]) == log["invited"]
    benchmark.extra_info.update(
        {"register_rows": log["population"], "wall_seconds": wall, "peak_rss_mib": peak / 2**20}
    )
    print(
        f"\ninvite: {log['population']:,} rows, {len(sizes)} strata, {INVITATIONS:,} invitations: "
        f"{wall:.1f} s wall, peak RSS {peak / 2**20:,.0f} MiB"
    )


@needs_register
def test_verify_7_million(benchmark: Any, tmp_path: Path) -> None:
    run_cli(tmp_path)
    log = tmp_path / "invitations-log.json"
    checks = benchmark.pedantic(lambda: verify_invitations(log, REGISTER), rounds=1, iterations=1)
    assert all(ok for _, ok, _ in checks), checks
