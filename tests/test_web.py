"""The web app without a browser (Starlette's TestClient): access token, upload limits, paths
that try to leave the work directory, CSRF, a draw end to end, and report.html's privacy."""

from __future__ import annotations

import html
import io
import json
import re
import time
import zipfile
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from sortition.errors import SortitionError
from sortition.i18n import CATALOGS, Translator, default_language, format_number
from sortition.inputs.pool import read_pool
from sortition.outputs.report_html import add_report, render_report
from sortition.process.inputs import DrawInputs
from sortition.process.selection import SelectionRequest, select, selection_files
from sortition.web.app import create_app
from sortition.web.config import ServeConfig, serve_config
from sortition.web.tasks import error_record

RENCA = Path(__file__).parent.parent / "data" / "samples" / "renca"
LOCAL = "http://127.0.0.1"


def client_for(config: ServeConfig, base_url: str = LOCAL) -> TestClient:
    return TestClient(create_app(config), base_url=base_url, follow_redirects=False)


def csrf_of(client: TestClient, path: str = "/") -> str:
    page = client.get(path, follow_redirects=True).text
    match = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert match, page[:500]
    return match.group(1)


def new_run(client: TestClient) -> str:
    response = client.post("/runs", data={"csrf": csrf_of(client), "kind": "draw"})
    assert response.status_code == 303
    return response.headers["location"].rsplit("/", 1)[-1]


def prepared_run(
    client: TestClient,
    folder: Path = RENCA,
    settings: dict[str, str] | None = None,
    extra: dict[str, tuple[str, bytes, str]] | None = None,
) -> tuple[str, str]:
    """A new run with the folder's pool.csv and quotas.csv (and `extra` uploads) and its
    settings posted (default: Renca's, households by address, a panel of 40); (run, token)."""
    run = new_run(client)
    token = csrf_of(client, f"/runs/{run}")
    files = {
        role: (f"{role}.csv", (folder / f"{role}.csv").read_bytes(), "text/csv")
        for role in ("pool", "quotas")
    }
    client.post(f"/runs/{run}/upload", data={"csrf": token}, files={**files, **(extra or {})})
    chosen = settings or {"id_column": "id", "household": "address", "panel_size": "40"}
    client.post(f"/runs/{run}/settings", data={"csrf": token, **chosen})
    return run, token


@pytest.fixture
def local(tmp_path: Path) -> TestClient:
    return client_for(ServeConfig(workdir=tmp_path / "work", lang="en"))


def test_a_message_quoting_a_stored_file_names_the_organizers_file(tmp_path: Path) -> None:
    # the run's stored path (under a long work folder) is replaced whole by the uploaded file's
    # name, so it must reach the message whole: paths are never cut (text.quoted_path)
    run = tmp_path / ("carpeta de trabajo de la municipalidad " * 3).strip() / ("ab" * 16)
    stored = run / "inputs" / "pool.csv"
    stored.parent.mkdir(parents=True)
    stored.write_text("id,gender\n", encoding="utf-8")
    with pytest.raises(SortitionError) as info:
        read_pool(stored)
    record = error_record(info.value, run, {"pool": "inscritos vacío.csv"})
    assert record["message"] == "the pool file 'inscritos vacío.csv' has no registrants"
    assert record["file"] == "inscritos vacío.csv"


def test_non_loopback_host_requires_the_token(tmp_path: Path) -> None:
    config = serve_config(tmp_path / "work", host="0.0.0.0")
    assert config.token and not config.loopback
    client = client_for(config, base_url="http://192.0.2.10:8000")
    refused = client.get("/")
    assert refused.status_code == 401
    assert "access token" in refused.text
    assert client.get("/?token=wrong").status_code == 401
    entry = client.get(f"/?token={config.token}")
    assert entry.status_code == 303 and entry.headers["location"] == "/"
    assert client.get("/").status_code == 200  # the cookie now carries the token
    assert client.get("/static/style.css").status_code == 200


def test_loopback_needs_no_token_but_a_loopback_host_header(tmp_path: Path) -> None:
    config = serve_config(tmp_path / "work")
    assert config.token is None and config.loopback
    assert client_for(config).get("/").status_code == 200
    rebinding = client_for(config, base_url="http://attacker.example")
    assert rebinding.get("/").status_code == 421


