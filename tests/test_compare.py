"""Tests of `sortition.research.compare` and `sortition compare` on the bundled example_small_20
instance.

LEGACY uses 200 draws; maximin and leximin solve the instance in well under a second.
"""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import click
import numpy as np
import pytest
from click.testing import CliRunner

from sortition.cli.compare_command import compare_command
from sortition.errors import SolverFailure, UsageError
from sortition.options import SolveOptions
from sortition.outputs.result_set import marker_name
from sortition.research.compare import (
    AlgorithmRun,
    CompareRequest,
    compare,
    failure_exit_code,
    wilson_interval,
)
from sortition.research.compare_files import OUTPUT_FILES, comparison_files
from sortition.research.compare_plots import COLOURS
from sortition.research.compare_tables import COMPARISON_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "data" / "samples" / "example_small_20"
ALGORITHMS = ("legacy", "maximin", "leximin")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    return records[0], records[1:]


def request(seed: str = "7", algorithms: tuple[str, ...] = ALGORITHMS) -> CompareRequest:
    return CompareRequest(
        str(SMALL / "pool.csv"),
        str(SMALL / "quotas.csv"),
        20,
        algorithms,
        seed=seed,
        options=SolveOptions(legacy_draws=200),
    )


def invoke(*args: object):
    group = click.Group("sortition")
    group.add_command(compare_command)
    return CliRunner().invoke(group, ["compare", *(str(a) for a in args)])


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("compare")
    result = invoke(
        SMALL / "pool.csv",
        SMALL / "quotas.csv",
        "--panel-size",
        20,
        "--algorithms",
        "legacy,maximin,leximin",
        "--draws",
        200,
        "--seed",
        7,
        "--out",
        out,
    )
    assert result.exit_code == 0, result.output + result.stderr
    return out, result.output


def test_cli_writes_the_four_files_with_the_right_shape(cli_run) -> None:
    out, _ = cli_run
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == sorted([*OUTPUT_FILES, marker_name()])  # all under public/ (issue 15)
    header, rows = read_csv(out / "public" / "comparison.csv")
    assert header == list(COMPARISON_COLUMNS)
    assert [r[0] for r in rows] == list(ALGORITHMS)
    by_name = {r[0]: dict(zip(header, r, strict=True)) for r in rows}
    for name in ("maximin", "leximin"):
        assert float(by_name[name]["min_probability"]) == pytest.approx(0.1, abs=1e-6)
        assert by_name[name]["result"] == "exact"
        assert by_name[name]["min_ci99_high"] == ""
    legacy = by_name["legacy"]
    assert legacy["result"] == "estimate from 200 draws"
    low, high = float(legacy["min_ci99_low"]), float(legacy["min_ci99_high"])
    assert low <= float(legacy["min_probability"]) <= high
    assert float(legacy["min_probability"]) < 0.1

    header, rows = read_csv(out / "public" / "probabilities.csv")
    assert header == ["id", *ALGORITHMS]
    assert len(rows) == 200 and rows[0][0] == "P001"
    for j in range(1, 4):
        assert sum(float(r[j]) for r in rows) == pytest.approx(20, abs=1e-6)

    header, rows = read_csv(out / "public" / "expected_counts.csv")
    assert header == ["feature", "value", "min", "max", "in_pool", *ALGORITHMS]
    assert [(r[0], r[1]) for r in rows] == [
        ("gender", "female"),
        ("gender", "male"),
        ("leaning", "liberal"),
        ("leaning", "conservative"),
    ]
    for r in rows:
        for cell in r[5:]:
            assert int(r[2]) - 1e-6 <= float(cell) <= int(r[3]) + 1e-6


def test_cli_prints_the_table_and_notes_the_estimate(cli_run) -> None:
    _, output = cli_run
    assert "algorithm" in output and "runtime s" in output and "gini" in output
    for name in ALGORITHMS:
        assert name in output
    assert "99% CI" in output and "estimates from 200 seeded draws" in output


def test_png_is_valid_and_shows_every_curve(cli_run) -> None:
    import matplotlib.image

    out, _ = cli_run
    data = (out / "public" / "probabilities.png").read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    image = matplotlib.image.imread(out / "public" / "probabilities.png")
    assert image.ndim == 3 and image.shape[0] > 300 and image.shape[1] > 500
    rgb = image[..., :3]
    assert (rgb < 0.95).any()  # not blank
    for colour in COLOURS[: len(ALGORITHMS)]:
        target = np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
        close = np.abs(rgb - target).max(axis=2) < 0.06
        assert close.sum() > 20, colour


