"""Print the SHA-256 of every output file the bundled samples give, to show a refactor changes
no output byte (issue 16: "outputs of the bundled samples are byte-identical before and after").

    python scripts/sample_digests.py > before.txt   # on the old commit
    python scripts/sample_digests.py | diff before.txt -

Each case runs `python -m sortition` in a fresh process in a temporary folder; the listing gives
case, file (relative to the case's output folder) and digest, sorted. Timings and file
modification times are never part of an output, so equal listings mean equal bytes. About a
minute on a 2-core machine. A generated pool of 2,000 is included (MAXIMIN's batch rounds only
run on pools of 1,000 groups or more), and a tight-quota pool of 200 with households (the hard
class of issue 14: later LEXIMIN stages, chain columns, purges).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
RENCA = [str(SAMPLES / "renca" / "pool.csv"), str(SAMPLES / "renca" / "quotas.csv")]
RENCA_RULES = ["--panel-size", "40", "--household-columns", "address"]
SMALL = [
    str(SAMPLES / "example_small_20" / "pool.csv"),
    str(SAMPLES / "example_small_20" / "quotas.csv"),
]
LARGE = [
    str(SAMPLES / "example_large_200" / "pool.csv"),
    str(SAMPLES / "example_large_200" / "quotas.csv"),
]
REGION = [
    str(SAMPLES / "santiago-region" / "pool.csv"),
    str(SAMPLES / "santiago-region" / "quotas.csv"),
]
ASSEMBLY = SAMPLES / "assembly-150"

# (case, arguments after `sortition`; OUT is replaced by the case's output folder, WORK by the
# folder of all cases)
CASES: list[tuple[str, list[str]]] = [
    (
        "renca-leximin",
        ["select", *RENCA, *RENCA_RULES, "--seed", "2026", "--reserves", "5", "--out", "OUT"],
    ),
    (
        "renca-replace",
        [
            "replace",
            "WORK/renca-leximin/public/selection-log.json",
            "--dropouts",
            "WORK/dropouts-1.csv",
            "--pool",
            RENCA[0],
            "--seed",
            "7",
            "--out",
            "OUT",
        ],
    ),
    (
        "renca-replace-2",
        [
            "replace",
            "WORK/renca-leximin/public/selection-log.json",
            "--after",
            "WORK/renca-replace/public/selection-log.json",
            "--dropouts",
            "WORK/dropouts-2.csv",
            "--seed",
            "8",
            "--out",
            "OUT",
        ],
    ),
    (
        "renca-maximin",
        [
            "select",
            *RENCA,
            *RENCA_RULES,
            "--algorithm",
            "maximin",
            "--seed",
            "2026",
            "--out",
            "OUT",
        ],
    ),
    *(
        (
            f"renca-{algorithm}",
            [
                "select",
                *RENCA,
                *RENCA_RULES,
                "--algorithm",
                algorithm,
                "--seed",
                "1",
                "--out",
                "OUT",
            ],
        )
        for algorithm in ("nash", "goldilocks")
    ),
    (
        "renca-lottery",
        [
            "lottery",
            *RENCA,
            *RENCA_RULES,
            "--planned-sources",
            "Loto 5123",
            "--draw-date",
            "2026-12-01",
            "--out",
            "OUT/lottery.json",
        ],
    ),
    (
        "renca-draw",
        [
            "draw",
            "WORK/renca-lottery/lottery.json",
            "--source",
            "17 20 22 35 36 38 48",
            "--pool",
            RENCA[0],
            "--reserve-tickets",
            "3",
            "--out",
            "OUT",
        ],
    ),
    (
        "small-nash",
        [
            "select",
            *SMALL,
            "--panel-size",
            "20",
            "--algorithm",
            "nash",
            "--seed",
            "1",
            "--out",
            "OUT",
        ],
    ),
    (
        "small-goldilocks",
        [
            "select",
            *SMALL,
            "--panel-size",
            "20",
            "--algorithm",
            "goldilocks",
            "--seed",
            "1",
            "--out",
            "OUT",
        ],
    ),
    (
        "small-legacy",
        [
            "select",
            *SMALL,
            "--panel-size",
            "20",
            "--algorithm",
            "legacy",
            "--seed",
            "1",
            "--out",
            "OUT",
        ],
    ),
    ("large-leximin", ["select", *LARGE, "--panel-size", "200", "--seed", "7", "--out", "OUT"]),
    (
        "region-maximin",
        [
            "select",
            *REGION,
            "--panel-size",
            "100",
            "--algorithm",
            "maximin",
            "--seed",
            "3",
            "--out",
            "OUT",
        ],
    ),
    (
        "uk2000-generate",
        [
            "generate",
            "--profile",
            "uk",
            "--pool-size",
            "2000",
            "--panel-size",
            "100",
            "--features",
            "7",
            "--seed",
            "1",
            "--out",
            "OUT",
        ],
    ),
    (
        "uk2000-maximin",
        [
            "select",
            "WORK/uk2000-generate/pool.csv",
            "WORK/uk2000-generate/quotas.csv",
            "--panel-size",
            "100",
            "--algorithm",
            "maximin",
            "--seed",
            "1",
            "--out",
            "OUT",
        ],
    ),
    (
        "tight200-generate",
        [
            "generate",
            "--profile",
            "households",
            "--pool-size",
            "200",
            "--panel-size",
            "20",
            "--features",
            "7",
            "--quotas",
            "tight",
            "--household-share",
            "0.8",
            "--seed",
            "1",
            "--out",
            "OUT",
        ],
    ),
    *(
        (
            f"tight200-{algorithm}",
            [
                "select",
                "WORK/tight200-generate/pool.csv",
                "WORK/tight200-generate/quotas.csv",
                "--panel-size",
                "20",
                "--household-columns",
                "address",
                "--algorithm",
                algorithm,
                "--seed",
                "1",
                "--out",
                "OUT",
            ],
        )
        for algorithm in ("maximin", "leximin")
    ),
    (
        "assembly-tables",
        [
            "tables",
            str(ASSEMBLY / "panel.csv"),
            "--table-size",
            "10",
            "--rounds",
            "3",
            "--balance",
            "gender,age_band",
            "--seed",
            "1",
            "--out",
            "OUT",
        ],
    ),
]


def digests(case: str, args: list[str], work: Path) -> list[str]:
    out = work / case
    command = [
        sys.executable,
        "-m",
        "sortition",
        *[a.replace("OUT", str(out)).replace("WORK", str(work)) for a in args],
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return [f"{case}\tEXIT {done.returncode}\t{done.stderr.strip().splitlines()[-1:]}"]
    lines = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f"{case}\t{path.relative_to(out).as_posix()}\t{digest}")
    return lines


# two waves of dropouts from the renca-leximin panel (the README's set-up draw)
DROPOUTS = {"dropouts-1.csv": "id\nR0003\nR0029\n", "dropouts-2.csv": "id\nR0009\n"}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in DROPOUTS.items():
            (Path(tmp) / name).write_text(text, encoding="utf-8")
        for case, args in CASES:
            for line in digests(case, args, Path(tmp)):
                print(line, flush=True)


if __name__ == "__main__":
    main()
