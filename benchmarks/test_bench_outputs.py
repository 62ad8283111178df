"""Benchmark of the Excel workbooks written beside every private list (`outputs/spreadsheet.py`).

Every draw writes selected.xlsx and remaining.xlsx, so the workbook's cost falls on every draw;
this measures it on the largest lists a draw meets: the remaining rows of a 50,000-person pool
with eight columns (names, e-mail, phone, address and features), against writing the CSV alone.

    pytest benchmarks/test_bench_outputs.py --benchmark-only
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from sortition.outputs.files import dataframe_to_csv_bytes, personal_rows

ROWS = 50_000


@pytest.fixture(scope="module")
def remaining() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [f"R{i:06d}" for i in range(ROWS)],
            "first_name": ["Belén"] * ROWS,
            "last_name": ["Figueroa Castillo"] * ROWS,
            "email": [f"persona{i}@correo.example" for i in range(ROWS)],
            "phone": [f"+56 9 {i:04d} {i % 9973:04d}" for i in range(ROWS)],
            "address": [f"Pasaje Los Aromos {i % 900}, Renca" for i in range(ROWS)],
            "gender": ["Mujer", "Hombre"] * (ROWS // 2),
            "age_band": ["30-44"] * ROWS,
        }
    )


def test_csv_alone(benchmark: Any, remaining: pd.DataFrame) -> None:
    data = benchmark(dataframe_to_csv_bytes, remaining)
    benchmark.extra_info["csv_bytes"] = len(data)


def test_csv_and_workbook(benchmark: Any, remaining: pd.DataFrame) -> None:
    files = benchmark(personal_rows, "private/remaining.csv", remaining)
    benchmark.extra_info["xlsx_bytes"] = len(files["private/remaining.xlsx"])
    assert files["private/remaining.csv"] == dataframe_to_csv_bytes(remaining)
