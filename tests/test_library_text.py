"""The library's error messages in Spanish (`sortition.i18n.library_text`): the catalog covers
every template at the raise sites and nothing else, each translation keeps its fields, and
real errors come out in Spanish with their values intact."""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import cast

import pytest
from click.testing import CliRunner
from helpers.budget import examples
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sortition.cli.main import cli
from sortition.distribution import (
    STOPPED_BALANCE,
    STOPPED_LOWEST,
    STOPPED_OBJECTIVE,
    Distribution,
    label_phrase,
)
from sortition.errors import SortitionError
from sortition.i18n import Translator
from sortition.i18n.library_text import CATALOGS, literal_text, pattern, translate_library_text
from sortition.inputs.census.bands import parse_bands
from sortition.inputs.pool import read_pool
from sortition.inputs.quotas import read_quotas
from sortition.web.common import make_templates

ROOT = Path(__file__).resolve().parents[1]
MESSAGES = CATALOGS["es"]
FIELD = re.compile(r"(?<!\{)\{(\d+)\}(?!\})")


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "library_templates", ROOT / "scripts" / "library_templates.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SOURCE = {text for text, _ in load_script().templates()}


def fill(template: str, values: list[str]) -> str:
    return template.format(*values)


def test_every_error_template_at_a_raise_site_has_its_spanish() -> None:
    missing = sorted(SOURCE - set(MESSAGES))
    assert not missing, f"{len(missing)} templates without Spanish, e.g. {missing[:3]}"


def test_no_raise_site_builds_its_text_by_adding_strings() -> None:
    """A message or hint written as "..." + (...) is no template the reader can see, so it
    would reach Spanish readers in English; each branch must be one whole (f-)string."""
    script = load_script()
    added: list[str] = []
    for path in sorted((ROOT / "sortition").rglob("*.py")):
        relative = path.relative_to(ROOT / "sortition").as_posix()
        if relative.startswith(script.SKIPPED_PARTS):  # (texts that stay English)
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            if ast.unparse(node.exc.func) == "SystemExit":  # an exit status, not a text
                continue
            texts = [*node.exc.args[:1], *(k.value for k in node.exc.keywords if k.arg == "hint")]
            for text in texts:
                branches = [text]
                while branches:
                    branch = branches.pop()
                    if isinstance(branch, ast.IfExp):
                        branches += [branch.body, branch.orelse]
                    elif isinstance(branch, ast.BinOp):
                        added.append(f"{relative}:{node.lineno}")
    assert not added, f"messages built by adding strings: {added}"


def test_the_catalog_holds_no_template_the_source_no_longer_raises() -> None:
    stale = sorted(set(MESSAGES) - SOURCE)
    assert not stale, f"stale Spanish templates: {stale[:3]}"


@pytest.mark.parametrize("template", sorted(MESSAGES))
def test_each_translation_keeps_every_field_once(template: str) -> None:
    spanish = MESSAGES[template]
    assert sorted(FIELD.findall(spanish)) == sorted(FIELD.findall(template))
    assert literal_text(spanish).strip()
    assert "{{" not in literal_text(spanish) and "}}" not in literal_text(spanish)


def test_every_template_comes_back_from_its_own_text() -> None:
    """No other template captures a message: formatted with plain values, each one translates to
    its own Spanish with the same values."""
    for template, spanish in MESSAGES.items():
        values = [f"V{i}x" for i in range(len(FIELD.findall(template)))]
        assert translate_library_text(fill(template, values), "es") == fill(spanish, values), (
            template
        )


@given(
    data=st.data(),
    template=st.sampled_from(sorted(t for t in MESSAGES if FIELD.search(t))),
)
@settings(max_examples=examples(200), deadline=None)
def test_field_values_pass_through_unchanged(data: st.DataObject, template: str) -> None:
    count = len(FIELD.findall(template))
    alphabet = st.characters(whitelist_categories=("Lu", "Ll", "Nd"), whitelist_characters="_-./ ")
    values = data.draw(
        st.lists(st.text(alphabet, min_size=1, max_size=12), min_size=count, max_size=count)
    )
    # a value that is itself a message of the catalog is translated too (a composed reason)
    assume(all(translate_library_text(value, "es") is None for value in values))
    translated = translate_library_text(fill(template, values), "es")
    assert translated is not None
    if pattern(template).fullmatch(fill(template, values)) is not None and all(
        v in translated for v in values
    ):
        return
    raise AssertionError((template, values, translated))


