"""Compare our MAXIMIN/LEXIMIN with the Sortition Foundation's `sortition-algorithms` (PyPI).

The peer package is never a dependency of ours: it lives in its own virtualenv,

    python -m venv /tmp/peer-venv && /tmp/peer-venv/bin/pip install sortition-algorithms

which `--setup` does for you. Its code is only driven, through its public API, by
benchmarks/peer_runner.py, run with the peer venv's python in a subprocess.

    /tmp/venv/bin/python benchmarks/peer.py --setup              # once
    /tmp/venv/bin/python benchmarks/peer.py                      # all cases, 3 runs each
    /tmp/venv/bin/python benchmarks/peer.py --cases renca households_200 --repeats 1
    /tmp/venv/bin/python benchmarks/peer.py --generated --repeats 1 \
        --output benchmarks/peer_generated.md                     # pools from `generate`
    /work/venv/bin/python benchmarks/peer.py --tight --peer-venv /work/peervenv \
        --output benchmarks/peer_tight.md                         # tight quotas (issue 14)
    /work/venv/bin/python benchmarks/peer.py --tight --cases tight_hh_200 tight_400 --repeats 3

--tight runs the tight-quota pools of benchmarks/test_bench_tight.py (`sortition generate
--quotas tight`: floor/ceil quotas with gender and age band exact, 7-8 categories, a correlated
pool, households): 200 (k=20, 4 in 5 in households), 400 (k=40), 1,700 (k=110) and 5,000
(k=150; our LEXIMIN with --gap 0.01). Our MAXIMIN and LEXIMIN against the peer's MAXIMIN.

Both sides read the SAME CSV files (bundled samples as they are; synthetic pools are written to
--workdir as pool.csv with an `address` column for households, plus quotas.csv in the
feature,value,min,max format both programs accept) on the same machine. Runtimes are the median
of --repeats runs, wall clock, measured inside each process (interpreter start-up and imports
excluded), solve only: ours is `sortition.algorithms.solve` (type compression, panel model and
column generation), the peer's is `find_distribution_maximin` (its panel ILP, feasibility check,
initial committees and column generation). Loading the CSVs is timed separately for both and
shown in the details table. The peer's LEXIMIN needs Gurobi, so it is reported as unavailable.

Writes a markdown table to --output (default benchmarks/peer_results.md) and the raw runs to the
same name with .json.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLES = ROOT / "data" / "samples"
RUNNER = HERE / "peer_runner.py"
PEER_VENV = Path("/tmp/peer-venv")
PEER_PACKAGE = "sortition-algorithms"


@dataclass(frozen=True)
class Case:
    name: str
    sample: str | None = None  # data/samples/<sample>
    synthetic: tuple[int, int, int] | None = None  # (n, k, features)
    synthetic_kwargs: dict[str, Any] = field(default_factory=dict)
    households: bool = False
    algorithms: tuple[str, ...] = ("maximin",)
    # `sortition generate` arguments: (profile, pool size, panel size, features, seed)
    generated: tuple[str, int, int, int, int] | None = None
    # further GeneratorSpec arguments, e.g. {"quotas": "tight", "household_share": 0.8}
    generator_kwargs: dict[str, Any] = field(default_factory=dict)
    # our optimality gap per algorithm (absent: exact), e.g. {"leximin": 0.01}
    gaps: dict[str, float] = field(default_factory=dict)


CASES = (
    Case("example_small_20", sample="example_small_20", algorithms=("maximin", "leximin")),
    Case(
        "households_200",
        synthetic=(200, 20, 5),
        synthetic_kwargs={"seed": 1, "household_share": 0.3},
        households=True,
        algorithms=("maximin", "leximin"),
    ),
    Case("renca", sample="renca", households=True, algorithms=("maximin", "leximin")),
    Case("synthetic_300", synthetic=(300, 30, 6), synthetic_kwargs={"seed": 0}),
    Case("example_large_200", sample="example_large_200", algorithms=("maximin", "leximin")),
    Case("santiago-region", sample="santiago-region", households=True),
)

# Pools from `sortition generate` (issue 4): ours (maximin and leximin) against the peer's maximin.
GENERATED = (
    Case("gen_uk_200", generated=("uk", 200, 20, 6, 1), algorithms=("maximin", "leximin")),
    Case("gen_skewed_300", generated=("skewed", 300, 30, 6, 2), algorithms=("maximin", "leximin")),
    Case(
        "gen_households_400",
        generated=("households", 400, 40, 5, 3),
        households=True,
        algorithms=("maximin", "leximin"),
    ),
    Case("gen_chile_500", generated=("chile", 500, 50, 4, 4), algorithms=("maximin", "leximin")),
    Case("gen_chile_2000", generated=("chile", 2000, 100, 5, 7), algorithms=("maximin", "leximin")),
    Case("gen_uk_1000", generated=("uk", 1000, 60, 7, 5)),  # our leximin: over 5 minutes
    Case("gen_uk_2000", generated=("uk", 2000, 100, 8, 6)),
)
# Tight quotas (issue 14); the same specs as TIGHT in benchmarks/test_bench_tight.py.
TIGHT_CASES = (
    Case(
        "tight_hh_200",
        generated=("households", 200, 20, 7, 1),
        generator_kwargs={"quotas": "tight", "household_share": 0.8},
        households=True,
        algorithms=("maximin", "leximin"),
    ),
    Case(
        "tight_400",
        generated=("uk", 400, 40, 7, 1),
        generator_kwargs={"quotas": "tight", "household_share": 0.3},
        households=True,
        algorithms=("maximin", "leximin"),
    ),
    Case(
        "tight_1700",
        generated=("chile", 1700, 110, 7, 1),
        generator_kwargs={"quotas": "tight", "household_share": 0.1},
        households=True,
        algorithms=("maximin", "leximin"),
    ),
    Case(
        "tight_5000",
        generated=("uk", 5000, 150, 8, 1),
        generator_kwargs={"quotas": "tight"},
        algorithms=("maximin", "leximin"),
        gaps={"leximin": 0.01},
    ),
)
ALL_CASES = CASES + GENERATED + TIGHT_CASES


@dataclass
class Files:
    pool: Path
    quotas: Path
    panel_size: int
    household_columns: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# Setup and instance files


def setup_peer(venv: Path) -> None:
    """Create the peer's own virtualenv and install the peer package into it."""
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", PEER_PACKAGE], check=True)