def test_oversized_upload_is_refused(tmp_path: Path) -> None:
    client = client_for(ServeConfig(workdir=tmp_path / "work", max_upload_bytes=50_000))
    run = new_run(client)
    big = b"id,gender\n" + b"R1,Mujer\n" * 10_000
    response = client.post(
        f"/runs/{run}/upload",
        data={"csrf": csrf_of(client, f"/runs/{run}")},
        files={"pool": ("pool.csv", big, "text/csv")},
    )
    assert response.status_code == 413
    assert "larger than the limit" in response.text
    assert not list((tmp_path / "work" / "runs" / run).glob("inputs/*"))


def test_upload_content_is_checked(local: TestClient) -> None:
    run = new_run(local)
    response = local.post(
        f"/runs/{run}/upload",
        data={"csrf": csrf_of(local, f"/runs/{run}")},
        files={"pool": ("pool.xlsx", b"id,gender\nR1,Mujer\n", "application/octet-stream")},
    )
    assert response.status_code == 303
    assert "is named .xlsx but is not an Excel workbook" in local.get(f"/runs/{run}").text


@pytest.mark.parametrize(
    "path",
    [
        "/runs/..%2F..%2F..%2Fetc%2Fpasswd",
        "/runs/%2e%2e/files/report.html",
        "/runs/../../etc/passwd",
        "/runs/0123456789abcdef0123456789abcdef0/result",
        "/runs/%2Fetc%2Fpasswd/files/report.html",
    ],
)
def test_traversal_paths_are_refused_with_a_clear_message(local: TestClient, path: str) -> None:
    response = local.get(path)
    assert response.status_code in (400, 404)
    assert re.search(r"[Pp]aths to other files are refused", response.text)
    if "/runs/" in path and "../" not in path:  # a path the client does not normalize away
        assert response.status_code == 400
        assert "does not name a draw" in response.text


def test_file_names_come_from_an_allow_list(local: TestClient) -> None:
    run = new_run(local)
    for name in ("..%2F..%2Fstate-run.json", "state-run.json", "%2e%2e", "inputs"):
        response = local.get(f"/runs/{run}/files/{name}")
        assert response.status_code == 404
        assert re.search(r"no such file|paths to other files are refused", response.text)
    assert local.get(f"/runs/{run}/inputs/files/pool.csv").status_code == 404


def test_forms_need_the_session_csrf_token(local: TestClient) -> None:
    assert local.post("/runs", data={"kind": "draw"}).status_code == 403
    assert local.post("/runs", data={"csrf": "0" * 64, "kind": "draw"}).status_code == 403
    token = csrf_of(local)
    cross = local.post(
        "/runs", data={"csrf": token, "kind": "draw"}, headers={"origin": "http://evil.example"}
    )
    assert cross.status_code == 403


def test_delete_removes_the_runs_files(local: TestClient, tmp_path: Path) -> None:
    run = new_run(local)
    folder = tmp_path / "work" / "runs" / run
    assert folder.is_dir()
    response = local.post(f"/runs/{run}/delete", data={"csrf": csrf_of(local)})
    assert response.status_code == 303
    assert not folder.exists()
    assert local.get(f"/runs/{run}").status_code == 404


def test_errors_name_row_and_column_with_the_organizers_file_name(
    local: TestClient, tmp_path: Path
) -> None:
    run = new_run(local)
    token = csrf_of(local, f"/runs/{run}")
    pool = (RENCA / "pool.csv").read_text(encoding="utf-8").replace(",Mujer,", ",Mujre,", 1)
    local.post(
        f"/runs/{run}/upload",
        data={"csrf": token},
        files={
            "pool": ("inscritos.csv", pool.encode(), "text/csv"),
            "quotas": ("cuotas.csv", (RENCA / "quotas.csv").read_bytes(), "text/csv"),
        },
    )
    local.post(
        f"/runs/{run}/settings",
        data={"csrf": token, "id_column": "id", "household": "address", "panel_size": "40"},
    )
    page = local.get(f"/runs/{run}").text
    assert "inscritos.csv" in page and 'class="row">' in page and "Mujre" in page
    assert str(tmp_path) not in page and "inputs/pool" not in page


def wait_for(client: TestClient, run: str, timeout: float = 120) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        status = client.get(f"/runs/{run}/status").json()
        if status["state"] != "running":
            return status
        time.sleep(0.3)
    raise AssertionError("the draw did not finish")