def test_metrics_png_has_a_bar_per_algorithm_and_figure(cli_run) -> None:
    import matplotlib.image

    out, _ = cli_run
    data = (out / "public" / "metrics.png").read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    image = matplotlib.image.imread(out / "public" / "metrics.png")
    # three charts (lowest probability, entropy, intersectional balance), no correction asked
    assert image.shape[0] == round((2.0 + 1.6 * 3) * 110)
    rgb = image[..., :3]
    for colour in COLOURS[: len(ALGORITHMS)]:
        target = np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
        close = np.abs(rgb - target).max(axis=2) < 0.06
        assert close.sum() > 3 * 100, colour  # a bar in each of the three charts


def test_same_seed_same_results_except_runtime(tmp_path: Path) -> None:
    def strip_runtime(comparison) -> dict[str, bytes]:
        files = comparison_files(comparison)
        header, *rows = files["public/comparison.csv"].decode().splitlines()
        column = header.split(",").index("runtime_s")
        files["public/comparison.csv"] = "\n".join(
            ",".join(c for i, c in enumerate(row.split(",")) if i != column)
            for row in [header, *rows]
        ).encode()
        del files["public/probabilities.png"]  # holds nothing seed-dependent beyond the CSVs
        return files

    first = strip_runtime(compare(request()))
    assert strip_runtime(compare(request())) == first
    other = strip_runtime(compare(request(seed="8", algorithms=("legacy",))))
    assert other["public/probabilities.csv"] != first["public/probabilities.csv"]


def test_a_failing_algorithm_is_reported_not_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    import sortition.research.compare as module

    real = module.get_algorithm

    def failing(name: str):
        algorithm = real(name)
        if name != "maximin":
            return algorithm

        def solve(*_args, **_kwargs):
            raise SolverFailure("the solver gave up", hint="try again")

        return replace(algorithm, function=solve)

    monkeypatch.setattr(module, "get_algorithm", failing)
    comparison = compare(request(algorithms=("maximin", "leximin")))
    maximin, leximin = comparison.runs
    assert not maximin.ok and maximin.result.startswith("failed: ") and "gave up" in maximin.result
    assert leximin.ok and leximin.distribution.algorithm == "leximin"
    files = comparison_files(comparison)
    assert "failed: " in files["public/comparison.csv"].decode()
    assert failure_exit_code(comparison.runs) == 0
    only = compare(request(algorithms=("maximin",)))
    assert failure_exit_code(only.runs) == SolverFailure.exit_code
    assert files["public/probabilities.png"].startswith(PNG_SIGNATURE)


def test_cli_exit_code_when_every_algorithm_fails(tmp_path: Path) -> None:
    # Minimums adding up to 30 > k = 20: no panel exists, so every algorithm fails.
    quotas = tmp_path / "quotas.csv"
    quotas.write_text(
        "feature,value,min,max\ngender,female,15,20\ngender,male,15,20\n", encoding="utf-8"
    )
    result = invoke(
        SMALL / "pool.csv",
        quotas,
        "-k",
        20,
        "--algorithms",
        "legacy,maximin",
        "--draws",
        10,
        "--out",
        tmp_path / "out",
        "-q",
    )
    assert result.exit_code != 0
    assert result.output.count("failed: ") == 2
    assert "every algorithm failed" in result.stderr
    assert (tmp_path / "out" / "public" / "comparison.csv").exists()


def test_unknown_or_repeated_algorithm_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke(
        SMALL / "pool.csv",
        SMALL / "quotas.csv",
        "-k",
        20,
        "--algorithms",
        "legacy,magic",
        "--out",
        tmp_path,
    )
    assert result.exit_code == UsageError.exit_code
    assert "magic" in result.stderr
    with pytest.raises(UsageError):
        compare(request(algorithms=("legacy", "legacy")))


def test_wilson_interval() -> None:
    low, high = wilson_interval(0.0, 1000)
    assert low == 0.0 and 0.005 < high < 0.01
    low, high = wilson_interval(0.5, 100)
    assert low == pytest.approx(1 - high) and 0.36 < low < 0.38
    run = AlgorithmRun("x", 0.0, error="boom", exit_code=4)
    assert run.result == "failed: boom" and run.min_interval() is None