def test_text_no_template_matches_stays_untranslated() -> None:
    assert translate_library_text("a message no raise site writes", "es") is None
    assert translate_library_text("a message no raise site writes", "en") == (
        "a message no raise site writes"
    )
    assert Translator("es").library_text("something else entirely") is None


def errors_of(tmp_path: Path) -> list[SortitionError]:
    """Errors an organizer meets with the Renca sample, each raised by the library."""
    renca = ROOT / "data" / "samples" / "renca"
    found: list[SortitionError] = []
    missing = tmp_path / "nope.csv"
    latin = tmp_path / "latin.csv"
    latin.write_bytes("id,gender\nR1,Mujer\nR2,Hombré\n".encode("latin-1"))
    quotas = tmp_path / "quotas.csv"
    quotas.write_text("feature,value,min,max\ngender,Mujer,two,3\n", encoding="utf-8")
    for attempt in (
        lambda: read_pool(str(missing)),
        lambda: read_pool(str(latin)),
        lambda: read_quotas(str(quotas)),
        lambda: read_pool(str(renca / "pool.csv"), id_column="rut"),
    ):
        with pytest.raises(SortitionError) as caught:
            attempt()
        found.append(caught.value)
    return found


def test_real_errors_and_hints_come_out_in_spanish_with_their_values(tmp_path: Path) -> None:
    for error in errors_of(tmp_path):
        message = translate_library_text(error.message, "es")
        assert message is not None and message != error.message, error.message
        if error.hint:
            hint = translate_library_text(error.hint, "es")
            assert hint is not None and hint != error.hint, error.hint
        for quoted in re.findall(r"'([^']+)'", error.message):
            assert quoted in message, (quoted, message)


def render_error(lang: str, error: dict[str, object]) -> str:
    template = make_templates().from_string(
        '{% from "macros.html" import error_box with context %}{{ error_box(t, error) }}'
    )
    return template.render(t=Translator(lang), error=error, csrf_token="x")


def test_the_error_box_shows_spanish_and_labels_what_stays_english() -> None:
    known = {"code": "E107", "message": "the seed is empty", "hint": "no replacement set fits"}
    page = render_error("es", known)
    assert "la semilla está vacía" in page and "ningún conjunto de reemplazos cabe" in page
    assert "en inglés" not in page
    unknown = {"code": "E107", "message": "something no raise site writes", "hint": ""}
    page = render_error("es", unknown)
    assert "Detalle (en inglés):</span> something no raise site writes" in page
    english = render_error("en", known)
    assert "the seed is empty" in english and "Details" not in english


def test_progress_lines_and_check_details_come_out_in_spanish() -> None:
    line = translate_library_text("maximin: lowest probability 0.077778, 12 panel problems", "es")
    assert line is not None and "0.077778" in line and "12" in line and "maximin" in line
    checks = make_templates().from_string(
        '{% from "macros.html" import checks_table with context %}{{ checks_table(t, v) }}'
    )
    verification = {
        "passed": True,
        "checks": [
            {"name": "public/probabilities.csv", "status": "pass",
             "detail": "SHA-256 0123456789abcdef... as logged"},
            {"name": "maximin certificate", "status": "skip",
             "detail": "pass --deep to re-check the fairness claim"},
        ],
    }  # fmt: skip
    page = checks.render(t=Translator("es"), v=verification, csrf_token="x")
    assert "SHA-256 0123456789abcdef..., como consta en el registro" in page
    # the web app names its own checkbox, not the command's option (`sortition.web.app_texts`)
    assert "marque &#34;Comprobar también la afirmación de justicia&#34;" in page
    assert "--deep" not in page


