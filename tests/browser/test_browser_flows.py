"""The organizer's flows in a real headless Chromium: upload → check → draw → zip; the public
lottery commit → reveal → draw → verify; a tampered log failing verification with its reason;
the Spanish interface; two tabs drawing at once; the server's start time; seating at tables;
a commune's quotas from the census; invitations from a register.

SORTITION_SCREENSHOTS=1 also saves docs/img/serve.png (the README's picture of the app).
"""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from pathlib import Path
from typing import Any

from sortition.process.inputs import DrawInputs
from sortition.process.selection import SelectionRequest, select, write_selection

ROOT = Path(__file__).resolve().parents[2]
RENCA = ROOT / "data" / "samples" / "renca"
ASSEMBLY = ROOT / "data" / "samples" / "assembly-150"
SCREENSHOT = ROOT / "docs" / "img" / "serve.png"
RUN_PAGE = re.compile(r"/runs/[0-9a-f]{32}$")


def open_draw(page: Any, server: Any, pool: Path = RENCA / "pool.csv", size: str = "40") -> None:
    """Home → new draw → upload both files → choose the household column and panel size."""
    page.goto(server.url + "/")
    page.click("#new-draw")
    page.wait_for_url(RUN_PAGE)
    page.set_input_files("#pool-file", str(pool))
    page.set_input_files("#quotas-file", str(RENCA / "quotas.csv"))
    page.click("#upload")
    page.wait_for_selector("#id-column")
    page.check("input[name=household][value=address]")
    page.fill("#panel-size", size)
    page.click("#read")
    page.wait_for_selector("#categories")


def draw_now(page: Any, seed: str, algorithm: str = "maximin") -> None:
    form = "form[action$='/draw']"
    page.select_option(f"{form} select[name=algorithm]", algorithm)
    page.fill("#seed", seed)
    page.click("#start-draw")
    page.wait_for_url("**/result", timeout=120_000)


def test_server_opens_a_working_page_within_3_seconds(server: Any) -> None:
    assert server.startup_seconds < 3, f"first page after {server.startup_seconds:.1f} s"


def test_upload_check_draw_download_zip(page: Any, server: Any, tmp_path: Path) -> None:
    open_draw(page, server)
    assert "400 volunteers, a panel of 40" in page.inner_text("#parsed-summary")
    page.click("#run-check")
    page.wait_for_selector("#check-result")
    assert "can be met" in page.inner_text("#check-result")
    target = SCREENSHOT if os.environ.get("SORTITION_SCREENSHOTS") else tmp_path / "serve.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    box = {"x": 0, "y": 0, "width": 1200, "height": 1560}
    page.screenshot(path=str(target), full_page=True, clip=box)
    draw_now(page, "Renca 2026")
    assert page.inner_text("#seed-value") == "Renca 2026"
    assert len(page.inner_text("#selected-ids").split(", ")) == 40
    with page.expect_download() as download:
        page.click("#download-zip")
    data = Path(download.value.path()).read_bytes()
    names = {name.rsplit("/", 1)[-1] for name in zipfile.ZipFile(io.BytesIO(data)).namelist()}
    assert {"report.html", "selection-log.json", "probabilities.csv", "selected.csv"} <= names
    report = page.context.new_page()
    report.goto(page.url.replace("/result", "/files/report.html"))
    assert "Citizens' panel draw: public report" in report.inner_text("h1")
    assert report.locator("svg").count() == 1
    report.close()


def test_lottery_commit_reveal_draw_verify_passes(page: Any, server: Any) -> None:
    open_draw(page, server)
    form = "#lottery-form"
    page.select_option(f"{form} select[name=algorithm]", "maximin")
    page.fill("#planned-sources", "the 7 numbers of Loto draw 5123")
    page.fill("#draw-date", "2026-12-01")
    page.click("#start-lottery")
    page.wait_for_url("**/lottery", timeout=120_000)
    fingerprint = page.inner_text("#fingerprint")
    assert re.fullmatch(r"[0-9a-f]{64}", fingerprint)
    assert "the 7 numbers of Loto draw 5123" in page.inner_text("#statement")
    page.fill("#sources", "17 20 22 35 36 38 48\n90193202")
    page.click("#reveal-draw")
    page.wait_for_url("**/result")
    assert "Winning ticket" in page.inner_text("#summary")
    page.click("#verify-draw")
    page.wait_for_selector("#verdict")
    assert "VERIFIED: every check passed" in page.inner_text("#verdict")
    assert page.locator(".check-fail").count() == 0


