"""The selection log can be re-checked from the log alone, as an auditor would."""

from __future__ import annotations

import csv
import json
import math
from collections import Counter
from pathlib import Path

import pytest

from sortition.process.inputs import DrawInputs
from sortition.process.selection import SelectionRequest, select, selection_files

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


@pytest.fixture(scope="module")
def renca_log() -> dict:
    request = SelectionRequest(
        DrawInputs(
            str(SAMPLES / "renca" / "pool.csv"),
            str(SAMPLES / "renca" / "quotas.csv"),
            40,
            household_columns=("address",),
        ),
        seed="auditor",
    )
    return json.loads(selection_files(select(request))["public/selection-log.json"])


def _realize(log: dict, index: int, u: float) -> list[str]:
    """The documented rotation rule, written from the log's text alone."""
    panel = log["distribution"]["panels"][index]
    chosen = list(panel["ids"])
    for group, count in panel["groups"]:
        members = log["distribution"]["groups"][str(group)]
        start = math.floor(u * len(members))
        chosen += [members[(start + j) % len(members)] for j in range(count)]
    return sorted(chosen)


def test_drawn_panel_follows_from_the_log(renca_log: dict) -> None:
    draw = renca_log["draw"]
    assert _realize(renca_log, draw["panel_index"], draw["u"]) == sorted(draw["selected"])


def test_distribution_is_well_formed(renca_log: dict) -> None:
    distribution = renca_log["distribution"]
    assert distribution["num_panels"] == len(distribution["panels"])
    total = sum(p["probability"] for p in distribution["panels"])
    assert abs(total - 1.0) < 1e-9
    assert renca_log["schema_version"] == "2"
    assert renca_log["randomness"]["seed"] == "auditor"
    assert renca_log["randomness"]["seed_source"] == "given"
    assert renca_log["randomness"]["committed_in_advance"] is False


def test_every_logged_panel_meets_every_quota_and_household_rule(renca_log: dict) -> None:
    with open(SAMPLES / "renca" / "pool.csv", encoding="utf-8") as handle:
        pool = {row["id"]: row for row in csv.DictReader(handle)}
    with open(SAMPLES / "renca" / "quotas.csv", encoding="utf-8") as handle:
        quotas = list(csv.DictReader(handle))
    for index in range(renca_log["distribution"]["num_panels"]):
        for u in (0.0, 0.37, 0.999):
            panel = _realize(renca_log, index, u)
            assert len(set(panel)) == 40
            for quota in quotas:
                count = sum(pool[i][quota["feature"]] == quota["value"] for i in panel)
                assert int(quota["min"]) <= count <= int(quota["max"])
            addresses = Counter(pool[i]["address"].strip().casefold() for i in panel)
            assert max(addresses.values()) == 1


def test_marginals_from_the_log_sum_to_k(renca_log: dict) -> None:
    expected: Counter[str] = Counter()
    groups = renca_log["distribution"]["groups"]
    for panel in renca_log["distribution"]["panels"]:
        for person in panel["ids"]:
            expected[person] += panel["probability"]
        for group, count in panel["groups"]:
            members = groups[str(group)]
            for person in members:
                expected[person] += panel["probability"] * count / len(members)
    assert abs(sum(expected.values()) - 40) < 1e-9
    assert min(expected.values()) == pytest.approx(renca_log["fairness"]["min_probability"])