def peer_versions(python: Path) -> dict[str, str]:
    code = (
        "import importlib.metadata as m, sys, json; print(json.dumps({"
        "'sortition-algorithms': m.version('sortition-algorithms'),"
        "'highspy': m.version('highspy'), 'python': sys.version.split()[0],"
        "'gurobipy': 'yes' if __import__('importlib.util').util.find_spec('gurobipy') "
        "else 'no'}))"
    )
    done = subprocess.run([str(python), "-c", code], check=True, capture_output=True, text=True)
    versions: dict[str, str] = json.loads(done.stdout)
    return versions


def write_synthetic(case: Case, workdir: Path) -> Files:
    """Write a synthetic instance as pool.csv (id, f0.., address) and quotas.csv."""
    from sortition.outputs.files import quotas_to_csv_bytes
    from sortition.research.synthetic import synthetic_instance

    assert case.synthetic is not None
    n, k, features = case.synthetic
    instance = synthetic_instance(n, k, features, **case.synthetic_kwargs)
    folder = workdir / case.name
    folder.mkdir(parents=True, exist_ok=True)
    names = [f.name for f in instance.features]
    with (folder / "pool.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", *names, "address"])
        for i, person in enumerate(instance.ids):
            label = int(instance.households[i])
            address = f"household {label}" if label >= 0 else f"single {i}"
            writer.writerow(
                [
                    person,
                    *(
                        instance.features[f].values[instance.values[i, f]]
                        for f in range(len(names))
                    ),
                    address,
                ]
            )
    (folder / "quotas.csv").write_bytes(quotas_to_csv_bytes(instance.features))
    (folder / "panel_size.txt").write_text(f"{k}\n")
    return Files(
        folder / "pool.csv", folder / "quotas.csv", k, ("address",) if case.households else ()
    )