def drawn_with_waves(client: TestClient, waves: int) -> tuple[str, str, list[str]]:
    """A run drawn by MAXIMIN (seed 1), then `waves` waves of one dropout each (the first
    members drawn, in order): the run, its form token and the ids drawn."""
    run, token = prepared_run(client)
    client.post(f"/runs/{run}/draw", data={"csrf": token, "algorithm": "maximin", "seed": "1"})
    assert wait_for(client, run)["state"] == "done"
    selected = client.get(f"/runs/{run}/files/selection-log.json").json()["draw"]["selected"]
    for wave, dropout in enumerate(selected[:waves], start=1):
        data = {"csrf": token, "dropouts": dropout, "seed": str(wave)}
        client.post(f"/runs/{run}/replace", data=data)
        assert wait_for(client, run)["state"] == "done"
    return run, token, list(selected)


def test_draw_end_to_end_and_zip(local: TestClient) -> None:
    run, token = prepared_run(local)
    local.post(f"/runs/{run}/check", data={"csrf": token})
    assert "a panel of this size meets every quota" in local.get(f"/runs/{run}").text
    started = local.post(
        f"/runs/{run}/draw", data={"csrf": token, "algorithm": "maximin", "seed": "2026"}
    )
    assert started.headers["location"] == f"/runs/{run}/progress"
    status = wait_for(local, run)
    assert status["state"] == "done", status
    assert any("maximin" in line for line in status["lines"])
    archive = local.get(f"/runs/{run}/download.zip")
    names = set(zipfile.ZipFile(io.BytesIO(archive.content)).namelist())
    assert {"report.html", "selection-log.json", "probabilities.csv"} <= {
        name.rsplit("/", 1)[-1] for name in names
    }
    result = local.get(f"/runs/{run}/result").text
    assert "R0" in result
    # the privacy note names the files this draw wrote (no reserves were drawn)
    note = result.split('id="privacy-note">', 1)[1].split("</p>", 1)[0]
    assert note == (
        "selected.csv, selected.xlsx, remaining.csv, remaining.xlsx hold personal data: keep them "
        "private. report.html, "
        "selection-log.json, probabilities.csv can be published."
    )
    assert 'id="workbooks-note">Each .xlsx file holds the same cells' in result
    workbook = local.get(f"/runs/{run}/files/selected.xlsx")
    assert workbook.status_code == 200 and workbook.content.startswith(b"PK\x03\x04")
    assert workbook.headers["content-type"].endswith("spreadsheetml.sheet")
    log = local.get(f"/runs/{run}/files/selection-log.json").json()
    dropout = log["draw"]["selected"][0]
    local.post(f"/runs/{run}/replace", data={"csrf": token, "dropouts": dropout, "seed": "1"})
    assert wait_for(local, run)["state"] == "done"
    page = local.get(f"/runs/{run}/result").text
    assert 'id="replacement-result"' in page
    report = local.get(f"/runs/{run}/replacement/files/report.html")
    assert report.status_code == 200 and "replacement" in report.text
    first = local.get(f"/runs/{run}/replacement/files/replacements.csv").content
    joined = local.get(f"/runs/{run}/replacement/files/selection-log.json").json()
    second = log["draw"]["selected"][1]
    # a second list of dropouts is a second wave: the first wave's files stay as they were
    local.post(f"/runs/{run}/replace", data={"csrf": token, "dropouts": second, "seed": "2"})
    assert wait_for(local, run)["state"] == "done"
    assert local.get(f"/runs/{run}/replacement/files/replacements.csv").content == first
    wave2 = local.get(f"/runs/{run}/replacement-2/files/selection-log.json").json()
    block = wave2["replacement"]
    assert block["dropouts"] == [second]
    assert block["earlier_replacements"][0]["log_fingerprint"] == joined["fingerprint"]
    assert set(joined["draw"]["selected"]) <= set(block["remaining"])
    page = local.get(f"/runs/{run}/result").text
    assert 'id="wave-2"' in page and 'id="replace-overwrite"' in page
    names = zipfile.ZipFile(io.BytesIO(local.get(f"/runs/{run}/download.zip").content)).namelist()
    assert "replacement-2/public/selection-log.json" in names
    # the box draws the last wave again, from the panel before it
    third = log["draw"]["selected"][2]
    local.post(
        f"/runs/{run}/replace",
        data={"csrf": token, "dropouts": third, "seed": "3", "overwrite": "on"},
    )
    assert wait_for(local, run)["state"] == "done"
    redrawn = local.get(f"/runs/{run}/replacement-2/files/selection-log.json").json()
    assert redrawn["replacement"]["dropouts"] == [third]
    assert redrawn["replacement"]["earlier_replacements"] == block["earlier_replacements"]
    assert local.get(f"/runs/{run}/replacement-3/files/selection-log.json").status_code == 404


