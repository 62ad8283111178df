"""Matrix products whose floating-point result is the same on every machine.

NumPy hands `a @ b` on floats to its BLAS, and BLAS picks its summation order by processor
(OpenBLAS has separate kernels for SSE3, Haswell, SkylakeX, Zen, ...; macOS uses Accelerate) and
by thread count. The last bits of a product then differ between machines, and where a product
decides something (which panel prices out, which column is purged, which panel a lottery lands
on) the output differs too: the same Renca draw selected other members under
`OPENBLAS_CORETYPE=Prescott` than under the default kernel of the same machine.

`dot` never calls BLAS: it multiplies element by element (exact IEEE products) and adds with
NumPy's own reduction (pairwise along a contiguous row, in index order down a column), which is
the same code on every processor. It is slower than BLAS on large matrices, so it is used where
the result decides something; pure reporting may use `@`. Not yet covered: NASH's Newton
systems and maxentropy's eigenvalues still use LAPACK (docs/architecture.md, Determinism).
"""

from __future__ import annotations

import numpy as np


def inner(a: np.ndarray, b: np.ndarray) -> float:
    """The inner product of two vectors, computed the same way on every machine (no BLAS)."""
    x = np.asarray(a)
    y = np.asarray(b)
    if x.dtype.kind != "f" and y.dtype.kind != "f":
        return float(x @ y)  # integer products are exact (and never go to BLAS)
    return float(np.add.reduce(np.multiply(x, y, dtype=np.float64)))


def dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`a @ b` for a matrix and a vector (either side) or two matrices, computed the same way on
    every machine (no BLAS); integer inputs are multiplied as float64, like `@` on mixed types."""
    x = np.asarray(a)
    y = np.asarray(b)
    if x.dtype.kind != "f" and y.dtype.kind != "f":
        return np.asarray(x @ y)  # integer products are exact (and never go to BLAS)
    if x.ndim == 2 and y.ndim == 1:
        rows: np.ndarray = np.add.reduce(np.multiply(x, y, dtype=np.float64), axis=1)
        return rows
    if x.ndim == 1 and y.ndim == 2:
        down: np.ndarray = np.add.reduce(np.multiply(x[:, None], y, dtype=np.float64), axis=0)
        return down
    if x.ndim == 2 and y.ndim == 2:
        columns = [dot(x, column) for column in y.T]
        return np.stack(columns, axis=1) if columns else np.zeros((x.shape[0], 0))
    shapes = f"{x.ndim}-D and {y.ndim}-D"
    raise ValueError(f"dot takes a matrix and a vector or two matrices, not {shapes}")
