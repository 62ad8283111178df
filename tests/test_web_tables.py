"""Seating at tables in the web app (Starlette's TestClient): an uploaded panel with rule files,
the panel drawn in the same run, conflicting rules, malformed forms and file names, Spanish.

The page calls the library through the worker task, so its files must be the very files
`sortition.tables` writes for the same panel, rules and seed.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from starlette.testclient import TestClient
from test_web import (  # noqa: F401
    client_for,
    csrf_of,
    drawn_with_waves,
    local,
    prepared_run,
    wait_for,
)

from sortition.tables import read_problem, seat
from sortition.tables.seating import result_files
from sortition.web.config import ServeConfig

SAMPLE = Path(__file__).parent.parent / "data" / "samples" / "assembly-150"


def new_tables_run(client: TestClient) -> tuple[str, str]:
    response = client.post("/runs", data={"csrf": csrf_of(client), "kind": "tables"})
    assert response.status_code == 303
    run = response.headers["location"].split("/")[2]
    assert response.headers["location"] == f"/runs/{run}/tables"
    return run, csrf_of(client, f"/runs/{run}/tables")


def upload(name: str, data: bytes | None = None) -> tuple[str, bytes, str]:
    return (name, data if data is not None else (SAMPLE / name).read_bytes(), "text/csv")


def test_an_uploaded_panel_is_seated_with_its_rules_as_the_library_seats_it(
    local: TestClient,  # noqa: F811
) -> None:
    run, token = new_tables_run(local)
    assert 'id="panel-file"' in local.get(f"/runs/{run}/tables").text
    assert 'id="seat-form"' not in local.get(f"/runs/{run}/tables").text  # no panel yet
    local.post(
        f"/runs/{run}/tables/panel", data={"csrf": token}, files={"panel": upload("panel.csv")}
    )
    page = local.get(f"/runs/{run}/tables").text
    assert "The uploaded panel panel.csv will be seated." in page
    offered = re.findall(r'name="balance" value="([^"]+)"', page)
    assert offered == ["gender", "age_band", "comuna", "education"]  # the id column is not offered
    form = {
        "csrf": token,
        "id_column": "id",
        "table_size": "10",
        "rounds": "3",
        "balance": ["gender", "comuna"],
        "seed": "7",
    }
    rules = {"together": upload("keep-together.csv"), "apart": upload("keep-apart.csv")}
    started = local.post(f"/runs/{run}/tables", data=form, files=rules)
    assert started.headers["location"] == f"/runs/{run}/progress"
    status = wait_for(local, run)
    assert status["state"] == "done", status
    assert status["result"]["repeated_pairs"] == 0 and status["result"]["outside"] == 0
    page = local.get(f"/runs/{run}/tables").text
    assert 'id="seating"' in page and "every table within floor and ceiling" in page
    assert 'id="fewer-repeats"' not in page  # (the advice shows only above the lower bound)
    assert 'id="which-repeats"' not in page  # (nobody meets again)
    assert "Rules: 2 keep-together group(s), 5 keep-apart pair(s)" in page
    assert page.count('href="/runs/' + run + "/tables/files/round-") == 3
    problem = read_problem(
        SAMPLE / "panel.csv",
        table_size=10,
        rounds=3,
        balance=["gender", "comuna"],
        keep_together=SAMPLE / "keep-together.csv",
        keep_apart=SAMPLE / "keep-apart.csv",
    )
    expected = result_files(seat(problem, seed="7"))
    names = ("tables.csv", "members.csv", "members.xlsx", "summary.csv", "repeats.csv")
    for name in (*names, "round-2.html"):
        served = local.get(f"/runs/{run}/tables/files/{name}?download=1")
        assert served.status_code == 200
        assert served.content == expected[name], name
    archive = zipfile.ZipFile(io.BytesIO(local.get(f"/runs/{run}/download.zip").content))
    assert {"tables/tables.csv", "tables/repeats.csv", "tables/round-3.html"} <= set(
        archive.namelist()
    )
    assert page.count('href="/runs/' + run + '/tables/files/repeats.csv?download=1"') == 1
    # the form remembers its choices; the stored rules can be removed
    assert 'value="comuna" checked' in page and "(current: keep-apart.csv)" in page
    form["clear_apart"] = "on"
    form["overwrite"] = "on"  # (replacing the seating made above)
    local.post(f"/runs/{run}/tables", data=form)
    assert wait_for(local, run)["result"]["apart"] == 0
    assert "(current: keep-apart.csv)" not in local.get(f"/runs/{run}/tables").text


def test_the_panel_drawn_in_the_run_is_offered_with_its_categories(
    local: TestClient,  # noqa: F811
) -> None:
    run, token = prepared_run(local)
    local.post(f"/runs/{run}/draw", data={"csrf": token, "algorithm": "maximin", "seed": "1"})
    assert wait_for(local, run)["state"] == "done"
    assert f'href="/runs/{run}/tables"' in local.get(f"/runs/{run}/result").text
    page = local.get(f"/runs/{run}/tables").text
    assert "The panel drawn in this run (its selected.csv) will be seated." in page
    ticked = re.findall(r'name="balance" value="([^"]+)" checked', page)
    assert ticked == ["gender", "age_band", "zone", "education"]  # the quota categories
    offered = re.findall(r'name="spread" value="([^"]+)"', page)
    assert offered == ["gender", "age_band", "zone", "education"]  # no names, e-mails, phones
    assert "personal data: first_name, last_name, email, phone, address." in page
    refused = {"csrf": token, "id_column": "id", "table_size": "8", "rounds": "1"}
    local.post(f"/runs/{run}/tables", data={**refused, "balance": "gender", "spread": "email"})
    assert wait_for(local, run)["state"] == "done"
    assert "email" not in local.get(f"/runs/{run}/tables/files/summary.csv").text
    form = {"csrf": token, "id_column": "id", "table_size": "8", "rounds": "2", "balance": ticked}
    local.post(f"/runs/{run}/tables", data=form)  # a seating exists: not replaced unasked
    status = wait_for(local, run)
    assert status["state"] == "failed" and status["error"]["code"] == "E203"
    assert 'id="tables-overwrite"' in local.get(f"/runs/{run}/tables").text
    local.post(f"/runs/{run}/tables", data={**form, "overwrite": "on"})
    status = wait_for(local, run)
    assert status["state"] == "done", status
    assert status["result"]["members"] == 40 and status["result"]["tables"] == 5
    assert status["result"]["seed_generated"] is True
    seated = local.get(f"/runs/{run}/tables/files/tables.csv").text.splitlines()
    log = local.get(f"/runs/{run}/files/selection-log.json").json()
    assert {row.split(",")[0] for row in seated[1:]} == set(log["draw"]["selected"])
    assert local.get(f"/runs/{run}/result").status_code == 200  # the draw is untouched


def test_after_replacements_the_panel_they_completed_is_seated(
    local: TestClient,  # noqa: F811
) -> None:
    """Members who dropped out are not seated; their replacements are (the last wave's panel)."""
    run, token, selected = drawn_with_waves(local, 2)
    last = local.get(f"/runs/{run}/replacement-2/files/selection-log.json").json()
    page = local.get(f"/runs/{run}/tables").text
    assert "as the last replacement completed it" in page
    ticked = re.findall(r'name="balance" value="([^"]+)" checked', page)
    assert ticked == ["gender", "age_band", "zone", "education"]
    form = {"csrf": token, "id_column": "id", "table_size": "8", "rounds": "1", "balance": ticked}
    local.post(f"/runs/{run}/tables", data=form)
    assert wait_for(local, run)["state"] == "done"
    seated = local.get(f"/runs/{run}/tables/files/tables.csv").text.splitlines()
    members = {row.split(",")[0] for row in seated[1:]}
    assert members == set(last["replacement"]["completed_panel"])
    assert not members & set(selected[:2])


def test_conflicting_rules_fail_with_the_reason_on_the_page(
    local: TestClient,  # noqa: F811
) -> None:
    run, token = new_tables_run(local)
    local.post(
        f"/runs/{run}/tables/panel", data={"csrf": token}, files={"panel": upload("panel.csv")}
    )
    together = b"group,id\ng,P001\ng,P002\n"
    apart = b"id_a,id_b\nP001,P002\n"
    form = {
        "csrf": token,
        "id_column": "id",
        "table_size": "10",
        "rounds": "1",
        "balance": "gender",
    }
    files = {"together": upload("t.csv", together), "apart": upload("a.csv", apart)}
    local.post(f"/runs/{run}/tables", data=form, files=files)
    status = wait_for(local, run)
    assert status["state"] == "failed" and status["error"]["code"] == "E302"
    page = local.get(f"/runs/{run}/tables").text
    assert 'role="alert"' in page and "E302" in page and 'id="seating"' not in page
    assert str(local.app.state.web.config.workdir) not in page  # no paths of the server


def test_malformed_forms_and_file_names_are_refused(local: TestClient) -> None:  # noqa: F811
    run, token = new_tables_run(local)
    base = {"csrf": token, "id_column": "id", "table_size": "10", "rounds": "2"}
    assert local.post(f"/runs/{run}/tables", data=base).status_code == 400  # no panel yet
    local.post(
        f"/runs/{run}/tables/panel", data={"csrf": token}, files={"panel": upload("panel.csv")}
    )
    for bad in ({"table_size": "0"}, {"rounds": "x"}, {"rounds": "999"}, {"id_column": "nope"}):
        assert local.post(f"/runs/{run}/tables", data={**base, **bad}).status_code == 400, bad
    refused = local.post(
        f"/runs/{run}/tables/panel", data={"csrf": token}, files={"panel": upload("p.pdf", b"x")}
    )
    assert refused.status_code == 303
    assert ".csv, .xlsx" in local.get(f"/runs/{run}/tables").text
    for name in ("round-0.html", "round-x.html", "..%2Fpanel.csv", "selected.csv"):
        assert local.get(f"/runs/{run}/tables/files/{name}").status_code == 404, name
    assert local.post(f"/runs/{run}/tables", data={**base, "csrf": "0" * 64}).status_code == 403


def test_the_tables_page_in_spanish(tmp_path: Path) -> None:
    client = client_for(ServeConfig(workdir=tmp_path / "work", lang="es"))
    assert "Distribuir una asamblea en mesas" in client.get("/").text
    run, token = new_tables_run(client)
    client.post(
        f"/runs/{run}/tables/panel", data={"csrf": token}, files={"panel": upload("panel.csv")}
    )
    page = client.get(f"/runs/{run}/tables").text
    assert "Columnas a equilibrar" in page and "Mantener separados" in page
    assert "Se distribuirá el panel subido, panel.csv." in page


def test_the_live_status_of_a_long_computation_in_both_languages() -> None:
    """What the progress page shows while LEXIMIN runs: phase, share fixed, level, bound, gap;
    statuses reach the page at most every STATUS_INTERVAL seconds."""
    from sortition.i18n import Translator
    from sortition.options import Status
    from sortition.outputs.live import live_status, live_text
    from sortition.web.tasks import Progress

    sent: list[tuple[str, object]] = []

    class Queue:
        def put(self, item: tuple[str, object]) -> None:
            sent.append(item)

    progress = Progress(Queue())
    progress.status(Status("leximin stage 3", 0.25, 0.0125, 0.0128))
    progress.status(Status("leximin stage 3", 0.25, 0.0126, 0.0128))  # too soon: dropped
    progress.status(None)
    progress("a line")
    assert [kind for kind, _ in sent] == ["status", "progress"]
    live = sent[0][1]
    assert isinstance(live, dict)
    english = live_text(Translator("en"), live)
    assert english == (
        "LEXIMIN, stage 3 · groups fixed 25.0% · lowest probability 0.012500 · "
        "proven bound 0.012800 (gap 2.34%)"
    )
    spanish = live_text(Translator("es"), live)
    assert spanish.startswith(
        "LEXIMIN, etapa 3 · grupos fijados 25,0 % · probabilidad mínima 0,012500"
    )
    realizing = live_status(
        Status("leximin: share of the relaxation's leximin realized", None, 0.95)
    )
    assert live_text(Translator("en"), realizing) == (
        "LEXIMIN: realizing the relaxation's leximin with real panels · share realized 0.950000"
    )
    assert live_text(Translator("en"), live_status(Status("maximin", None, 0.1, float("inf")))) == (
        "MAXIMIN · lowest probability 0.100000"
    )
    assert live_text(Translator("en"), None) == ""


def test_the_seating_search_shows_its_best_levels_while_it_runs() -> None:
    """A seating run's progress page shows the search's step and best levels, in both languages."""
    from sortition.i18n import Translator
    from sortition.outputs.live import live_text
    from sortition.tables import SearchProgress
    from sortition.web.tasks import Progress

    sent: list[tuple[str, object]] = []

    class Queue:
        def put(self, item: tuple[str, object]) -> None:
            sent.append(item)

    progress = Progress(Queue())
    progress.seating(SearchProgress(12345, 0, 97, 3, 0))
    progress.seating(SearchProgress(12377, 0, 96, 3, 0))  # too soon: dropped
    assert len(sent) == 1 and sent[0][0] == "status"
    live = sent[0][1]
    assert isinstance(live, dict)
    assert live_text(Translator("en"), live) == (
        "Seating search, step 12,345: best so far 0 outside floor/ceiling, 97 repeated pairs "
        "(lower bound 0)"
    )
    assert live_text(Translator("es"), live) == (
        "Búsqueda de la distribución en mesas, paso 12.345: lo mejor hasta ahora, 0 fuera de "
        "mínimo/máximo, 97 parejas que se repiten (cota inferior 0)"
    )


def test_spanish_organizers_get_spanish_round_pages(tmp_path: Path) -> None:
    """The printable pages follow the app's language; the CSV files are the same in both."""
    client = client_for(ServeConfig(workdir=tmp_path / "work", lang="es"))
    run, token = new_tables_run(client)
    client.post(
        f"/runs/{run}/tables/panel", data={"csrf": token}, files={"panel": upload("panel.csv")}
    )
    form = {"csrf": token, "id_column": "id", "table_size": "10", "rounds": "2"}
    client.post(f"/runs/{run}/tables", data={**form, "balance": "gender", "seed": "5"})
    assert wait_for(client, run)["state"] == "done"
    page = client.get(f"/runs/{run}/tables/files/round-2.html").text
    assert '<html lang="es">' in page and "Ronda 2 de 2: distribución en mesas" in page
    assert "<h2>Mesa 15</h2>" in page and "Semilla &#x27;5&#x27;, método search." in page
    problem = read_problem(SAMPLE / "panel.csv", table_size=10, rounds=2, balance=["gender"])
    english = result_files(seat(problem, seed="5"))
    assert "Round 2 of 2: seating" in english["round-2.html"].decode()
    served = client.get(f"/runs/{run}/tables/files/tables.csv").content
    assert served == english["tables.csv"]
    progress = client.get(f"/runs/{run}/progress").text
    assert f'href="/runs/{run}/tables">Volver a la distribución en mesas' in progress


def test_a_seating_with_repeated_pairs_says_how_to_have_fewer(
    local: TestClient,  # noqa: F811
) -> None:
    """Six rounds balancing the sample's four columns leave pairs meeting twice (see
    benchmarks/RESULTS.md); the result says what leaves more room."""
    run, token = new_tables_run(local)
    local.post(
        f"/runs/{run}/tables/panel", data={"csrf": token}, files={"panel": upload("panel.csv")}
    )
    form = {
        "csrf": token,
        "id_column": "id",
        "table_size": "10",
        "rounds": "6",
        "balance": ["gender", "age_band", "comuna", "education"],
        "seed": "7",
        "time_limit": "1",
    }
    local.post(f"/runs/{run}/tables", data=form)
    status = wait_for(local, run)
    assert status["state"] == "done", status
    assert status["result"]["repeated_pairs"] > status["result"]["repeat_lower_bound"]
    page = local.get(f"/runs/{run}/tables").text
    assert 'id="fewer-repeats"' in page and "balance fewer columns" in page
    assert 'id="which-repeats"' in page and "repeats.csv" in page
    assert "Repeated encounters (a pair meeting three times counts twice)" in page


def test_names_can_be_shown_beside_the_ids_on_the_printable_pages(
    local: TestClient,  # noqa: F811
) -> None:
    """Any column may be shown beside the ids (names are the point), though personal columns
    are never offered to balance or spread."""
    run, token = prepared_run(local)
    local.post(f"/runs/{run}/draw", data={"csrf": token, "algorithm": "maximin", "seed": "1"})
    assert wait_for(local, run)["state"] == "done"
    page = local.get(f"/runs/{run}/tables").text
    offered = re.findall(r'name="label" value="([^"]+)"', page)
    assert offered[:2] == ["first_name", "last_name"] and "id" not in offered
    assert not re.findall(r'name="label" value="[^"]+" checked', page)  # none unless chosen
    form = {"csrf": token, "id_column": "id", "table_size": "8", "rounds": "1"}
    form |= {"balance": "gender", "label": ["first_name", "last_name", "nonexistent"]}
    local.post(f"/runs/{run}/tables", data=form)
    assert wait_for(local, run)["state"] == "done"
    members = local.get(f"/runs/{run}/tables/files/members.csv").text.splitlines()
    assert members[0] == "id,first_name,last_name,round_1"
    first = members[1].split(",")
    round_page = local.get(f"/runs/{run}/tables/files/round-1.html").text
    assert f'<span class="id">{first[1]} {first[2]}</span>' in round_page
    again = local.get(f"/runs/{run}/tables").text  # the form keeps the choice
    assert "by their ids and by first_name, last_name: personal data" in again
    assert re.findall(r'name="label" value="([^"]+)" checked', again) == [
        "first_name",
        "last_name",
    ]


def test_the_sessions_still_ahead_continue_the_seating_above(
    local: TestClient,  # noqa: F811
) -> None:
    """After two sessions the panel changes: the seating above becomes the rounds held, the new
    rounds are numbered after them, and who met there counts as having met."""
    run, token = new_tables_run(local)
    local.post(
        f"/runs/{run}/tables/panel", data={"csrf": token}, files={"panel": upload("panel.csv")}
    )
    form = {"csrf": token, "id_column": "id", "table_size": "10", "rounds": "4"}
    local.post(f"/runs/{run}/tables", data={**form, "balance": "gender", "seed": "1"})
    assert wait_for(local, run)["state"] == "done"
    first = local.get(f"/runs/{run}/tables/files/tables.csv").text.splitlines()
    page = local.get(f"/runs/{run}/tables").text
    assert 'id="earlier-file"' in page and 'id="continue-seating"' in page
    # P003 left after the second session: a new panel without them
    panel = (SAMPLE / "panel.csv").read_text(encoding="utf-8").splitlines()
    smaller = "\n".join(line for line in panel if not line.startswith("P003,")) + "\n"
    local.post(
        f"/runs/{run}/tables/panel",
        data={"csrf": token},
        files={"panel": upload("panel-2.csv", smaller.encode())},
    )
    started = local.post(
        f"/runs/{run}/tables",
        data={**form, "rounds": "2", "balance": "gender", "continue_seating": "on", "held": "2"},
    )
    assert started.status_code == 303
    status = wait_for(local, run)
    assert status["state"] == "done", status
    assert status["result"]["held"] == 2 and status["result"]["members"] == 149
    page = local.get(f"/runs/{run}/tables").text
    assert "After 2 round(s) already held: these are rounds 3 to 4" in page
    assert f"/runs/{run}/tables/files/round-3.html" in page
    assert f"/runs/{run}/tables/files/round-4.html" in page
    assert f"/runs/{run}/tables/files/round-1.html" not in page
    assert local.get(f"/runs/{run}/tables/files/round-3.html").status_code == 200
    seated = local.get(f"/runs/{run}/tables/files/tables.csv").text.splitlines()
    held = [row for row in first[1:] if row.split(",")[1] in ("1", "2")]
    assert sorted(row for row in seated[1:] if row.split(",")[1] in ("1", "2")) == sorted(held)
    assert {row.split(",")[1] for row in seated if row.startswith("P003,")} == {"1", "2"}
    assert {row.split(",")[1] for row in seated[1:]} == {"1", "2", "3", "4"}
    # the stored seating is an input now: shown, and removable
    page = local.get(f"/runs/{run}/tables").text
    assert 'id="clear-earlier"' in page and "tables.csv" in page
    # more rounds held than the seating has: the library's reason, worded for the page
    local.post(
        f"/runs/{run}/tables", data={**form, "balance": "gender", "held": "9", "overwrite": "on"}
    )
    status = wait_for(local, run)
    assert status["state"] == "failed"
    page = local.get(f"/runs/{run}/tables").text
    assert "has no round 5" in page and "fewer rounds held" in page and "--held" not in page
    assert str(local.app.state.web.config.workdir) not in page  # no paths of the server


def test_continuing_a_seating_in_spanish(tmp_path: Path) -> None:
    client = client_for(ServeConfig(workdir=tmp_path / "work", lang="es"))
    run, token = new_tables_run(client)
    client.post(
        f"/runs/{run}/tables/panel", data={"csrf": token}, files={"panel": upload("panel.csv")}
    )
    form = {"csrf": token, "id_column": "id", "table_size": "10", "balance": "gender"}
    client.post(f"/runs/{run}/tables", data={**form, "rounds": "2", "seed": "1"})
    assert wait_for(client, run)["state"] == "done"
    page = client.get(f"/runs/{run}/tables").text
    assert "Sesiones ya realizadas (opcional)" in page
    assert "continuar la distribución de abajo" in page
    client.post(
        f"/runs/{run}/tables",
        data={**form, "rounds": "1", "continue_seating": "on", "held": "1"},
    )
    assert wait_for(client, run)["state"] == "done"
    page = client.get(f"/runs/{run}/tables").text
    assert "Después de 1 ronda(s) ya realizada(s): estas son las rondas 2 a 2" in page


def test_members_absent_from_a_session_are_left_out_and_named(
    local: TestClient,  # noqa: F811
) -> None:
    """Two members miss the third session: they get no seat there, the page names them, the
    field is empty again for the next session, and an id not on the panel is refused."""
    run, token = new_tables_run(local)
    local.post(
        f"/runs/{run}/tables/panel", data={"csrf": token}, files={"panel": upload("panel.csv")}
    )
    form = {"csrf": token, "id_column": "id", "table_size": "10", "balance": "gender"}
    local.post(f"/runs/{run}/tables", data={**form, "rounds": "2", "seed": "1"})
    assert wait_for(local, run)["state"] == "done"
    assert 'id="absent"' in local.get(f"/runs/{run}/tables").text
    local.post(
        f"/runs/{run}/tables",
        data={**form, "rounds": "1", "continue_seating": "on", "absent": "P003; P010 ,"},
    )
    status = wait_for(local, run)
    assert status["state"] == "done", status
    assert status["result"]["absent"] == ["P003", "P010"] and status["result"]["members"] == 148
    page = local.get(f"/runs/{run}/tables").text
    assert "Absent from rounds 3 to 3, not seated: P003, P010." in page
    assert re.search(r'id="absent"[^>]*>', page) and 'value="P003' not in page
    seated = local.get(f"/runs/{run}/tables/files/tables.csv").text.splitlines()
    assert {row.split(",")[1] for row in seated if row.startswith(("P003,", "P010,"))} == {
        "1",
        "2",
    }
    assert len([row for row in seated[1:] if row.split(",")[1] == "3"]) == 148
    local.post(
        f"/runs/{run}/tables",
        data={**form, "rounds": "1", "overwrite": "on", "absent": "P003, nobody"},
    )
    assert wait_for(local, run)["state"] == "failed"
    page = local.get(f"/runs/{run}/tables").text
    assert "absent id &#39;nobody&#39; is not in the panel" in page or (
        "absent id 'nobody' is not in the panel" in page
    )
    assert str(local.app.state.web.config.workdir) not in page


def test_absent_members_in_spanish(tmp_path: Path) -> None:
    client = client_for(ServeConfig(workdir=tmp_path / "work", lang="es"))
    run, token = new_tables_run(client)
    client.post(
        f"/runs/{run}/tables/panel", data={"csrf": token}, files={"panel": upload("panel.csv")}
    )
    page = client.get(f"/runs/{run}/tables").text
    assert "Ausentes en estas rondas (opcional)" in page
    form = {"csrf": token, "id_column": "id", "table_size": "10", "balance": "gender"}
    client.post(f"/runs/{run}/tables", data={**form, "rounds": "1", "absent": "P001"})
    assert wait_for(client, run)["state"] == "done"
    page = client.get(f"/runs/{run}/tables").text
    assert "Ausentes en las rondas 1 a 1, sin mesa: P001." in page