def test_tampered_log_fails_verification_with_its_reason(
    page: Any, server: Any, tmp_path: Path
) -> None:
    request = SelectionRequest(
        DrawInputs(
            str(RENCA / "pool.csv"), str(RENCA / "quotas.csv"), 40, algorithm="maximin",
            household_columns=("address",),
        ),
        seed="9",
    )  # fmt: skip
    files = write_selection(select(request), tmp_path / "out")
    name = next(name for name in files if name.endswith("selection-log.json"))
    log = json.loads(files[name])
    first = sorted(log["probabilities"])[0]
    log["probabilities"][first] = 0.5  # edited after the draw
    tampered = tmp_path / "selection-log.json"
    tampered.write_text(json.dumps(log), encoding="utf-8")
    page.goto(server.url + "/")
    page.click("#new-verify")
    page.set_input_files("#log-file", str(tampered))
    page.click("#run-verify")
    page.wait_for_selector("#verdict")
    assert "NOT VERIFIED" in page.inner_text("#verdict")
    failed = page.locator(".check-fail")
    text = failed.first.inner_text()
    assert "The log was not edited" in text and "it was edited" in text
    assert any("stated probability" in row for row in failed.all_inner_texts())


def test_spanish_interface(page: Any, server: Any) -> None:
    page.goto(server.url + "/")
    page.click("a[hreflang=es]")
    assert page.inner_text("h1") == "Sortear un panel ciudadano"
    assert page.get_attribute("html", "lang") == "es"
    broken = (RENCA / "pool.csv").read_text(encoding="utf-8").replace(",Hombre,", ",Hombr,", 1)
    bad_pool = Path(server.workdir).parent / "inscritos-con-error.csv"
    bad_pool.write_text(broken, encoding="utf-8")
    open_draw(page, server, pool=bad_pool)
    error = page.inner_text("#categories")
    assert "Hay algo que corregir" in error and "inscritos-con-error.csv" in error
    assert "fila" in error and "columna" in error and "Hombr" in error
    page.set_input_files("#pool-file", str(RENCA / "pool.csv"))
    page.click("#upload")
    page.wait_for_selector("#id-column")
    page.check("input[name=household][value=address]")
    page.fill("#panel-size", "40")
    page.click("#read")
    assert "400 voluntarios, un panel de 40" in page.inner_text("#parsed-summary")
    draw_now(page, "Peñalolén 2026")
    assert re.fullmatch(r"0,\d{4}", page.inner_text("#min-probability"))
    assert "Descargar todos los archivos" in page.inner_text("#download-zip")
    report = page.context.new_page()
    report.goto(page.url.replace("/result", "/files/report.html"))
    assert "informe público" in report.inner_text("h1")
    assert "Cómo verificar el sorteo, paso a paso" in report.inner_text("body")
    report.close()


def test_a_draw_corrected_for_self_selection(page: Any, server: Any, tmp_path: Path) -> None:
    open_draw(page, server)
    draw_form = "form[action$='/draw']"
    assert page.locator(f"{draw_form} input[name=correct_self_selection]").count() == 0
    page.set_input_files("#population-file", str(RENCA / "population.csv"))
    page.click("#upload")
    page.wait_for_selector("#id-column")
    page.check("input[name=household][value=address]")
    page.fill("#panel-size", "40")
    page.click("#read")
    page.wait_for_selector("#categories")
    page.click(f"{draw_form} summary")  # the box sits among the advanced options
    page.check(f"{draw_form} input[name=correct_self_selection]")
    # the viewport only: a full-page shot just before a click can make Chromium miss the button
    page.screenshot(path=str(tmp_path / "population.png"))
    draw_now(page, "Renca 2026")
    assert "Self-selection corrected on gender, age_band" in page.inner_text("#self-selection")
    report = page.context.new_page()
    report.goto(page.url.replace("/result", "/files/report.html"))
    assert "corrected for it on gender, age_band" in report.inner_text("#self-selection")
    report.close()


def test_two_tabs_drawing_at_once_keep_their_own_results(page: Any, server: Any) -> None:
    other = page.context.new_page()
    open_draw(page, server)
    open_draw(other, server)
    assert page.url != other.url
    for tab, seed in ((page, "tab one"), (other, "tab two")):
        tab.select_option("form[action$='/draw'] select[name=algorithm]", "maximin")
        tab.fill("#seed", seed)
        tab.click("#start-draw")
        tab.wait_for_url("**/progress")
    page.wait_for_url("**/result", timeout=120_000)
    other.wait_for_url("**/result", timeout=120_000)
    assert page.inner_text("#seed-value") == "tab one"
    assert other.inner_text("#seed-value") == "tab two"
    other.close()


