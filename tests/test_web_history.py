"""The history of earlier selections in the web app's draw (`--history` in the browser): an
optional upload, then the draw form's cooldown, as-of date and mode; the same exclusions and
panel as the library for the same files and seed; malformed choices refused.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient
from test_web import RENCA, local, prepared_run, wait_for  # noqa: F401

from sortition.inputs.history import HistoryRule
from sortition.options import SolveOptions
from sortition.process.inputs import DrawInputs
from sortition.process.selection import SelectionRequest, select

HISTORY = (
    "id,process,date\n"
    "R0003,Renca 2025,2025-06-01\n"
    "R0009,Renca 2025,2025-06-01\n"
    "R0017,Renca 2019,2019-03-10\n"
)


def history_run(client: TestClient) -> tuple[str, str]:
    upload = ("anteriores.csv", HISTORY.encode(), "text/csv")
    return prepared_run(client, extra={"history": upload})


def test_recent_panelists_are_kept_out_as_the_library_keeps_them(
    local: TestClient,  # noqa: F811
    tmp_path: Path,
) -> None:
    run, token = history_run(local)
    page = local.get(f"/runs/{run}").text
    assert "anteriores.csv" in page and page.count('name="use_history" checked') == 2
    assert 'id="panel-size" min="1" required value="40"' in page  # the upload kept the settings
    form = {"csrf": token, "algorithm": "maximin", "seed": "2026", "use_history": "on"}
    form |= {"cooldown": "24", "as_of": "2026-11-23", "history_mode": "exclude"}
    local.post(f"/runs/{run}/draw", data=form)
    assert wait_for(local, run)["state"] == "done"
    log = local.get(f"/runs/{run}/files/selection-log.json").json()
    exclusions = log["exclusions"]
    assert exclusions["by_history"] == ["R0003", "R0009"]  # R0017 sat out long ago
    assert exclusions["history"]["file"] == "history.csv"
    assert exclusions["history"]["cooldown_months"] == 24
    assert not {"R0003", "R0009"} & set(log["draw"]["selected"])
    shown = local.get(f"/runs/{run}/result").text
    assert (
        "Earlier selections (anteriores.csv): 2 registrant(s) selected in the 24 months up to "
        "2026-11-23 kept out" in shown
    )
    history = tmp_path / "history.csv"
    history.write_text(HISTORY, encoding="utf-8")
    expected = select(
        SelectionRequest(
            DrawInputs(
                str(RENCA / "pool.csv"),
                str(RENCA / "quotas.csv"),
                40,
                "maximin",
                household_columns=("address",),
                history=HistoryRule(str(history), 24, "2026-11-23"),
                options=SolveOptions(),
            ),
            seed="2026",
        )
    )
    assert sorted(log["draw"]["selected"]) == sorted(expected.selected_ids)


def test_the_history_is_used_only_when_ticked_and_bad_choices_are_refused(
    local: TestClient,  # noqa: F811
) -> None:
    run, token = history_run(local)
    form = {"csrf": token, "algorithm": "maximin", "seed": "2026"}
    local.post(f"/runs/{run}/draw", data=form)
    assert wait_for(local, run)["state"] == "done"
    log = local.get(f"/runs/{run}/files/selection-log.json").json()
    assert log["exclusions"]["history"] is None and log["exclusions"]["by_history"] == []
    ticked = {**form, "use_history": "on", "overwrite": "on", "as_of": "2026-11-23"}
    assert local.post(f"/runs/{run}/draw", data={**ticked, "cooldown": "x"}).status_code == 400
    bad_mode = {**ticked, "cooldown": "24", "history_mode": "forget"}
    assert local.post(f"/runs/{run}/draw", data=bad_mode).status_code == 400
    local.post(f"/runs/{run}/draw", data={**ticked, "cooldown": "24", "as_of": "23/11/2026"})
    status = wait_for(local, run)
    assert status["state"] == "failed"
    assert "23/11/2026" in status["error"]["message"]


def test_a_history_error_names_the_file_as_the_organizer_named_it(
    local: TestClient,  # noqa: F811
) -> None:
    bad = HISTORY + "R0021,Renca 2024,el año pasado\n"
    upload = ("selecciones anteriores de la municipalidad.csv", bad.encode(), "text/csv")
    run, token = prepared_run(local, extra={"history": upload})
    form = {"csrf": token, "algorithm": "maximin", "seed": "2026", "use_history": "on"}
    local.post(f"/runs/{run}/draw", data={**form, "cooldown": "24", "as_of": "2026-11-23"})
    status = wait_for(local, run)
    assert status["state"] == "failed"
    error = status["error"]
    shown = " ".join(str(error.get(key) or "") for key in ("message", "hint", "file"))
    assert error["file"] == "selecciones anteriores de la municipalidad.csv"
    assert error["row"] == 5
    assert "history.csv" not in shown and "/runs/" not in shown and "..." not in shown