def test_a_draw_corrected_for_self_selection(tmp_path: Path) -> None:
    """The population table is an optional third upload; the draw form offers the correction
    once it is there, and the log, the result page and report.html (Spanish) all say it."""
    client = client_for(ServeConfig(workdir=tmp_path / "work", lang="es"))
    plain, _ = prepared_run(client)
    assert 'name="correct_self_selection"' not in client.get(f"/runs/{plain}").text
    census = ("censo.csv", (RENCA / "population.csv").read_bytes(), "text/csv")
    run, token = prepared_run(client, extra={"population": census})
    page = client.get(f"/runs/{run}").text
    assert "Población por categoría" in page and "censo.csv" in page
    assert page.count('name="correct_self_selection"') == 2  # the draw and the lottery forms
    form = {"csrf": token, "algorithm": "maximin", "seed": "2026"}
    client.post(f"/runs/{run}/draw", data={**form, "correct_self_selection": "on"})
    status = wait_for(client, run)
    assert status["state"] == "done", status
    log = client.get(f"/runs/{run}/files/selection-log.json").json()
    record = log["self_selection"]
    assert record["population_table"]["file"] == "population.csv"  # the stored name, no path
    assert set(record["categories"]) == {"gender", "age_band"}
    assert 'id="self-selection"' in client.get(f"/runs/{run}/result").text
    report = client.get(f"/runs/{run}/files/report.html").text
    assert 'id="self-selection"' in report and "se autoseleccionan" in report
    # unchecked: no correction, and a checked box without a table is refused
    other = new_run(client)
    other_token = csrf_of(client, f"/runs/{other}")
    refused = client.post(
        f"/runs/{other}/draw",
        data={"csrf": other_token, "algorithm": "maximin", "correct_self_selection": "on"},
    )
    assert refused.status_code == 400


def test_diversimax_with_the_fairness_slack_from_the_form(local: TestClient) -> None:
    small = RENCA.parent / "example_small_20"
    run, token = prepared_run(local, small, {"id_column": "id", "panel_size": "20"})
    assert 'name="fairness_slack"' in local.get(f"/runs/{run}").text
    form = {"csrf": token, "algorithm": "diversimax", "seed": "1"}
    refused = local.post(f"/runs/{run}/draw", data={**form, "fairness_slack": "1"})
    assert refused.status_code == 400
    local.post(f"/runs/{run}/draw", data={**form, "fairness_slack": "0,1"})
    status = wait_for(local, run)
    assert status["state"] == "done", status
    log = local.get(f"/runs/{run}/files/selection-log.json").json()
    assert log["options"]["fairness_slack"] == 0.1
    floor = 0.9 * log["algorithm_details"]["maximin_min_probability"]
    assert min(log["probabilities"].values()) >= floor - 1e-9


# ---------------------------------------------------------------------------------------------
# report.html

PERSONAL = ("first_name", "last_name", "email", "phone", "address")


def test_report_has_no_personal_value_and_no_external_url() -> None:
    request = SelectionRequest(
        DrawInputs(
            str(RENCA / "pool.csv"), str(RENCA / "quotas.csv"), 40, algorithm="maximin",
            household_columns=("address",),
        ),
        seed="7",
    )  # fmt: skip
    selection = select(request)
    table = selection.loaded.pool.table
    for lang in ("es", "en"):
        files = add_report(selection_files(selection), lang)
        report = next(v for k, v in files.items() if k.endswith("report.html")).decode()
        for column in PERSONAL:  # every name, e-mail, phone and address, whole or escaped
            for value in table[column]:
                assert str(value) not in report and html.escape(str(value)) not in report
        assert not re.search(r"(?i)(https?:|//[a-z0-9]|src=|@import|url\()", report)
        assert "<script" not in report
        assert "<svg" in report
        log = json.loads(next(v for k, v in files.items() if k.endswith("selection-log.json")))
        assert str(log["fingerprint"]) in report


