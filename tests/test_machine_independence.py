"""The same draw gives byte-identical files whichever BLAS kernel and thread count NumPy uses.

OpenBLAS picks its kernels by processor, and sums in a different order in each: a draw whose
decisions went through `@` selected other members on a machine with another processor (the
README's replacement example broke that way). `sortition.numeric` keeps BLAS out of every
product that decides something; here the draw runs in fresh processes under OpenBLAS's most
generic kernel (`OPENBLAS_CORETYPE=Prescott`) and one thread, against the machine's default, and
every output file must be identical. (With a BLAS other than OpenBLAS the variables do nothing
and the comparison is between equal runs.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sortition.numeric import dot, inner

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
KERNELS = {
    "default": {},
    "generic kernel, one thread": {"OPENBLAS_CORETYPE": "Prescott", "OPENBLAS_NUM_THREADS": "1"},
}


def _draw(out: Path, sample: str, algorithm: str, extra_env: dict[str, str]) -> dict[str, bytes]:
    """Run one draw in a fresh process; return every file it wrote, by relative path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENBLAS_")} | extra_env
    command = [
        sys.executable,
        "-m",
        "sortition",
        "select",
        str(SAMPLES / sample / "pool.csv"),
        str(SAMPLES / sample / "quotas.csv"),
        "--panel-size",
        (SAMPLES / sample / "panel_size.txt").read_text(encoding="utf-8").strip(),
        *(["--household-columns", "address"] if sample == "renca" else []),
        "--algorithm",
        algorithm,
        "--seed",
        "2026",
        "--out",
        str(out),
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    ("sample", "algorithm"),
    [
        ("renca", "leximin"),
        ("renca", "goldilocks"),
        ("example_small_20", "diversimax"),
    ],
)
def test_a_draw_is_byte_identical_under_other_blas_kernels(
    tmp_path: Path, sample: str, algorithm: str
) -> None:
    outputs = {
        name: _draw(tmp_path / name.replace(" ", "_").replace(",", ""), sample, algorithm, env)
        for name, env in KERNELS.items()
    }
    first, second = outputs.values()
    assert first.keys() == second.keys()
    differing = [name for name in first if first[name] != second[name]]
    assert not differing, f"{algorithm}: files differ between BLAS kernels: {differing}"


def test_dot_and_inner_agree_with_matmul() -> None:
    rng = np.random.default_rng(3)
    matrix = rng.random((40, 25))
    vector = rng.random(25)
    counts = rng.integers(0, 4, 25)
    left = rng.random(40)
    assert np.allclose(dot(matrix, vector), matrix @ vector, rtol=1e-14, atol=0)
    assert np.allclose(dot(left, matrix), left @ matrix, rtol=1e-14, atol=0)
    assert np.allclose(dot(matrix, matrix.T), matrix @ matrix.T, rtol=1e-14, atol=0)
    assert inner(vector, counts) == pytest.approx(float(vector @ counts), rel=1e-14)
    assert isinstance(inner(counts, counts), float)
    assert dot(np.ones((2, 3), dtype=np.int64), np.ones(3, dtype=np.int64)).tolist() == [3, 3]
    with pytest.raises(ValueError, match="1-D and 1-D"):
        dot(vector, vector)
