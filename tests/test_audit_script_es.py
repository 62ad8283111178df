"""The auditor's material in Spanish: `docs/audit_draw.py --lang es` and `verify --lang es`.

The standalone script runs in an isolated interpreter (no site-packages) on a real committed
draw, as an auditor would run it, and must reach the same ticket and panel in both languages.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sortition.cli.main import cli

ROOT = Path(__file__).resolve().parent.parent
RENCA = ROOT / "data" / "samples" / "renca"
SCRIPT = ROOT / "docs" / "audit_draw.py"
SOURCES = ("17 20 22 35 36 38 48", "90193202")
RUN = {"capture_output": True, "text": True, "encoding": "utf-8", "timeout": 120, "check": False}


def invoke(*args: object) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], prog_name="sortition")
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed Renca draw: lottery.json and the public folder an auditor downloads."""
    base = tmp_path_factory.mktemp("draw")
    invoke(
        "lottery", RENCA / "pool.csv", RENCA / "quotas.csv", "-k", 40,
        "--household-columns", "address", "--algorithm", "maximin",
        "--planned-sources", "los 7 números del Loto 5123 y luego el Kino del mismo día",
        "--draw-date", "2026-12-01", "--out", base / "lottery.json", "--quiet", "--lang", "es",
    )  # fmt: skip
    sources = [arg for source in SOURCES for arg in ("--source", source)]
    invoke("draw", base / "lottery.json", *sources, "--pool", RENCA / "pool.csv",
           "--out", base / "seleccion", "--lang", "es")  # fmt: skip
    auditor = base / "auditor"
    auditor.mkdir()
    shutil.copy(base / "lottery.json", auditor / "lottery.json")
    shutil.copytree(base / "seleccion" / "public", auditor / "public")
    return auditor


def script(folder: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    sources = [arg for source in SOURCES for arg in ("--source", source)]
    command = [sys.executable, "-I", "-S", str(SCRIPT), str(folder / "lottery.json"), *sources,
               "--log", str(folder / "public" / "selection-log.json"), *extra]  # fmt: skip
    return subprocess.run(command, **RUN)  # type: ignore[call-overload, no-any-return]


def test_the_script_reports_the_same_draw_in_spanish(published: Path) -> None:
    log = json.loads((published / "public" / "selection-log.json").read_text("utf-8"))
    english, spanish = script(published), script(published, "--lang", "es")
    assert english.returncode == 0 and spanish.returncode == 0, spanish.stdout + spanish.stderr
    es = spanish.stdout.splitlines()
    assert es[0].startswith("huella: ") and es[0][8:] == english.stdout.splitlines()[0][13:]
    assert f"boleto: {log['draw']['ticket']} de 1000" in es
    assert "panel: " + ", ".join(log["draw"]["selected"]) in es
    assert "el registro lista exactamente este panel" in es
    assert "public/probabilities.csv: SHA-256 como consta en el registro" in es
    assert es[-1] == "VERIFICADO" and english.stdout.splitlines()[-1] == "PASS"
    assert "los 1000 boletos cumplen todas las cuotas y la regla de hogares" in es


def test_the_script_names_an_edited_file_in_spanish(published: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(published, copy)
    probabilities = copy / "public" / "probabilities.csv"
    probabilities.write_text(probabilities.read_text("utf-8").replace("0.", "0.9", 1), "utf-8")
    completed = script(copy, "--lang", "es")
    assert completed.returncode == 1
    lines = completed.stdout.splitlines()
    assert "FALLA: public/probabilities.csv se modificó después del sorteo" in lines
    assert lines[-1] == "NO VERIFICADO"


def test_every_message_exists_in_both_languages_with_the_same_fields() -> None:
    spec = importlib.util.spec_from_file_location("audit_draw", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    english, spanish = module.MESSAGES["en"], module.MESSAGES["es"]
    assert english.keys() == spanish.keys()
    for key, text in english.items():
        fields = {f for _, f, _, _ in string.Formatter().parse(text) if f}
        assert fields == {f for _, f, _, _ in string.Formatter().parse(spanish[key]) if f}, key
        assert text != spanish[key] or key == "panel", key


def test_verify_in_spanish_names_every_check_in_spanish(published: Path) -> None:
    """The public folder alone: the private files are absent, a row of its own."""
    result = CliRunner().invoke(
        cli,
        ["verify", str(published / "public" / "selection-log.json"),
         "--lottery", str(published / "lottery.json"), "--lang", "es"],
        prog_name="sortition",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if line.startswith(("CUMPLE", "OMITIDA"))]
    assert any(row.split("  ")[0] == "OMITIDA" and "Archivos ausentes" in row for row in rows)
    english_names = ("files not present", "files not in the log", "files of the set")
    assert not any(name in result.output for name in english_names)
    assert "VERIFICADO: todas las comprobaciones se cumplen." in result.output


def test_the_spanish_guide_runs_what_it_shows() -> None:
    """docs/auditoria.md shows the same commands as auditing.md, with --lang es."""
    guide = (ROOT / "docs" / "auditoria.md").read_text("utf-8")
    for command in ("sortition lottery", "sortition draw", "sortition verify", "audit_draw.py"):
        assert command in guide
    assert guide.count("--lang es") >= 5
    assert "auditoria.md" in (ROOT / "docs" / "auditing.md").read_text("utf-8")


def test_verify_in_spanish_words_an_error_met_while_checking(published: Path) -> None:
    """Given the quota table as the pool, the input-files check fails with the reader's error,
    worded in Spanish like every other detail (the English line is the error's own)."""
    log = published / "public" / "selection-log.json"
    args = ["verify", str(log), "--lottery", str(published / "lottery.json"),
            "--pool", str(RENCA / "quotas.csv"), "--quotas", str(RENCA / "quotas.csv")]  # fmt: skip
    english = CliRunner().invoke(cli, args, prog_name="sortition")
    spanish = CliRunner().invoke(cli, [*args, "--lang", "es"], prog_name="sortition")
    assert english.exit_code == spanish.exit_code == 5
    assert "malformed or inconsistent record: [E103]" in english.output
    assert "registro mal formado o inconsistente: [E103]" in spanish.output
    assert "no tiene la columna de id 'id'" in spanish.output
    assert "the pool has no id column" not in spanish.output
    assert "quotas.csv, columna 'id':" in spanish.output  # the location in Spanish too