def write_generated_case(case: Case, workdir: Path) -> Files:
    """Write a `sortition generate` pool (id, [address], features) and its quotas."""
    from sortition.research.generator import generate
    from sortition.research.generator_files import write_generated
    from sortition.research.generator_profiles import GeneratorSpec

    assert case.generated is not None
    profile, n, k, features, seed = case.generated
    spec = GeneratorSpec(profile, n, k, str(seed), features=features, **case.generator_kwargs)
    folder = workdir / case.name
    write_generated(generate(spec), folder, overwrite=True)  # regenerated on every run
    (folder / "panel_size.txt").write_text(f"{k}\n")
    return Files(
        folder / "pool.csv", folder / "quotas.csv", k, ("address",) if case.households else ()
    )


def with_seed(case: Case, seed: int) -> Case:
    """The same generated case drawn with another seed (samples and synthetic pools have none)."""
    if case.generated is None:
        raise SystemExit(f"--seeds applies to generated pools only, not {case.name}")
    profile, n, k, features, _ = case.generated
    return replace(case, name=f"{case.name}_s{seed}", generated=(profile, n, k, features, seed))


def case_files(case: Case, workdir: Path) -> Files:
    if case.generated is not None:
        return write_generated_case(case, workdir)
    if case.sample is not None:
        folder = SAMPLES / case.sample
        k = int((folder / "panel_size.txt").read_text().strip())
        return Files(
            folder / "pool.csv", folder / "quotas.csv", k, ("address",) if case.households else ()
        )
    return write_synthetic(case, workdir)


# ---------------------------------------------------------------------------------------------
# Running both sides


def run_ours(
    files: Files, algorithm: str, repeats: int, timeout: float, gap: float | None = None
) -> dict[str, Any]:
    from sortition.algorithms import solve
    from sortition.errors import TimeLimitReached
    from sortition.inputs.build import load_instance
    from sortition.options import SolveOptions

    runs: list[dict[str, Any]] = []
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        instance = load_instance(
            files.pool,
            files.quotas,
            panel_size=files.panel_size,
            household_columns=list(files.household_columns),
        ).instance
        loaded, cpu_loaded = time.perf_counter(), time.process_time()
        try:
            dist = solve(
                algorithm,
                instance,
                rng=np.random.default_rng(0),
                options=SolveOptions(time_limit=timeout, gap=gap),
            )
        except TimeLimitReached:
            return {"runs": runs, "error": f"over the {timeout:g} s limit"}
        solved, cpu_solved = time.perf_counter(), time.process_time()
        marginals = dist.marginals()
        runs.append(
            {
                "load_seconds": loaded - start,
                "solve_seconds": solved - loaded,
                "load_cpu_seconds": cpu_loaded - cpu_start,
                "solve_cpu_seconds": cpu_solved - cpu_loaded,
                "min_probability": float(marginals.min()),
                "max_probability": float(marginals.max()),
                "committees": dist.num_panels,
                "n": instance.size,
                "groups": len(instance.groups),
            }
        )
    return {"runs": runs}


def run_peer(
    python: Path, files: Files, algorithm: str, repeats: int, timeout: float, scratch: Path
) -> dict[str, Any]:
    scratch.mkdir(parents=True, exist_ok=True)
    out = scratch / f"peer_{algorithm}.jsonl"
    out.unlink(missing_ok=True)
    command = [
        str(python),
        str(RUNNER),
        "--pool",
        str(files.pool),
        "--quotas",
        str(files.quotas),
        "--k",
        str(files.panel_size),
        "--algorithm",
        algorithm,
        "--repeats",
        str(repeats),
        "--out",
        str(out),
    ]
    for column in files.household_columns:
        command += ["--address-column", column]
    error = None
    log = scratch / f"peer_{algorithm}.stderr"
    with log.open("w", encoding="utf-8") as stderr:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, cwd=scratch)
        last_progress, seen = time.monotonic(), 0
        while process.poll() is None:
            time.sleep(0.2)
            lines = _count_lines(out)
            if lines > seen:
                last_progress, seen = time.monotonic(), lines
            elif time.monotonic() - last_progress > timeout:
                process.kill()
                process.wait()
                error = f"over the {timeout:g} s per run limit (stopped)"
                break
    if process.returncode not in (0, None) and error is None and not out.exists():
        error = f"runner exited {process.returncode}: {log.read_text()[-500:].strip()}"
    records = []
    if out.exists():
        records = [json.loads(line) for line in out.read_text().splitlines() if line.strip()]
    runs = [r for r in records if "repeat" in r]
    failures = [r for r in records if "error" in r]
    result: dict[str, Any] = {"runs": runs}
    if failures:
        result["error"] = failures[0]["error"]
        result["unavailable"] = failures[0].get("unavailable", False)
    elif error:
        result["error"] = error
    return result