def test_report_numbers_follow_the_language() -> None:
    log = {
        "rules": {"panel_size": 2},
        "pool": {"people": [["a"], ["b"], ["c"]], "households": []},
        "probabilities": {"a": 0.045, "b": 0.955, "c": 1.0},
        "draw": {"selected": ["b", "c"]},
        "fairness": {"min_probability": 0.045, "max_probability": 1.0, "gini": 0.3},
        "quotas": [],
        "options": {"algorithm": "maximin"},
        "randomness": {"method": "seed", "seed": "x"},
    }
    spanish = render_report(log, "es").decode()
    assert "0,0450" in spanish and 'lang="es"' in spanish
    assert "0.0450" in render_report(log, "en").decode()


def test_catalogs_have_the_same_keys_and_fields() -> None:
    assert set(CATALOGS["es"]) == set(CATALOGS["en"])
    field = re.compile(r"\{(\w+)\}")
    for key, english in CATALOGS["en"].items():
        assert set(field.findall(english)) == set(field.findall(CATALOGS["es"][key])), key


def test_numbers_and_default_language() -> None:
    assert format_number(0.045, 3, "es") == "0,045"
    assert format_number(1234.5, 1, "es") == "1.234,5"
    assert format_number(1234.5, 1, "en") == "1,234.5"
    assert Translator("es").percent(0.125) == "12,5 %"
    assert default_language({"LANG": "es_CL.UTF-8"}) == "es"
    assert default_language({"LANG": "en_US.UTF-8"}) == "en"
    assert default_language({"LC_ALL": "es_ES", "LANG": "en_US"}) == "es"
    assert default_language({}) == "en"


def test_a_cancelled_draw_writes_nothing(local: TestClient, tmp_path: Path) -> None:
    run, token = prepared_run(local, settings={"id_column": "id", "panel_size": "40"})
    local.post(f"/runs/{run}/draw", data={"csrf": token, "algorithm": "leximin"})
    assert local.post(f"/runs/{run}/draw", data={"csrf": token}).status_code == 409  # one at once
    assert local.post(f"/runs/{run}/cancel", data={"csrf": token}).status_code == 303
    status = wait_for(local, run, timeout=30)
    assert status["state"] == "cancelled"
    assert not (tmp_path / "work" / "runs" / run / "output").exists()
    assert "was cancelled" in local.get(f"/runs/{run}/progress").text


def test_every_specific_error_code_is_explained_in_both_languages() -> None:
    """The error box explains each specific code in the page's language above the program's
    own (English) message; the catch-all codes (E000, E100, E200) and the ones an organizer
    cannot meet in the browser (E202 unwritable path, E401 solver crash) have no explanation."""
    import inspect

    import sortition.errors as errors
    from sortition.i18n import CATALOGS

    codes = {
        cls.code
        for _, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, errors.SortitionError)
    }
    unexplained = {"E000", "E100", "E200", "E202", "E401"}
    for lang in ("en", "es"):
        explained = {key.split(".", 1)[1] for key in CATALOGS[lang] if key.startswith("explain.")}
        assert explained == codes - unexplained, lang


def test_waves_of_replacements_in_spanish_and_their_verification(tmp_path: Path) -> None:
    """Two waves of dropouts in one run: the result page lists both in Spanish, and the run's
    own verification checks each wave against the draw (and the wave before)."""
    client = client_for(ServeConfig(workdir=tmp_path / "work", lang="es"))
    run, token = prepared_run(client)
    client.post(f"/runs/{run}/draw", data={"csrf": token, "algorithm": "maximin", "seed": "1"})
    assert wait_for(client, run)["state"] == "done"
    lines = client.get(f"/runs/{run}/status").json()["lines"]  # the library's lines, in Spanish
    assert any(line.startswith("maximin: probabilidad mínima") for line in lines), lines
    selected = client.get(f"/runs/{run}/files/selection-log.json").json()["draw"]["selected"]
    for wave, dropout in enumerate(selected[:2], start=1):
        client.post(
            f"/runs/{run}/replace", data={"csrf": token, "dropouts": dropout, "seed": str(wave)}
        )
        assert wait_for(client, run)["state"] == "done"
    page = client.get(f"/runs/{run}/result").text
    assert "Reemplazo n.º 1" in page and "Reemplazo n.º 2" in page
    assert "Sortear de nuevo el reemplazo n.º 2" in page
    client.post(f"/runs/{run}/verify-draw", data={"csrf": token})
    state = client.get(f"/runs/{run}/result").text
    assert state.count("como se desprende del sorteo original") == 2  # in Spanish
    assert "reemplazo n.º 2: " in state  # the second wave was checked after the first
    assert 'id="verdict">' in state and 'class="verdict ok"' in state


