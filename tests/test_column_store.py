"""The store of purged columns answers exactly like an insertion-ordered dict of them.

`MasterLP` once kept its purged columns in a dict and rebuilt their matrix on every
`returning`; `ColumnStore` keeps a growing matrix instead. The master's column order, and with
it every result, depends on the order `returning` answers in, so the store must match the dict
operation for operation, through growth and compaction.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from helpers.budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from sortition.algorithms.column_store import ColumnStore

GROUPS = 5


def _composition(code: int) -> np.ndarray:
    """A distinct 0/1/2 composition over GROUPS groups for each code below 3**GROUPS."""
    digits = [(code // 3**g) % 3 for g in range(GROUPS)]
    return np.array(digits, dtype=np.int64)


class _DictStore:
    """The reference: the master's former dict of purged columns."""

    def __init__(self) -> None:
        self.purged: dict[bytes, np.ndarray] = {}

    def put(self, composition: np.ndarray) -> None:
        self.purged.setdefault(composition.tobytes(), composition)

    def discard(self, key: bytes) -> None:
        self.purged.pop(key, None)

    def returning(self, weights: np.ndarray, threshold: float) -> list[np.ndarray]:
        keys = list(self.purged)
        stored = np.array(list(self.purged.values()), np.float64).reshape(-1, GROUPS)
        back = np.flatnonzero(stored @ weights > threshold).tolist()
        return [self.purged.pop(keys[i]) for i in back]


operations = st.lists(
    st.one_of(
        st.tuples(st.just("put"), st.integers(0, 3**GROUPS - 1)),
        st.tuples(st.just("discard"), st.integers(0, 3**GROUPS - 1)),
        st.tuples(
            st.just("returning"),
            st.lists(st.integers(-3, 3), min_size=GROUPS, max_size=GROUPS),
            st.integers(-4, 6),
        ),
    ),
    max_size=300,
)


@settings(max_examples=examples(150), deadline=None)
@given(operations)
def test_store_matches_an_ordered_dict(ops: list[Any]) -> None:
    store, reference = ColumnStore(GROUPS), _DictStore()
    for op in ops:
        if op[0] == "put":
            composition = _composition(op[1])
            store.put(composition)
            reference.put(composition)
        elif op[0] == "discard":
            key = _composition(op[1]).tobytes()
            store.discard(key)
            reference.discard(key)
        else:
            weights = np.array(op[1], dtype=np.float64)
            got = store.returning(weights, float(op[2]))
            want = reference.returning(weights, float(op[2]))
            assert [c.tolist() for c in got] == [c.tolist() for c in want]
        assert len(store) == len(reference.purged)


def test_returned_columns_leave_and_come_back_at_the_end() -> None:
    store = ColumnStore(GROUPS)
    columns = [_composition(code) for code in (1, 2, 3, 4)]
    for column in columns:
        store.put(column)
    picked = store.returning(np.array([0.0, 1.0, 0.0, 0.0, 0.0]), 0.5)  # second group used
    assert [c.tolist() for c in picked] == [columns[2].tolist(), columns[3].tolist()]
    assert store.returning(np.array([0.0, 1.0, 0.0, 0.0, 0.0]), 0.5) == []  # taken once
    store.put(columns[2])  # purged again: now last
    everything = store.returning(np.ones(GROUPS), 0.0)
    assert [c.tolist() for c in everything] == [
        columns[0].tolist(),
        columns[1].tolist(),
        columns[2].tolist(),
    ]
    assert len(store) == 0


def test_store_grows_past_its_first_capacity_and_compacts() -> None:
    store = ColumnStore(GROUPS)
    columns = [_composition(code) for code in range(1, 101)]
    for column in columns:
        store.put(column)
    for column in columns[:80]:  # most gone: the matrix compacts, order kept
        store.discard(column.tobytes())
    assert len(store) == 20
    rest = store.returning(np.ones(GROUPS), 0.0)
    assert [c.tolist() for c in rest] == [c.tolist() for c in columns[80:]]
