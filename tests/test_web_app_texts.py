"""The web app never tells an organizer to type a command: library texts that name the command
line ('pass --allow-duplicates', "run 'sortition check'") are worded for the page
(`sortition.web.app_texts`), or, for a hint with no such wording, not shown."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from test_web import client_for, prepared_run, wait_for

from sortition.i18n import CATALOGS, Translator
from sortition.i18n.library_text import translate_library_text
from sortition.web.app_texts import APP_TEXTS, COMMAND_LINE, app_hint, app_text
from sortition.web.config import ServeConfig

ROOT = Path(__file__).resolve().parents[1]
FIELD = re.compile(r"(?<!\{)\{(\d+)\}(?!\})")

# Library texts that name the command line for errors the app cannot meet: options it does not
# offer, or files and folders it manages itself. They keep the terminal's wording (a hint among
# them is not shown in the app).
TERMINAL_ONLY = {
    # the app always solves with HiGHS
    "leave out --solver or pass --solver highs",
    "try the other solver with --solver",
    "try --solver cbc",
    "try --solver highs",
    # options the app does not offer
    "pass --legacy-draws 1 or more",
    "--targets sets the probabilities of {0}; {1} computes its own",
    "use --algorithm {0}, or leave out --targets",
    "pass --panels 1 or more",
    # the app passes rounds held only with a seating file, and refuses fewer than 1 itself
    "--held {0} is too small",
    "--held {0} needs --earlier",
    "give --earlier with the tables.csv of the rounds already held, and --held 1 or more "
    "(default: every round in that file)",
    "draw fewer panels ({0} fit with this seed) or loosen the quotas ('sortition check' looks at "
    "the whole pool, before any panel is drawn)",
    "--personal-columns names {0}, which the {1} does not have; columns found: {2}",
    "marked with --personal-columns",
    # the app keeps each run's files and folders itself
    "choose a new or empty folder for the results, e.g. --out selection",
    "the output folder {0} already holds files that are not a sortition result set",
    "pass --overwrite to replace it, or choose another file name",
    "--out and --log are the same file {0}",
    "pass the pool file the lottery was computed from, or leave out --pool",
    "pass the pool file of the original draw, or leave out --pool",
    "the log lists pseudonymous ids: give those (private/pseudonyms.csv maps them) or pass --pool "
    "to map real ids",
    "pass the original draw's selection-log.json, and this replacement's log with --after",
    "--after takes the selection-log.json of an earlier `sortition replace` of this draw (its "
    "public/ folder)",
    # the app generates a seed for a blank field
    'give a seed text, e.g. --seed 2026; if you wrote --seed "$SEED", that shell variable is unset '
    "or empty (leave out --seed to have a seed generated)",
    # the census page builds these options from its own choices
    "column {0} is named twice in --by",
    "cannot rename {0}: it is not one of the --by columns {1}",
    "rename only columns named in --by, as CENSUS_COLUMN=FEATURE",
    "cannot relabel values of {0}: it is not one of the --by columns {1}",
    "relabel only columns named in --by, as COLUMN:OLD=NEW,OLD=NEW",
    "check the names in --by (case and spaces are ignored)",
    "--where names column {0} without any value",
    "write it like --where {0}=VALUE[,VALUE...]",
    "check the column names in --where (case and spaces are ignored)",
}


def library_templates() -> set[str]:
    spec = importlib.util.spec_from_file_location(
        "library_templates", ROOT / "scripts" / "library_templates.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # the command's own modules never reach the app
    return {text for text, where in module.templates() if not where.startswith("cli/")}


SOURCE = library_templates()


def test_every_library_text_naming_the_command_line_is_worded_for_the_app_or_listed() -> None:
    naming = {text for text in SOURCE if COMMAND_LINE.search(text)}
    unplaced = sorted(naming - set(APP_TEXTS) - TERMINAL_ONLY)
    assert not unplaced, f"word these for the app or list them as terminal-only: {unplaced}"
    assert not set(APP_TEXTS) & TERMINAL_ONLY


def test_app_wordings_belong_to_templates_the_library_still_writes() -> None:
    assert not set(APP_TEXTS) - SOURCE
    assert not TERMINAL_ONLY - SOURCE
    assert {key for key in CATALOGS["en"] if key.startswith("in_app.")} == set(APP_TEXTS.values())


@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_app_wording_names_the_command_line_and_each_keeps_the_fields(lang: str) -> None:
    for template, key in APP_TEXTS.items():
        wording = CATALOGS[lang][key]
        assert not COMMAND_LINE.search(wording), (lang, key)
        fields = sorted(f"f{n}" for n in FIELD.findall(template))
        assert sorted(re.findall(r"\{(f\d+)\}", wording)) == fields, (lang, key)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_each_text_comes_back_in_its_app_wording_with_its_values(lang: str) -> None:
    t = Translator(lang)
    for template, key in APP_TEXTS.items():
        values = [f"V{i}x" for i in range(len(FIELD.findall(template)))]
        expected = CATALOGS[lang][key].format(**{f"f{i}": v for i, v in enumerate(values)})
        text = template.format(*values)
        assert app_text(t, text) == expected, template
        assert app_hint(t, text) == expected, template


def test_other_texts_keep_the_library_translation_and_unworded_command_hints_are_dropped() -> None:
    es = Translator("es")
    plain = "pass both input files to check them against the log, or neither"
    assert app_hint(es, plain) == translate_library_text(plain, "es") != plain
    assert app_text(es, plain) == translate_library_text(plain, "es")
    assert app_hint(Translator("en"), plain) == plain
    assert app_text(es, "a text no catalog has") is None
    assert app_hint(es, "try --solver cbc") is None
    assert app_hint(Translator("en"), "run 'sortition verify' now") is None
    assert (
        app_hint(Translator("en"), "update sortition to check it") == "update sortition to check it"
    )


def test_an_infeasible_draw_points_to_the_check_step_not_to_a_command(tmp_path: Path) -> None:
    client = client_for(ServeConfig(workdir=tmp_path / "work", lang="es"))
    settings = {"id_column": "id", "household": "address", "panel_size": "30"}
    run, token = prepared_run(client, settings=settings)
    client.post(f"/runs/{run}/draw", data={"csrf": token, "algorithm": "maximin", "seed": "1"})
    status = wait_for(client, run)
    assert status["state"] == "failed" and status["error"]["code"] == "E301"
    assert "sortition check" in status["error"]["hint"]  # the record keeps the library's text
    page = client.get(f"/runs/{run}/progress").text
    assert 'el paso 3, "Comprobar las cuotas", muestra qué cuotas' in page.replace("&#34;", '"')
    assert "sortition check" not in page and "--" not in page.split('class="error"', 1)[1]


def test_the_verify_page_asks_to_tick_the_deep_check_not_to_pass_a_flag(tmp_path: Path) -> None:
    client: TestClient = client_for(ServeConfig(workdir=tmp_path / "work", lang="en"))
    run, token = prepared_run(client)
    client.post(f"/runs/{run}/draw", data={"csrf": token, "algorithm": "maximin", "seed": "2"})
    assert wait_for(client, run)["state"] == "done"
    client.post(f"/runs/{run}/verify-draw", data={"csrf": token})
    page = client.get(f"/runs/{run}/result").text.replace("&#34;", '"')
    assert 'tick "Also re-check the fairness claim" to re-check it' in page
    assert "--deep" not in page