def test_every_label_of_a_stopped_run_reads_in_spanish() -> None:
    """`Distribution.label` names what the gap of a time-limited run measures; each variant is
    a catalog phrase, so the Spanish summary keeps no English word of it."""
    expected = {
        STOPPED_LOWEST: "probabilidad mínima",
        STOPPED_OBJECTIVE: "objetivo",
        STOPPED_BALANCE: "equilibrio esperado",
    }
    for of, words in expected.items():
        for gap in (None, 0.05):
            stopped = {"stage": 1, "stages_done": 0, "gap": 0.0, "of": of}
            run = SimpleNamespace(exact=True, gap=gap, stopped=stopped, algorithm="nash")
            label = label_phrase(cast(Distribution, run))
            assert label.startswith(f"stopped by the time limit: {of} ")
            spanish = translate_library_text(label, "es")
            assert spanish is not None and words in spanish and of not in spanish, spanish


ENGLISH_WORDS = re.compile(r"\b(is|not|for|with|the|overlap|leave|needs|more|but|eligible)\b")


@pytest.mark.parametrize("cell", ["1.5", "x", "-1", "=1"])
def test_a_bad_quota_number_reads_wholly_in_spanish(tmp_path: Path, cell: str) -> None:
    """A message whose last part was a phrase in a field ('... for {2} {3}') split at the wrong
    space when the value had spaces, and came out half English; each case is now whole."""
    quotas = tmp_path / "quotas.csv"
    quotas.write_text(
        f"feature,value,min,max\nzone,Lo Velásquez,{cell},3\nzone,Otra zona,1,3\n",
        encoding="utf-8",
    )
    with pytest.raises(SortitionError) as caught:
        read_quotas(str(quotas))
    spanish = translate_library_text(caught.value.message, "es")
    assert spanish is not None
    assert not ENGLISH_WORDS.search(spanish.replace("'zone = Lo Velásquez'", "")), spanish


@pytest.mark.parametrize("bands", [["18-29", "25-44", "45+"], ["18-29", "31-44", "45+"]])
def test_age_bands_that_overlap_or_leave_a_gap_read_in_spanish(bands: list[str]) -> None:
    with pytest.raises(SortitionError) as caught:
        parse_bands(bands, 18)
    spanish = translate_library_text(caught.value.message, "es")
    assert spanish is not None and not ENGLISH_WORDS.search(spanish), spanish
    assert "se superponen" in spanish or "dejan un hueco" in spanish


def test_errors_made_to_be_raised_elsewhere_read_in_spanish(tmp_path: Path) -> None:
    """A deadline builds its error where the time ran out and a duplicate check builds its
    error for the caller to raise; the template reader now finds errors built anywhere."""
    renca = ROOT / "data" / "samples" / "renca"
    lines = (renca / "pool.csv").read_text(encoding="utf-8").splitlines()
    twin = lines[2].split(",")
    twin[0] = "R9999"  # a new id, the same e-mail and phone as R0002
    pool = tmp_path / "pool.csv"
    pool.write_text("\n".join([*lines, ",".join(twin)]) + "\n", encoding="utf-8")
    runner = CliRunner()
    cases = {
        "comparten datos de contacto (filas 3, 402: email, phone)": [str(pool)],
        "no terminó dentro del límite de tiempo de 0.001 s": [
            str(renca / "pool.csv"),
            "--time-limit",
            "0.001",
        ],
    }
    for expected, first in cases.items():
        result = runner.invoke(
            cli,
            ["select", *first[:1], str(renca / "quotas.csv"), "-k", "40", *first[1:],
             "--seed", "1", "--out", str(tmp_path / "out"), "--lang", "es"],
            prog_name="sortition",
        )  # fmt: skip
        assert result.exit_code != 0
        assert expected in result.stderr, result.stderr
        assert not ENGLISH_WORDS.search(result.stderr.split("Cómo corregirlo")[0]), result.stderr
