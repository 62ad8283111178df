"""The columns a master LP purged, kept so that pricing can take them back without a MIP.

`MasterLP.purge` deletes columns that carry no probability and price far below the convexity
dual; the long LEXIMIN realization stage purges after every long re-solve, and its later duals
often price some of those panels out again. Finding them anew costs a pricing MIP or a chain;
taking them from this store costs one matrix product (`returning`).

The compositions live in one growing matrix (doubled when full) with a mask of the live rows, so
a purge appends rows and a return or a re-add clears mask entries: no call rebuilds the matrix.
The store keeps the order in which columns were purged (a column purged again goes to the end),
so `returning` answers in that order and the master's column order, and with it every result,
does not depend on how the store is kept.
"""

from __future__ import annotations

import numpy as np

from sortition.numeric import dot

COMPACT_BELOW = 0.5  # compact the matrix once fewer than this share of its used rows are live


class ColumnStore:
    """Purged compositions (integer counts per group), in the order they were purged."""

    def __init__(self, groups: int) -> None:
        self._matrix = np.zeros((16, groups), dtype=np.float64)
        self._live = np.zeros(16, dtype=bool)
        self._used = 0  # rows of the matrix written so far (live or not)
        self._row_of: dict[bytes, int] = {}  # key -> row, live rows only

    def __len__(self) -> int:
        return len(self._row_of)

    def put(self, composition: np.ndarray) -> None:
        """Keep a composition just deleted from the master (not already in the store)."""
        key = np.asarray(composition, dtype=np.int64).tobytes()
        if key in self._row_of:
            return
        if self._used == len(self._live):
            self._grow()
        row = self._used
        self._matrix[row] = composition
        self._live[row] = True
        self._row_of[key] = row
        self._used += 1

    def discard(self, key: bytes) -> None:
        """Forget the composition with this key (`np.int64` counts as bytes), if stored: the
        master has it again."""
        row = self._row_of.pop(key, None)
        if row is not None:
            self._live[row] = False
            self._maybe_compact()

    def returning(self, weights: np.ndarray, threshold: float) -> list[np.ndarray]:
        """Take out and return, in the order purged, the stored compositions whose weight beats
        `threshold`."""
        if not self._row_of:
            return []
        used = self._used
        scores = dot(self._matrix[:used], weights)
        rows = np.flatnonzero(self._live[:used] & (scores > threshold)).tolist()
        back = [self._composition(row) for row in rows]
        for composition in back:
            del self._row_of[composition.tobytes()]
        self._live[rows] = False
        self._maybe_compact()
        return back

    def _composition(self, row: int) -> np.ndarray:
        """The counts stored in `row`, as the master keeps them (exact: small integers)."""
        return np.asarray(self._matrix[row], dtype=np.int64)

    def _maybe_compact(self) -> None:
        if self._used > 16 and len(self._row_of) < COMPACT_BELOW * self._used:
            self._compact()

    def _grow(self) -> None:
        size = 2 * len(self._live)
        matrix = np.zeros((size, self._matrix.shape[1]), dtype=np.float64)
        matrix[: self._used] = self._matrix[: self._used]
        live = np.zeros(size, dtype=bool)
        live[: self._used] = self._live[: self._used]
        self._matrix, self._live = matrix, live

    def _compact(self) -> None:
        """Move the live rows to the front, in order."""
        rows = np.flatnonzero(self._live[: self._used])
        count = len(rows)
        self._matrix[:count] = self._matrix[rows]
        self._live[:] = False
        self._live[:count] = True
        self._used = count
        moved_to = {old: new for new, old in enumerate(rows.tolist())}
        self._row_of = {key: moved_to[row] for key, row in self._row_of.items()}
