"""The quota table from the census in the web app (Starlette's TestClient): the bundled census
for one commune, names and values as the pool spells them, errors with file and column, an
uploaded census, Spanish, malformed forms.

The page calls `sortition.inputs.census`, so its table must be the very bytes the library (and
`sortition quotas`) makes from the same choices.
"""

from __future__ import annotations

import re
from pathlib import Path

from starlette.testclient import TestClient
from test_web import client_for, csrf_of, local, new_run, prepared_run  # noqa: F401

from sortition.inputs.census import BUNDLED_CENSUS, census_quotas, census_rows, read_census
from sortition.outputs.files import quotas_to_csv_bytes
from sortition.web.config import ServeConfig

BANDS = ("18-29", "30-44", "45-59", "60+")


def renca_quotas(tolerance: int) -> bytes:
    census = census_rows(read_census(BUNDLED_CENSUS), {"commune": ["Renca"]})
    result = census_quotas(
        census,
        ["sex", "age_band"],
        40,
        tolerance=tolerance,
        bands=BANDS,
        rename={"sex": "gender"},
        relabel={"sex": {"female": "Mujer", "male": "Hombre"}},
    )
    return quotas_to_csv_bytes(result.features)


def fields(page: str) -> dict[str, str]:
    """The text and number inputs of the census form, by name, with their values."""
    pattern = r'<input type="(?:text|number)" name="([^"]+)"[^>]*value="([^"]*)"'
    return dict(re.findall(pattern, page))


def test_a_communes_quota_table_from_the_bundled_census_becomes_the_runs(
    local: TestClient,  # noqa: F811
) -> None:
    run, token = prepared_run(local)
    assert f'href="/runs/{run}/census"' in local.get(f"/runs/{run}").text
    page = local.get(f"/runs/{run}/census").text
    assert "The 2017 census of the 52 communes" in page and 'id="made"' not in page
    assert 'value="Renca"' in page and 'name="where:commune"' in page
    assert re.findall(r'name="by" value="([^"]+)" checked', page) == ["sex", "age_band"]
    shown = fields(page)
    assert shown["panel_size"] == "40"  # the run's panel size
    assert shown["bands"] == ",".join(BANDS) and shown["tolerance"] == "1"
    assert shown["name:sex"] == "sex" and shown["label:sex:0"] == "female"
    assert [shown[f"label:age_band:{i}"] for i in range(4)] == list(BANDS)
    form = {
        **shown,
        "csrf": token,
        "count_column": "population",
        "age_column": "age_band",
        "by": ["sex", "age_band"],
        "where:commune": "Renca",
        "name:sex": "gender",
        "label:sex:0": "Mujer",
        "label:sex:1": "Hombre",
        "tolerance": "2",
    }
    made = local.post(f"/runs/{run}/census", data=form)
    assert made.status_code == 303 and made.headers["location"] == f"/runs/{run}/census#made"
    page = local.get(f"/runs/{run}/census").text
    assert "Seats of a panel of 40, tolerance 2. Ages 18 and over." in page
    assert "Census band 15-19 counted as 2/5 of its people." in page
    rows = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td>", page)
    assert rows == [("gender", "Mujer"), ("gender", "Hombre")] + [("age_band", b) for b in BANDS]
    assert "It replaces the current quota table (quotas.csv)." in page
    assert fields(page)["name:sex"] == "gender"  # the choices stay for the next try
    used = local.post(f"/runs/{run}/census/use", data={"csrf": token})
    assert used.headers["location"] == f"/runs/{run}#categories"
    stored = local.app.state.web.config.workdir / "runs" / run / "inputs" / "quotas.csv"  # type: ignore[attr-defined]
    assert stored.read_bytes() == renca_quotas(2)
    run_page = local.get(f"/runs/{run}").text
    assert "quotas-census.csv" in run_page  # the run's quota table now
    assert "<code>E" not in run_page  # the run reads the new table without complaint


def test_errors_name_the_census_file_and_no_table_is_offered(
    local: TestClient,  # noqa: F811
) -> None:
    run, token = prepared_run(local)
    shown = fields(local.get(f"/runs/{run}/census").text)
    form = {**shown, "csrf": token, "count_column": "population", "age_column": "age_band"}
    local.post(f"/runs/{run}/census", data={**form, "by": ["sex"], "bands": "18-30,31+"})
    page = local.get(f"/runs/{run}/census").text
    assert "<code>E200</code>" in page and "ends inside census band &#39;30-34&#39;" in page
    assert 'id="use-census-quotas"' not in page
    local.post(f"/runs/{run}/census", data={**form, "by": ["sex"], "count_column": "commune"})
    page = local.get(f"/runs/{run}/census").text  # counts read from a column of names
    assert "<code>E107</code>" in page and "<b>census2017_rm_communes.csv</b>" in page
    assert '<b class="row">2</b>' in page and "<b>commune</b>" in page
    assert "/sortition/data/" not in page  # the package's own path is never shown
    local.post(f"/runs/{run}/census", data={**form, "by": []})
    page = local.get(f"/runs/{run}/census").text
    assert "no census column to make quotas for" in page
    assert (
        local.post(f"/runs/{run}/census/use", data={"csrf": token}).headers["location"]
        == f"/runs/{run}/census"
    )  # nothing made: nothing used
    assert local.post(f"/runs/{run}/census", data={**form, "panel_size": "many"}).status_code == 400
    assert local.post(f"/runs/{run}/census", data={**form, "tolerance": "-1"}).status_code == 400
    assert local.post(f"/runs/{run}/census", data={"panel_size": "40"}).status_code == 403


