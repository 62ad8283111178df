"""Write a synthetic resident register of the Santiago Metropolitan Region for the invite benchmark.

One row per resident counted in data/samples/census2017_rm_communes.csv (7,112,808 rows), with
columns id,commune,province,address, residents grouped by commune in census order. Ids are
8-digit numbers from an invertible affine map of the row number (unique, in no visible order);
addresses are synthetic ("Calle 17 1234", some with ", depto 56", which needs CSV quoting).
The same seed always gives the same bytes. Put the output under /tmp, never in the repository:

    python benchmarks/make_register.py /tmp/register_rm.csv
    python benchmarks/make_register.py /tmp/small.csv --scale 0.01     # about 71,000 rows
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CENSUS = ROOT / "data" / "samples" / "census2017_rm_communes.csv"
ID_MODULUS = 10**8
ID_MULTIPLIER = 48_271_229  # coprime with 10**8, so row -> id is one-to-one
ID_OFFSET = 13_579_246
STREETS = (
    "Calle",
    "Avenida",
    "Pasaje",
    "Los Aromos",
    "Las Acacias",
    "San Martín",
    "O'Higgins",
    "Independencia",
    "Los Carrera",
    "Gran Avenida",
)
CHUNK = 500_000


def commune_counts(census: Path, scale: float) -> list[tuple[str, str, int]]:
    """(commune, province, residents) per commune, in order of first appearance in the census."""
    totals: dict[tuple[str, str], int] = {}
    with census.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = (row["commune"], row["province"])
            totals[key] = totals.get(key, 0) + int(row["population"])
    return [
        (commune, province, max(1, round(count * scale)))
        for (commune, province), count in totals.items()
    ]


def write_register(out: Path, *, scale: float = 1.0, seed: int = 2017) -> int:
    """Write the register to `out`; returns the number of residents written."""
    counts = commune_counts(CENSUS, scale)
    total = sum(count for _, _, count in counts)
    if total > ID_MODULUS:
        raise SystemExit(f"{total} residents do not fit in 8-digit ids")
    rng = np.random.default_rng(seed)
    commune_of = np.repeat(np.arange(len(counts)), [count for _, _, count in counts])
    labels = [
        (f'"{commune}"' if "," in commune else commune)
        + ","
        + (f'"{province}"' if "," in province else province)
        for commune, province, _ in counts
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        handle.write("id,commune,province,address\n")
        for start in range(0, total, CHUNK):
            stop = min(start + CHUNK, total)
            rows = np.arange(start, stop, dtype=np.int64)
            ids = (rows * ID_MULTIPLIER + ID_OFFSET) % ID_MODULUS
            street = rng.integers(0, len(STREETS), stop - start)
            block = rng.integers(1, 60, stop - start)
            number = rng.integers(1, 4000, stop - start)
            flat = rng.integers(0, 300, stop - start)  # 0-199: a house, 200-299: a flat
            lines = []
            for i, c, s, b, n, f in zip(
                ids.tolist(),
                commune_of[start:stop].tolist(),
                street.tolist(),
                block.tolist(),
                number.tolist(),
                flat.tolist(),
                strict=True,
            ):
                address = f"{STREETS[s]} {b} {n}"
                if f >= 200:
                    address = f'"{address}, depto {f}"'
                lines.append(f"{i:08d},{labels[c]},{address}\n")
            handle.write("".join(lines))
    return total


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="CSV file to write (outside the repository)")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of each commune")
    parser.add_argument("--seed", type=int, default=2017, help="seed of the synthetic addresses")
    args = parser.parse_args(argv)
    total = write_register(args.out, scale=args.scale, seed=args.seed)
    print(f"Wrote {total:,} residents to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
