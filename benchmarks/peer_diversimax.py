"""Side by side: our single-panel DIVERSIMAX mode against the Sortition Foundation's DIVERSIMAX
(`sortition-algorithms`, its `diversimax` extra) on the same generated CSV files.

    /work/venv/bin/python benchmarks/peer_diversimax.py --peer-venv /work/peervenv \
        --output benchmarks/peer_diversimax.md [--cases gen_uk_200 ...] [--lottery]

Both sides minimize the peer's objective (`sortition.panel.balance.PEER`): the sum over feature
subsets and their intersections of |members - k / intersections|. The peer solves its MIP over
one binary per person (10% relative gap, 30 s limit); ours (`diversimax.single_panel`) solves it
over group counts to HiGHS' default-tight gap (also 30 s limit), and once more at the peer's 10%
gap. Each panel's objective is evaluated twice: by the peer's own code
(benchmarks/peer_diversimax_runner.py, its one-hot intersection matrices) and by ours; the two
must agree. Times are wall clock of the solve only (files loaded beforehand), one run each.
With --lottery, our DIVERSIMAX lottery (default objective, slack 0.05, time limit 120 s, the
result labelled with its proven gap when stopped) and MAXIMIN also run, for their expected
intersectional balance (compare's `intersectional_balance`) and time.

Writes a markdown table to --output and the raw figures to the same name with .json.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from peer import Case, Files, write_generated_case

if TYPE_CHECKING:
    from sortition.instance import Instance

HERE = Path(__file__).resolve().parent
RUNNER = HERE / "peer_diversimax_runner.py"
TIME_LIMIT = 30.0  # the peer's default max_seconds
LOTTERY_TIME_LIMIT = 120.0  # --lottery: MAXIMIN + DIVERSIMAX together, labelled if stopped

CASES = (
    Case("gen_uk_200", generated=("uk", 200, 20, 5, 1)),
    Case("gen_households_400", generated=("households", 400, 40, 5, 3), households=True),
    Case("gen_chile_500", generated=("chile", 500, 50, 4, 4)),
    Case("gen_uk_1000", generated=("uk", 1000, 60, 5, 5)),
    Case("gen_chile_2000", generated=("chile", 2000, 100, 5, 7)),
)


def run_ours(files: Files, lottery: bool) -> tuple[dict[str, Any], list[str]]:
    from sortition.algorithms import solve
    from sortition.algorithms.diversimax import single_panel
    from sortition.inputs.build import load_instance
    from sortition.options import SolveOptions
    from sortition.panel.balance import PEER, balance_objective
    from sortition.research.intersections import intersectional_balance

    instance = load_instance(
        files.pool,
        files.quotas,
        panel_size=files.panel_size,
        household_columns=list(files.household_columns),
    ).instance
    record: dict[str, Any] = {
        "n": instance.size,
        "k": instance.panel_size,
        "groups": len(instance.groups),
    }
    record["features"] = len(instance.features)
    record["subsets"] = len(balance_objective(instance, PEER).partitions)
    start = time.perf_counter()
    exact = single_panel(instance, PEER, time_limit=TIME_LIMIT)
    record["seconds"] = time.perf_counter() - start
    record["objective"], record["bound"] = exact.deviation, -exact.bound
    record["complete"] = exact.complete
    start = time.perf_counter()
    loose = single_panel(instance, PEER, time_limit=TIME_LIMIT, gap=0.1)
    record["gap10_seconds"] = time.perf_counter() - start
    record["gap10_objective"] = loose.deviation
    if lottery:
        for name in ("maximin", "diversimax"):
            start = time.perf_counter()
            options = SolveOptions(time_limit=LOTTERY_TIME_LIMIT)
            dist = solve(name, instance, rng=np.random.default_rng(0), options=options)
            record[f"{name}_seconds"] = time.perf_counter() - start
            record[f"{name}_label"] = dist.label
            record[f"{name}_balance"] = intersectional_balance(dist)
            record[f"{name}_min_probability"] = float(dist.marginals()[dist.marginals() > 0].min())
    record["instance"] = instance
    return record, [instance.ids[i] for i in exact.people.tolist()]


def our_objective_of(instance: Instance, ids: list[str]) -> float:
    """Our PEER objective on a panel given by ids (the parity check of the peer's panel)."""
    from sortition.panel.balance import PEER, balance_objective

    position = {person: i for i, person in enumerate(instance.ids)}
    composition = np.bincount(
        instance.groups.group_of_person[[position[p] for p in ids]],
        minlength=len(instance.groups),
    )
    return float(balance_objective(instance, PEER).deviations(composition)[0])


def run_peer(python: Path, files: Files, ours: list[str], workdir: Path) -> dict[str, Any]:
    other, out = workdir / "ours.txt", workdir / "peer_diversimax.json"
    other.write_text("\n".join(ours) + "\n", encoding="utf-8")
    command = [
        str(python), str(RUNNER), "--pool", str(files.pool), "--quotas", str(files.quotas),
        "--k", str(files.panel_size), "--other", str(other), "--out", str(out),
    ]  # fmt: skip
    for column in files.household_columns:
        command += ["--address-column", column]
    subprocess.run(command, check=True)
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def table(rows: list[dict[str, Any]], lottery: bool) -> str:
    lines = [
        "| case | n | k | subsets | peer objective | peer s | ours objective | ours s "
        "| ours at 10% gap | ours s | ours / peer |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['case']} | {r['n']} | {r['k']} | {r['subsets']} | {r['peer_objective']:.2f} "
            f"| {r['peer_seconds']:.2f} | {r['ours_by_peer']:.2f}"
            f"{'' if r['complete'] else ' (time limit)'} | {r['seconds']:.2f} "
            f"| {r['gap10_objective']:.2f} | {r['gap10_seconds']:.2f} "
            f"| {r['ours_by_peer'] / r['peer_objective']:.3f} |"
        )
    if lottery:
        lines += [
            "",
            "| case | MAXIMIN balance | MAXIMIN s | DIVERSIMAX balance | DIVERSIMAX s "
            "| MAXIMIN min p | DIVERSIMAX min p | DIVERSIMAX result |",
            "|---|---:|---:|---:|---:|---:|---:|---|",
        ]
        for r in rows:
            if "diversimax_balance" in r:
                lines.append(
                    f"| {r['case']} | {r['maximin_balance']:.4f} | {r['maximin_seconds']:.1f} "
                    f"| {r['diversimax_balance']:.4f} | {r['diversimax_seconds']:.1f} "
                    f"| {r['maximin_min_probability']:.5f} "
                    f"| {r['diversimax_min_probability']:.5f} | {r['diversimax_label']} |"
                )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer-venv", type=Path, default=Path("/work/peervenv"))
    parser.add_argument("--cases", nargs="*", default=None)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/peer-diversimax"))
    parser.add_argument("--output", type=Path, default=HERE / "peer_diversimax.md")
    parser.add_argument("--lottery", action="store_true")
    args = parser.parse_args()
    python = args.peer_venv / "bin" / "python"
    chosen = [c for c in CASES if args.cases is None or c.name in args.cases]
    rows: list[dict[str, Any]] = []
    for case in chosen:
        files = write_generated_case(case, args.workdir)
        ours, ids = run_ours(files, args.lottery)
        instance = ours.pop("instance")
        peer = run_peer(python, files, ids, args.workdir / case.name)
        row = {
            "case": case.name,
            **ours,
            "peer_objective": peer["objective"],
            "peer_seconds": peer["solve_seconds"],
            "peer_subsets": peer["subsets"],
            "ours_by_peer": peer["other_objective"],
            "peer_by_ours": our_objective_of(instance, peer["selected"]),
        }
        rows.append(row)
        print(json.dumps(row), flush=True)
    meta = {"machine": platform.processor() or platform.machine(), "python": sys.version.split()[0]}
    args.output.write_text(table(rows, args.lottery), encoding="utf-8")
    args.output.with_suffix(".json").write_text(
        json.dumps({"meta": meta, "rows": rows}, indent=1) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