def test_seating_the_drawn_panel_and_an_uploaded_one_at_tables(
    page: Any, server: Any, tmp_path: Path
) -> None:
    """After a draw: seat its panel (the quota categories ticked); then, from the home page, an
    uploaded panel with keep-together and keep-apart files; open a round's printable page."""
    open_draw(page, server)
    draw_now(page, "Renca 2026")
    page.click("#seat-at-tables")
    page.wait_for_url("**/tables")
    assert "drawn in this run" in page.inner_text("#panel-source")
    assert page.is_checked("#balance-columns input[value=zone]")
    page.fill("#table-size", "8")
    page.fill("#rounds", "2")
    page.fill("#tables-seed", "mesa 1")
    page.check("#label-columns input[value=first_name]")  # names for the facilitators
    page.check("#label-columns input[value=last_name]")
    page.click("#start-tables")
    page.wait_for_url("**/tables#seating", timeout=120_000)
    assert "40 members at 5 tables of 8, 2 round(s)" in page.inner_text("#seating-summary")
    assert "first_name, last_name: personal data" in page.inner_text("#seating-private")
    with page.expect_popup() as popup:
        page.click("#round-pages a >> nth=0")
    named = popup.value
    named.wait_for_load_state()
    first = named.locator(".card li").first.inner_text()
    assert first.split(" R0", 1)[0].count(" ") >= 1  # "Belén Figueroa Castillo R0006 · ..."
    named.close()

    page.goto(server.url + "/")
    page.click("#new-tables")
    page.wait_for_url("**/tables")
    page.set_input_files("#panel-file", str(ASSEMBLY / "panel.csv"))
    page.click("#upload-panel")
    page.wait_for_selector("#seat-form")
    for column in ("gender", "age_band", "comuna", "education"):
        page.check(f"#balance-columns input[value={column}]")
    page.fill("#rounds", "3")
    page.fill("#tables-seed", "2026")
    page.set_input_files("#together-file", str(ASSEMBLY / "keep-together.csv"))
    page.set_input_files("#apart-file", str(ASSEMBLY / "keep-apart.csv"))
    page.click("#start-tables")
    page.wait_for_url("**/tables#seating", timeout=120_000)
    quality = page.inner_text("#seating-quality")
    assert "every table within floor and ceiling" in quality
    assert "2 keep-together group(s), 5 keep-apart pair(s)" in quality
    assert page.inner_text("#repeated-pairs") == "0"
    page.screenshot(path=str(tmp_path / "tables.png"))  # the viewport only (as above)
    with page.expect_popup() as popup:
        page.click("#round-pages a >> nth=1")
    round_page = popup.value
    round_page.wait_for_load_state()
    assert "Round 2" in round_page.inner_text("h1")
    assert round_page.locator(".card").count() == 15
    round_page.close()
    # two sessions held: seat two more rounds after them, from the seating above
    page.check("#continue-seating")
    page.fill("#held", "2")
    page.fill("#rounds", "2")
    page.click("#start-tables")
    page.wait_for_url("**/tables#seating", timeout=120_000)
    assert "these are rounds 3 to 4" in page.inner_text("#seating-held")
    assert page.inner_text("#round-pages").split() == ["Round", "3", "Round", "4"]
    with page.expect_popup() as popup:
        page.click("#round-pages a >> nth=0")
    later = popup.value
    later.wait_for_load_state()
    assert "Round 3 of 4" in later.inner_text("h1")
    later.close()
    # two members miss the fifth session: no seat for them, named on the page
    page.check("#continue-seating")
    page.fill("#held", "4")
    page.fill("#rounds", "1")
    page.fill("#absent", "P003, P010")
    page.click("#start-tables")
    page.wait_for_url("**/tables#seating", timeout=120_000)
    assert "P003, P010" in page.inner_text("#seating-absent")
    assert "148 members" in page.inner_text("#seating-summary")
    assert page.inner_text("#round-pages").split() == ["Round", "5"]
    assert page.input_value("#absent") == ""  # the next session starts with nobody absent
    with page.expect_popup() as popup:
        page.click("#round-pages a >> nth=0")
    roll = popup.value
    roll.wait_for_load_state()
    assert "Absent, not seated: P003, P010." in roll.inner_text("body")
    roll.close()
    page.screenshot(path=str(tmp_path / "tables-absent.png"), full_page=True)