def test_the_census_panel_size_is_offered_on_the_run_page(
    local: TestClient,  # noqa: F811
) -> None:
    """Pool only, quotas from the census for 40 seats: the run page's panel size field
    offers 40 until the organizer chooses one."""
    run = new_run(local)
    token = csrf_of(local, f"/runs/{run}")
    pool = Path(__file__).parent.parent / "data" / "samples" / "renca" / "pool.csv"
    local.post(
        f"/runs/{run}/upload",
        data={"csrf": token},
        files={"pool": ("pool.csv", pool.read_bytes(), "text/csv")},
    )
    assert 'id="panel-size" min="1" required value=""' in local.get(f"/runs/{run}").text
    shown = fields(local.get(f"/runs/{run}/census").text)
    form = {**shown, "csrf": token, "count_column": "population", "age_column": "age_band"}
    local.post(f"/runs/{run}/census", data={**form, "by": ["sex"], "panel_size": "40"})
    local.post(f"/runs/{run}/census/use", data={"csrf": token})
    assert 'id="panel-size" min="1" required value="40"' in local.get(f"/runs/{run}").text


def test_an_uploaded_census_with_its_own_count_column(local: TestClient) -> None:  # noqa: F811
    run = new_run(local)
    token = csrf_of(local, f"/runs/{run}/census")
    census = "zona,genero,personas\nNorte,F,300\nNorte,M,200\nSur,F,100\nSur,M,400\n"
    local.post(
        f"/runs/{run}/census/file",
        data={"csrf": token},
        files={"census": ("zonas.csv", census.encode(), "text/csv")},
    )
    page = local.get(f"/runs/{run}/census").text
    assert "The uploaded census zonas.csv is used." in page
    assert re.search(r'<option value="personas" selected>', page)
    assert not re.findall(r'name="by" value="([^"]+)" checked', page)  # no sex, no age band
    shown = fields(page)
    assert shown["bands"] == "" and shown["panel_size"] == ""
    form = {**shown, "csrf": token, "count_column": "personas", "age_column": ""}
    local.post(f"/runs/{run}/census", data={**form, "by": ["zona"], "panel_size": "10"})
    page = local.get(f"/runs/{run}/census").text
    assert re.findall(r"<tr><td>zona</td><td>(\w+)</td>", page) == ["Norte", "Sur"]
    local.post(f"/runs/{run}/census/use", data={"csrf": token})
    stored = local.app.state.web.config.workdir / "runs" / run / "inputs" / "quotas.csv"  # type: ignore[attr-defined]
    assert stored.read_text() == "feature,value,min,max\nzona,Norte,4,6\nzona,Sur,4,6\n"
    local.post(f"/runs/{run}/census/file", data={"csrf": token, "use_bundled": "on"})
    page = local.get(f"/runs/{run}/census").text
    assert "The 2017 census of the 52 communes" in page and 'id="made"' not in page
    refused = local.post(
        f"/runs/{run}/census/file",
        data={"csrf": token},
        files={"census": ("census.pdf", b"%PDF-1.4", "application/pdf")},
    )
    assert refused.status_code == 303
    assert 'role="alert"' in local.get(f"/runs/{run}/census").text


def test_spanish_organizers_get_the_page_in_spanish(tmp_path) -> None:
    client = client_for(ServeConfig(workdir=tmp_path / "work", lang="es"))
    run, token = prepared_run(client)
    assert "¿Aún sin tabla de cuotas? Hágala desde el censo" in client.get(f"/runs/{run}").text
    page = client.get(f"/runs/{run}/census").text
    assert "Tabla de cuotas desde el censo" in page and "Marque su comuna" in page
    form = {**fields(page), "csrf": token, "count_column": "population", "age_column": "age_band"}
    client.post(f"/runs/{run}/census", data={**form, "by": ["sex"], "where:commune": "Renca"})
    page = client.get(f"/runs/{run}/census").text
    assert "Cupos de un panel de 40, tolerancia 1. Edades de 18 años y más." in page
    assert re.search(r'<td class="num">55\.568,4</td><td class="num">51,3 %</td>', page)
    client.post(f"/runs/{run}/census", data={**form, "by": ["sex"], "count_column": "commune"})
    page = client.get(f"/runs/{run}/census").text  # the error explained in Spanish
    assert "Falta un número o no es un número entero mayor o igual a 0." in page
    assert "commune &#39;Santiago&#39; en la fila 2 no es un número entero" in page
    assert "en inglés" not in page  # the library's message itself comes out in Spanish
    assert "Archivo: <b>census2017_rm_communes.csv</b>" in page
