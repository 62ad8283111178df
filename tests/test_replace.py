"""`sortition replace`: refill a panel after dropouts, keep every quota, verify the result."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result
from helpers import make_instance
from helpers.invariants import panel_meets_quotas

from sortition.audit.canonical import instance_from_records
from sortition.cli.main import cli
from sortition.errors import InfeasibleQuotas
from sortition.process.replace import replacement_instance, require_feasible

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
POOL = SAMPLES / "renca" / "pool.csv"
QUOTAS = SAMPLES / "renca" / "quotas.csv"


def invoke(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def write_ids(path: Path, ids: list[str]) -> Path:
    path.write_text("id\n" + "".join(f"{i}\n" for i in ids), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def replaced(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("replace")
    drawn = invoke(
        "select", POOL, QUOTAS, "-k", 40, "--household-columns", "address", "--seed", "2026",
        "--out", base / "draw", "--quiet",
    )  # fmt: skip
    assert drawn.exit_code == 0, drawn.output
    log = json.loads((base / "draw" / "public" / "selection-log.json").read_text(encoding="utf-8"))
    dropouts = write_ids(base / "dropouts.csv", log["draw"]["selected"][3:7])
    result = invoke(
        "replace", base / "draw" / "public" / "selection-log.json", "--dropouts", dropouts,
        "--pool", POOL, "--seed", "7", "--out", base / "replacement", "--quiet",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return {"base": base, "dropouts": dropouts, "output": result}


def test_completed_panel_restores_every_quota_and_household_rule(
    replaced: dict[str, Path],
) -> None:
    original = json.loads((replaced["base"] / "draw" / "public" / "selection-log.json").read_text())
    log = json.loads(
        (replaced["base"] / "replacement" / "public" / "selection-log.json").read_text()
    )
    full = instance_from_records(original["pool"], original["rules"])
    position = {p: i for i, p in enumerate(full.ids)}
    block = log["replacement"]
    dropped = set(block["dropouts"])
    assert len(dropped) == 4 and dropped <= set(original["draw"]["selected"])
    new = log["draw"]["selected"]
    assert len(new) == 4 and not set(new) & set(original["draw"]["selected"])
    completed = np.array(sorted(position[p] for p in block["completed_panel"]))
    assert panel_meets_quotas(full, completed)  # quotas, size k and one per household
    remaining_households = {int(full.households[position[p]]) for p in block["remaining"]} - {-1}
    for person in new:
        assert int(full.households[position[person]]) not in remaining_households
    with (replaced["base"] / "replacement" / "private" / "replacements.csv").open(
        encoding="utf-8"
    ) as f:
        assert sorted(row["id"] for row in csv.DictReader(f)) == new


def test_replacement_log_passes_verify(replaced: dict[str, Path]) -> None:
    result = invoke(
        "verify", replaced["base"] / "replacement" / "public" / "selection-log.json", "--deep"
    )
    assert result.exit_code == 0, result.output
    assert "completed panel" in result.stdout


def test_replacement_is_repeatable(replaced: dict[str, Path], tmp_path: Path) -> None:
    again = invoke(
        "replace", replaced["base"] / "draw" / "public" / "selection-log.json", "--dropouts",
        replaced["dropouts"], "--pool", POOL, "--seed", "7", "--out", tmp_path / "again", "-q",
    )  # fmt: skip
    assert again.exit_code == 0, again.output
    first = replaced["base"] / "replacement"
    for path in first.rglob("*"):
        if path.is_file():
            name = path.relative_to(first)
            assert (tmp_path / "again" / name).read_bytes() == path.read_bytes(), name


def test_impossible_restoration_exits_3_naming_the_quota(tmp_path: Path) -> None:
    pool = tmp_path / "pool.csv"
    pool.write_text("id,gender\nf1,f\nm1,m\nm2,m\nm3,m\n", encoding="utf-8")
    quotas = tmp_path / "quotas.csv"
    quotas.write_text("feature,value,min,max\ngender,f,1,1\ngender,m,1,1\n", encoding="utf-8")
    drawn = invoke("select", pool, quotas, "-k", 2, "--seed", 1, "--out", tmp_path / "d", "-q")
    assert drawn.exit_code == 0, drawn.output
    result = invoke(
        "replace", tmp_path / "d" / "public" / "selection-log.json", "--dropouts",
        write_ids(tmp_path / "out.csv", ["f1"]), "--out", tmp_path / "r", "-q",
    )  # fmt: skip
    assert result.exit_code == 3
    assert "gender=f" in result.stderr and "cannot" in result.stderr
    assert not (tmp_path / "r").exists()


def test_dropout_not_on_the_panel_is_a_clear_error(
    replaced: dict[str, Path], tmp_path: Path
) -> None:
    original = json.loads((replaced["base"] / "draw" / "public" / "selection-log.json").read_text())
    outsider = next(
        r[0] for r in original["pool"]["people"] if r[0] not in original["draw"]["selected"]
    )
    result = invoke(
        "replace", replaced["base"] / "draw" / "public" / "selection-log.json", "--dropouts",
        write_ids(tmp_path / "d.csv", [outsider]), "--out", tmp_path / "r",
    )  # fmt: skip
    assert result.exit_code == 1
    assert outsider in result.stderr and "not on the drawn panel" in result.stderr
    spanish = invoke(
        "replace", replaced["base"] / "draw" / "public" / "selection-log.json", "--dropouts",
        tmp_path / "d.csv", "--out", tmp_path / "r", "--lang", "es",
    )  # fmt: skip
    assert spanish.exit_code == 1
    assert f"el id '{outsider}' de quien renunció no está en el panel sorteado" in spanish.stderr


def test_restoration_with_enough_people_but_no_fitting_set_names_the_smallest_deviation() -> None:
    """Enough eligible registrants, but no set of them fits: the message gives the smallest
    change, in the original quota table's numbers (the remaining members' counts added back)."""
    # p4 (x, u) and p0 (x, w) stay, p5 (y, u) dropped out: the panel needs 2 more u, nobody
    # eligible holds u
    values = [[0, 1], [0, 1], [1, 1], [1, 1], [0, 0], [1, 0]]
    full = make_instance(values, [[(1, 2), (1, 2)], [(3, 3), (0, 3)]], 3)
    candidates = replacement_instance(full, ("p4", "p5", "p0"), ("p4", "p0"), 1)
    assert candidates.ids == ("p2", "p3")  # x is full with p4 and p0
    with pytest.raises(InfeasibleQuotas) as raised:
        require_feasible(candidates, full, ("p4", "p0"), "highs")
    message = str(raised.value)
    assert "smallest deviation" in message and "f1=v0 3..3 -> " in message
