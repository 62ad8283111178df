"""Reserves: ranked, outside the panel's households, and their stated coverage is exact."""

from __future__ import annotations

import csv
import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from helpers.invariants import panel_meets_quotas
from helpers.panels import best_panel

from sortition.cli.main import cli
from sortition.inputs.build import load_instance
from sortition.process.reserves import choose_reserves

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
RENCA = SAMPLES / "renca"


@pytest.fixture(scope="module")
def renca():
    loaded = load_instance(
        RENCA / "pool.csv", RENCA / "quotas.csv", panel_size=40, household_columns=("address",)
    )
    instance = loaded.instance
    return instance, best_panel(instance, np.ones(instance.size))


def test_stated_coverage_matches_brute_force(renca) -> None:
    instance, panel = renca
    reserves = choose_reserves(instance, panel, 5, np.random.default_rng(1))
    assert len(reserves.people) == 5

    def meets(people: np.ndarray) -> bool:
        return panel_meets_quotas(instance, np.sort(people))

    singles = sum(
        any(meets(np.append(np.delete(panel, d), r)) for r in reserves.people)
        for d in range(len(panel))
    )
    doubles = sum(
        any(
            meets(np.append(np.delete(panel, [d1, d2]), [a, b]))
            for a, b in itertools.combinations(reserves.people, 2)
        )
        for d1, d2 in itertools.combinations(range(len(panel)), 2)
    )
    assert (reserves.singles_repaired, reserves.singles) == (singles, 40)
    assert (reserves.doubles_repaired, reserves.doubles) == (doubles, 780)
    assert reserves.single_coverage > 0.9


def test_reserves_are_outside_the_panel_and_its_households(renca) -> None:
    instance, panel = renca
    reserves = choose_reserves(instance, panel, 30, np.random.default_rng(2))
    taken = {int(h) for h in instance.households[panel] if h >= 0}
    assert len(set(reserves.people)) == 30
    for person in reserves.people:
        assert person not in set(panel.tolist())
        assert int(instance.households[person]) not in taken


def test_greedy_ranking_is_deterministic_and_front_loaded(renca) -> None:
    instance, panel = renca
    first = choose_reserves(instance, panel, 6, np.random.default_rng(3))
    again = choose_reserves(instance, panel, 6, np.random.default_rng(3))
    assert first == again
    shorter = choose_reserves(instance, panel, 3, np.random.default_rng(3))
    assert shorter.people == first.people[:3]  # a longer list extends the shorter one
    assert choose_reserves(instance, panel, 0, np.random.default_rng(3)).people == ()


def test_select_writes_ranked_reserves_without_changing_the_panel(tmp_path: Path) -> None:
    runner = CliRunner()
    common = [str(RENCA / "pool.csv"), str(RENCA / "quotas.csv"), "-k", "40", "-a", "maximin",
              "--household-columns", "address", "--seed", "5", "--quiet"]  # fmt: skip
    plain = runner.invoke(cli, ["select", *common, "--out", str(tmp_path / "plain")])
    assert plain.exit_code == 0, plain.output
    result = runner.invoke(
        cli, ["select", *common, "--reserves", "4", "--out", str(tmp_path / "r")]
    )
    assert result.exit_code == 0, result.output
    assert "single dropouts" in result.stdout and "double dropouts" in result.stdout
    plain_selected = (tmp_path / "plain" / "private" / "selected.csv").read_bytes()
    assert (tmp_path / "r" / "private" / "selected.csv").read_bytes() == plain_selected
    with (tmp_path / "r" / "private" / "reserves.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    log = json.loads((tmp_path / "r" / "public" / "selection-log.json").read_text(encoding="utf-8"))
    assert [row["reserve_rank"] for row in rows] == ["1", "2", "3", "4"]
    assert [row["id"] for row in rows] == log["reserves"]["ranked"]
    assert log["reserves"]["single_dropouts"] == 40