def _count_lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


# ---------------------------------------------------------------------------------------------
# Reporting


def median(runs: list[dict[str, Any]], key: str) -> float | None:
    return statistics.median(r[key] for r in runs) if runs else None


def fmt_seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def fmt_prob(value: float | None) -> str:
    return "-" if value is None else f"{value:.6f}"


def render(rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    lines = [
        "# Ours vs sortition-algorithms (peer)",
        "",
        f"Date: {meta['date']}. Code: {meta['commit']}. "
        f"Machine: {meta['cpu']}, {meta['cores']} cores; "
        f"ours: Python {meta['python']}, highspy {meta['highspy']}; peer: "
        f"sortition-algorithms {meta['peer']['sortition-algorithms']}, highspy "
        f"{meta['peer']['highspy']}, Python {meta['peer']['python']}, gurobipy "
        f"{meta['peer']['gurobipy']}. Median of {meta['repeats']} runs, wall clock, solve only "
        "(CSV loading excluded, model building included). Ratio = peer time / our time "
        "(above 1: we are faster).",
        "",
        "| instance | n | k | algorithm | our runtime (s) | peer runtime (s) | ratio | "
        "our min probability | peer min probability |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        ours, peer = row["ours"], row["peer"]
        our_t = median(ours["runs"], "solve_seconds")
        peer_t = median(peer["runs"], "solve_seconds")
        our_cell = fmt_seconds(our_t) if ours["runs"] else ours.get("error", "-")
        if peer.get("unavailable"):
            peer_cell = "unavailable (needs Gurobi)"
        elif peer["runs"]:
            peer_cell = fmt_seconds(peer_t)
            if len(peer["runs"]) < row["repeats"]:
                peer_cell += f" ({len(peer['runs'])} run(s); then {peer.get('error', 'failed')})"
        else:
            peer_cell = peer.get("error", "-")
        ratio = f"{peer_t / our_t:.1f}x" if our_t and peer_t else "-"
        our_min = median(ours["runs"], "min_probability")
        peer_min = median(peer["runs"], "min_probability")
        lines.append(
            f"| {row['case']} | {row['n']} | {row['k']} | {row['algorithm']} | "
            f"{our_cell} | {peer_cell} | {ratio} | {fmt_prob(our_min)} | "
            f"{fmt_prob(peer_min)} |"
        )
    lines += [
        "",
        "Details (medians): CSV load time, solve CPU time (process_time), panels in the support, "
        "and the number of runs measured.",
        "",
        "| instance | algorithm | our load (s) | peer load (s) | our solve CPU (s) | "
        "peer solve CPU (s) | our panels | peer panels | runs ours/peer |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        ours, peer = row["ours"], row["peer"]
        lines.append(
            f"| {row['case']} | {row['algorithm']} | "
            f"{fmt_seconds(median(ours['runs'], 'load_seconds'))} | "
            f"{fmt_seconds(median(peer['runs'], 'load_seconds'))} | "
            f"{fmt_seconds(median(ours['runs'], 'solve_cpu_seconds'))} | "
            f"{fmt_seconds(median(peer['runs'], 'solve_cpu_seconds'))} | "
            f"{_int(median(ours['runs'], 'committees'))} | "
            f"{_int(median(peer['runs'], 'committees'))} | "
            f"{len(ours['runs'])}/{len(peer['runs'])} |"
        )
    return "\n".join(lines) + "\n"


def _int(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def machine_meta(peer_python: Path, repeats: int) -> dict[str, Any]:
    from importlib.metadata import version

    cpu = platform.processor() or "unknown"
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        for line in lscpu.splitlines():
            if line.startswith("Model name:"):
                cpu = line.split(":", 1)[1].strip()
                break
    except (OSError, subprocess.CalledProcessError):
        pass
    import os

    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "sortition"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        commit = head + (" (sortition/ has uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return {
        "commit": commit,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "highspy": version("highspy"),
        "peer": peer_versions(peer_python),
        "repeats": repeats,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--setup",
        action="store_true",
        help=f"create {PEER_VENV} and pip install {PEER_PACKAGE} into it, then exit",
    )
    parser.add_argument(
        "--peer-venv",
        type=Path,
        default=PEER_VENV,
        help=f"the peer's virtualenv (default {PEER_VENV}; e.g. /work/peervenv)",
    )
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/sortition-peer-bench"))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        help="seconds allowed per run of either side (default 600)",
    )
    parser.add_argument(
        "--cases",
        nargs="*",
        choices=[c.name for c in ALL_CASES],
        help="default: the samples and synthetic pools; --generated or --tight select those "
        "sets instead (then --cases picks within them)",
    )
    parser.add_argument(
        "--generated", action="store_true", help="run only the pools made by `sortition generate`"
    )
    parser.add_argument(
        "--tight",
        action="store_true",
        help="run only the tight-quota pools (issue 14): " + ", ".join(c.name for c in TIGHT_CASES),
    )
    parser.add_argument("--algorithms", nargs="*", choices=("maximin", "leximin"))
    parser.add_argument(
        "--seeds",
        nargs="*",
        type=int,
        help="re-draw the generated pools (--generated, --tight) with these seeds instead of "
        "their own, as name_s<seed>: pools no tuning has seen",
    )
    parser.add_argument("--output", type=Path, default=HERE / "peer_results.md")
    args = parser.parse_args(argv)

    if args.setup:
        setup_peer(args.peer_venv)
        print(json.dumps(peer_versions(args.peer_venv / "bin" / "python")))
        return 0
    peer_python = args.peer_venv / "bin" / "python"
    if not peer_python.exists():
        print(f"no peer virtualenv at {args.peer_venv}; run with --setup first", file=sys.stderr)
        return 2

    meta = machine_meta(peer_python, args.repeats)
    rows: list[dict[str, Any]] = []
    selected: tuple[Case, ...]
    if args.tight:
        selected = TIGHT_CASES
    elif args.generated:
        selected = GENERATED
    else:
        selected = ALL_CASES if args.cases else CASES
    if args.seeds:
        selected = tuple(with_seed(case, seed) for case in selected for seed in args.seeds)
    for case in selected:
        base = case.name.rsplit("_s", 1)[0] if args.seeds else case.name
        if args.cases and base not in args.cases:
            continue
        files = case_files(case, args.workdir)
        with files.pool.open(encoding="utf-8") as handle:
            n = sum(1 for _ in handle) - 1
        for algorithm in case.algorithms:
            if args.algorithms and algorithm not in args.algorithms:
                continue
            print(f"{case.name} {algorithm}: ours ...", end=" ", flush=True)
            gap = case.gaps.get(algorithm)
            ours = run_ours(files, algorithm, args.repeats, args.timeout, gap)
            print(
                f"{fmt_seconds(median(ours['runs'], 'solve_seconds'))} s; peer ...",
                end=" ",
                flush=True,
            )
            peer = run_peer(
                peer_python,
                files,
                algorithm,
                args.repeats,
                args.timeout,
                args.workdir / "scratch" / case.name,
            )
            print(
                peer.get("error") or f"{fmt_seconds(median(peer['runs'], 'solve_seconds'))} s",
                flush=True,
            )
            rows.append(
                {
                    "case": case.name,
                    "n": n,
                    "k": files.panel_size,
                    "algorithm": algorithm if gap is None else f"{algorithm} (gap {gap:g})",
                    "repeats": args.repeats,
                    "ours": ours,
                    "peer": peer,
                }
            )
            args.output.write_text(render(rows, meta), encoding="utf-8")
            args.output.with_suffix(".json").write_text(
                json.dumps({"meta": meta, "rows": rows}, indent=1), encoding="utf-8"
            )
    print(args.output.read_text(encoding="utf-8") if rows else "no cases selected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