def test_the_verify_page_checks_a_replacement_against_its_original_draw(
    local: TestClient,
) -> None:
    """An auditor uploads a second wave's log: without the original draw's log the origin check
    is skipped with what to add; with the original and the wave before it passes; with the
    wrong wave before it fails."""
    run, token, _ = drawn_with_waves(local, 2)
    original = local.get(f"/runs/{run}/files/selection-log.json").content
    first = local.get(f"/runs/{run}/replacement/files/selection-log.json").content
    second = local.get(f"/runs/{run}/replacement-2/files/selection-log.json").content
    check = local.post("/runs", data={"csrf": csrf_of(local), "kind": "verify"})
    target = check.headers["location"].rsplit("/", 1)[0]
    token = csrf_of(local, f"{target}/verify")

    def upload(**files: bytes) -> str:
        sent = {role: (f"{role}.json", data, "application/json") for role, data in files.items()}
        local.post(f"{target}/verify", data={"csrf": token}, files=sent)
        return local.get(f"{target}/verify").text

    page = upload(log=second)
    assert 'class="verdict ok"' in page and "upload the original draw&#39;s log as well" in page
    page = upload(original=original, after=first)
    assert 'class="verdict ok"' in page and "replacement 2: 39 remaining" in page
    page = upload(after=original)  # not a replacement's log
    assert 'class="verdict bad"' in page and "check-fail" in page


def test_a_run_refuses_more_waves_than_it_keeps(
    local: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sortition.web import lottery_views

    monkeypatch.setattr(lottery_views, "MAX_REPLACEMENT_WAVES", 1)
    run, token = prepared_run(local)
    local.post(f"/runs/{run}/draw", data={"csrf": token, "algorithm": "maximin", "seed": "1"})
    assert wait_for(local, run)["state"] == "done"
    selected = local.get(f"/runs/{run}/files/selection-log.json").json()["draw"]["selected"]
    local.post(f"/runs/{run}/replace", data={"csrf": token, "dropouts": selected[0]})
    assert wait_for(local, run)["state"] == "done"
    refused = local.post(f"/runs/{run}/replace", data={"csrf": token, "dropouts": selected[1]})
    assert refused.status_code == 400 and "as many waves of replacements" in refused.text


def test_a_wave_drawn_from_public_numbers_records_their_key(local: TestClient) -> None:
    run, token, selected = drawn_with_waves(local, 0)
    numbers = "17 20 22 35 36 38 48"
    data = {"csrf": token, "dropouts": selected[0], "sources": numbers}
    local.post(f"/runs/{run}/replace", data=data)
    assert wait_for(local, run)["state"] == "done"
    log = local.get(f"/runs/{run}/replacement/files/selection-log.json").json()
    assert log["randomness"]["seed"] == "17.20.22.35.36.38.48./"
    assert log["randomness"]["seed_source"] == "rfc3797 key of the public sources"
    both = {**data, "seed": "7", "overwrite": "on"}  # a seed and numbers: the library refuses
    local.post(f"/runs/{run}/replace", data=both)
    status = wait_for(local, run)
    assert status["state"] == "failed" and status["error"]["code"] == "E200"


def test_an_impossible_panel_size_is_explained_in_the_pages_language(tmp_path: Path) -> None:
    """The quota check's counting problems come from the library in English; the Spanish page
    shows them in Spanish, with their numbers."""
    client = client_for(ServeConfig(workdir=tmp_path / "work", lang="es"))
    settings = {"id_column": "id", "household": "address", "panel_size": "5"}
    run, token = prepared_run(client, settings=settings)
    client.post(f"/runs/{run}/check", data={"csrf": token})
    page = html.unescape(client.get(f"/runs/{run}").text)
    assert "los mínimos de 'gender' suman 36, más que el tamaño del panel 5" in page
    assert "add up to" not in page