def test_a_communes_census_quotas_then_a_draw(page: Any, server: Any) -> None:
    """Pool only → "make it from the census" → Renca's rows, sex as gender with the pool's
    values → the apportionment → use it → the run reads it and draws with it."""
    page.goto(server.url + "/")
    page.click("#new-draw")
    page.wait_for_url(RUN_PAGE)
    page.set_input_files("#pool-file", str(RENCA / "pool.csv"))
    page.click("#upload")
    page.wait_for_selector("#id-column")
    page.click("#census-link")
    page.wait_for_url("**/census")
    # a category's pool name shows as soon as it is ticked, and hides when it is not
    commune_name = page.locator("input[name='name:commune']")
    assert not commune_name.is_visible()
    page.check("div.category[data-column=commune] input[name=by]")
    assert commune_name.is_visible()
    page.uncheck("div.category[data-column=commune] input[name=by]")
    assert not commune_name.is_visible()
    page.click("details[data-column=commune] summary")
    page.check("input[name='where:commune'][value=Renca]")
    page.fill("input[name='name:sex']", "gender")
    page.click("div.category[data-column=sex] details summary")
    page.fill("input[name='label:sex:0']", "Mujer")
    page.fill("input[name='label:sex:1']", "Hombre")
    page.fill("#census-panel-size", "40")
    page.fill("#tolerance", "2")
    page.click("#make-quotas")
    page.wait_for_selector("#census-table")
    rows = page.locator("#census-table tbody tr").all_inner_texts()
    assert [r.split("\t")[:2] for r in rows] == [
        ["gender", "Mujer"],
        ["gender", "Hombre"],
        ["age_band", "18-29"],
        ["age_band", "30-44"],
        ["age_band", "45-59"],
        ["age_band", "60+"],
    ]
    assert rows[0].split("\t")[-2:] == ["19", "23"]  # 21 seats -/+ 2
    page.click("#use-census-quotas")
    page.wait_for_url(re.compile(r"/runs/[0-9a-f]{32}#categories$"))
    assert "quotas-census.csv" in page.inner_text("#files")
    page.check("input[name=household][value=address]")
    page.fill("#panel-size", "40")
    page.click("#read")
    page.wait_for_selector("#categories")
    assert "gender" in page.inner_text("#categories") and "zone" not in page.inner_text(
        "#categories"
    )
    draw_now(page, "censo 2017")
    assert len(page.inner_text("#selected-ids").split(", ")) == 40


def test_invitations_from_a_register(page: Any, server: Any, tmp_path: Path) -> None:
    """Home → draw invitations → upload a register → stratify by commune → draw → the
    allocation and both files, the mailing list holding the addresses and the log not."""
    communes = ["Renca"] * 120 + ["Quilicura"] * 50 + ["Lampa"] * 30
    lines = ["id,name,commune,address"] + [
        f"R{i:04d},Persona {i},{communes[(i * 7) % 200]},Calle Secreta {i}" for i in range(200)
    ]
    register = tmp_path / "padron.csv"
    register.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page.goto(server.url + "/")
    page.click("#new-invite")
    page.wait_for_url("**/invite")
    page.set_input_files("#register-file", str(register))
    page.click("#upload-register")
    page.wait_for_selector("#invite-form")
    page.check("#strata-columns input[value=commune]")
    page.fill("#invitations", "20")
    page.fill("#invite-seed", "2026")
    page.click("#start-invite")
    page.wait_for_url("**/invite#invited", timeout=60_000)
    assert "20 invitations drawn from 200 rows" in page.inner_text("#invited-summary")
    rows = page.locator("#strata-table tbody tr").all_inner_texts()
    assert [r.split("\t")[:3] for r in rows] == [
        ["Lampa", "30", "3"],
        ["Quilicura", "50", "5"],
        ["Renca", "120", "12"],
    ]
    mailing = page.request.get(page.url.split("#")[0] + "/files/invitations.csv").text()
    log = page.request.get(page.url.split("#")[0] + "/files/invitations-log.json").text()
    assert mailing.count("Calle Secreta") == 20 and "Calle Secreta" not in log


def test_two_waves_of_dropouts_then_verify(page: Any, server: Any) -> None:
    """After a draw, two lists of dropouts typed in the page give two waves; the second starts
    from the panel the first completed, and verifying the run checks both against the draw."""
    open_draw(page, server)
    draw_now(page, "olas")
    selected = page.inner_text("#selected-ids").split(", ")
    for wave, dropouts in ((1, f"{selected[0]}, {selected[1]}"), (2, selected[2])):
        page.fill("#dropouts", dropouts)
        page.click("#start-replace")
        page.wait_for_url("**/result", timeout=120_000)
        page.wait_for_selector(f"#wave-{wave}")
    first = page.inner_text("#wave-1")
    second = page.inner_text("#wave-2")
    assert selected[0] in first and selected[2] in second and selected[2] not in first
    joined = second.split("Replacements:")[1].split()[0]
    assert joined not in selected and joined not in first
    page.click("#verify-draw")
    page.wait_for_selector("#verdict")
    assert "VERIFIED" in page.inner_text("#verdict")
    assert page.locator("tr:has-text('Wave 2')").count() == 1
