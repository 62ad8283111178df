"""`--lang es` on the commands that write pages the public or facilitators read: the report.html
of select, draw and replace and the round pages of tables in Spanish, and error lines in Spanish
(code, file, row, column, message and how to fix it). The default stays English whatever the
locale, so that a command writes the same bytes on every machine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sortition.cli.main import cli
from sortition.cli.progress_display import ProgressDisplay
from sortition.errors import InputError, Location
from sortition.i18n import Translator
from sortition.options import Status
from sortition.outputs.live import live_status, live_text

ROOT = Path(__file__).resolve().parent.parent
RENCA = ROOT / "data" / "samples" / "renca"
ASSEMBLY = ROOT / "data" / "samples" / "assembly-150"


def renca_args(command: str, *extra: str) -> list[str]:
    """`command` on the Renca sample (MAXIMIN, quiet), then `extra`."""
    return [
        command,
        str(RENCA / "pool.csv"),
        str(RENCA / "quotas.csv"),
        "--panel-size",
        "40",
        "--household-columns",
        "address",
        "--algorithm",
        "maximin",
        "--quiet",
        *extra,
    ]


def select_args(out: Path, *extra: str) -> list[str]:
    return renca_args("select", "--seed", "2026", "--out", str(out), *extra)


def test_select_writes_the_report_in_spanish_and_verify_accepts_it(tmp_path: Path) -> None:
    runner = CliRunner()
    spanish = runner.invoke(cli, select_args(tmp_path / "es", "--lang", "es"))
    english = runner.invoke(cli, select_args(tmp_path / "en"))
    assert spanish.exit_code == 0 and english.exit_code == 0, spanish.output + english.output
    report = (tmp_path / "es" / "public" / "report.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in report and "Sorteo del panel ciudadano" in report
    assert '<html lang="en">' in (tmp_path / "en" / "public" / "report.html").read_text("utf-8")
    # only the report differs: the draw, its log and every other file are the same bytes
    for name in ("public/selection-log.json", "public/probabilities.csv", "private/selected.csv"):
        assert (tmp_path / "es" / name).read_bytes() == (tmp_path / "en" / name).read_bytes()
    checked = runner.invoke(cli, ["verify", str(tmp_path / "es" / "public" / "selection-log.json")])
    assert checked.exit_code == 0, checked.output
    assert "report.html is this log's own report (language: es)" in checked.output


def test_an_error_line_in_spanish_keeps_code_place_and_exit_status(tmp_path: Path) -> None:
    args = select_args(tmp_path / "out", "--lang", "es")
    args[args.index("address")] = "adress"
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    line = result.stderr.strip()
    assert line.startswith("Error: [E103] ") and line.count("\n") == 0
    assert "columna 'adress'" in line and "no tiene la columna de hogar 'adress'" in line
    assert "Cómo corregirlo: revise el nombre de la columna de hogar" in line
    assert not (tmp_path / "out").exists()


def test_the_default_stays_english_under_a_spanish_locale(tmp_path: Path) -> None:
    args = select_args(tmp_path / "out")
    args[args.index("address")] = "adress"
    env = {**os.environ, "LANG": "es_CL.UTF-8", "LC_ALL": "es_CL.UTF-8", "PYTHONHASHSEED": "3"}
    result = subprocess.run(
        [sys.executable, "-m", "sortition", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 1
    assert "Error: [E103] " in result.stderr and "Fix: check the household column name" in (
        result.stderr
    )


def test_tables_prints_its_round_pages_in_spanish(tmp_path: Path) -> None:
    out = tmp_path / "tables"
    result = CliRunner().invoke(
        cli,
        [
            "tables",
            str(ASSEMBLY / "panel.csv"),
            "--table-size",
            "10",
            "--rounds",
            "2",
            "--balance",
            "gender,comuna",
            "--seed",
            "7",
            "--method",
            "greedy",
            "--lang",
            "es",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    page = (out / "round-1.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in page


def test_error_line_translates_every_part_and_is_plain_str_in_english() -> None:
    error = InputError(
        "the pool has no household column 'adress'; columns found: 'id'",
        location=Location("pool.csv", 3, "adress"),
        hint="check the household column name",
    )
    assert Translator("en").error_line(error) == str(error)
    assert Translator("es").error_line(error) == (
        "[E100] pool.csv, fila 3, columna 'adress': la lista de voluntarios no tiene la columna "
        "de hogar 'adress'; columnas encontradas: 'id'. Cómo corregirlo: revise el nombre de la "
        "columna de hogar"
    )
    untranslated = InputError("something no catalog knows")
    assert Translator("es").error_line(untranslated) == "[E100] something no catalog knows."


def test_verify_prints_its_table_and_verdict_in_spanish(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, select_args(tmp_path / "out", "--lang", "es")).exit_code == 0
    log = str(tmp_path / "out" / "public" / "selection-log.json")
    passed = runner.invoke(cli, ["verify", log, "--lang", "es"])
    assert passed.exit_code == 0, passed.output
    assert passed.output.startswith(f"Verificando {log} (sorteo en un paso (semilla))")
    assert "CUMPLE     El registro no fue editado" in passed.output
    assert "OMITIDA" in passed.output and "indique --pool y --quotas" in passed.output
    assert passed.output.rstrip().endswith("VERIFICADO: todas las comprobaciones se cumplen.")
    probabilities = tmp_path / "out" / "public" / "probabilities.csv"
    probabilities.write_bytes(probabilities.read_bytes().replace(b"0.", b"1.", 1))
    failed = runner.invoke(cli, ["verify", log, "--lang", "es"])
    assert failed.exit_code == 5
    assert "FALLA" in failed.output and "fue modificado después del sorteo" in failed.output
    assert failed.output.rstrip().endswith(
        "NO VERIFICADO: 1 comprobación(es) fallaron: public/probabilities.csv."
    )
    english = runner.invoke(cli, ["verify", log])
    assert english.output.rstrip().endswith(
        "NOT VERIFIED: 1 check(s) failed: public/probabilities.csv."
    )


def test_a_folder_conflict_names_the_input_in_spanish(tmp_path: Path) -> None:
    folder = tmp_path / "renca"
    folder.mkdir()
    for name in ("pool.csv", "quotas.csv"):
        (folder / name).write_bytes((RENCA / name).read_bytes())
    args = select_args(folder, "--lang", "es")
    args[1:3] = [str(folder / "pool.csv"), str(folder / "quotas.csv")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert f"la carpeta de salida '{folder}' contiene la lista de voluntarios ('{folder}" in (
        result.stderr
    )
    assert " the " not in result.stderr and "holds" not in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["pool.csv", "quotas.csv"]


def test_lottery_prints_the_statement_to_publish_in_spanish(tmp_path: Path) -> None:
    args = renca_args("lottery", "--tickets", "50", "--draw-date", "2026-12-20")
    runner = CliRunner()
    spanish = runner.invoke(cli, [*args, "--out", str(tmp_path / "es.json"), "--lang", "es"])
    english = runner.invoke(cli, [*args, "--out", str(tmp_path / "en.json")])
    assert spanish.exit_code == 0 and english.exit_code == 0, spanish.output + english.output
    assert "El panel de 40 personas se sorteará entre 400 inscritos" in spanish.output
    assert "publicada como es.json" in spanish.output and "el 2026-12-20." in spanish.output
    assert "The panel of 40 will be drawn from 400 registrants" in english.output
    # the statement is printed, not written: the lottery files are the same bytes
    assert (tmp_path / "es.json").read_bytes() == (tmp_path / "en.json").read_bytes()


def test_a_wrong_record_is_named_by_what_it_should_be_not_by_its_identifier(
    tmp_path: Path,
) -> None:
    lottery = tmp_path / "lottery.json"
    lottery.write_text('{"kind": "sortition-lottery"}', encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    runner = CliRunner()
    spanish = runner.invoke(cli, ["verify", str(lottery), "--lang", "es"])
    assert spanish.exit_code != 0
    assert f"'{lottery}' no es un registro de selección (su 'kind' es 'sortition-lottery')" in (
        spanish.stderr
    )
    assert "indique un registro de selección generado por sortition" in spanish.stderr
    english = runner.invoke(cli, ["verify", str(lottery)])
    assert english.exit_code == spanish.exit_code
    assert "is not a selection log (its 'kind' is 'sortition-lottery')" in english.stderr
    unreadable = runner.invoke(cli, ["verify", str(broken), "--lang", "es"])
    assert "no es un registro de selección: no es JSON legible (" in unreadable.stderr
    args = ["draw", str(broken), "--source", "17 20", "--out", str(tmp_path / "o"), "--lang", "es"]
    draw = runner.invoke(cli, args)
    assert "no es un archivo de lotería: no es JSON legible" in draw.stderr, draw.output


def test_the_summaries_on_screen_follow_lang_and_english_keeps_its_words(tmp_path: Path) -> None:
    runner = CliRunner()
    selected = runner.invoke(cli, select_args(tmp_path / "sel", "--lang", "es", "--reserves", "2"))
    assert selected.exit_code == 0, selected.output
    out = selected.output
    assert out.startswith("Se seleccionaron 40 de 400 inscritos con maximin (semilla 2026).")
    assert "característica  valor" in out and "seleccionados" in out
    assert "Probabilidades de selección (exactas, sobre " in out and "más baja 0,0" in out
    assert "Reservas, en orden: " in out and "renuncias simples (" in out
    assert f"Resultados escritos en {tmp_path / 'sel'}/." in out
    assert "Mantener en privado (datos personales): " in out
    log = tmp_path / "sel" / "public" / "selection-log.json"
    first = json.loads(log.read_text(encoding="utf-8"))["draw"]["selected"][0]
    dropouts = tmp_path / "dropouts.csv"
    dropouts.write_text(f"id\n{first}\n", encoding="utf-8")
    replace = ["replace", str(log), "--dropouts", str(dropouts), "--pool", str(RENCA / "pool.csv")]
    replace += ["--seed", "7", "--quiet"]
    spanish = runner.invoke(cli, [*replace, "--out", str(tmp_path / "r-es"), "--lang", "es"])
    english = runner.invoke(cli, [*replace, "--out", str(tmp_path / "r-en")])
    assert spanish.exit_code == english.exit_code == 0, spanish.output + english.output
    assert f"Renuncias: {first}" in spanish.output and "semilla 7, indicada)" in spanish.output
    assert "panel completado" in spanish.output and "Elegibles: " in spanish.output
    assert f"Dropouts: {first}" in english.output and "seed 7, given)" in english.output
    assert "feature    value" in english.output and "completed panel" in english.output
    for line in spanish.output.splitlines():  # every line is Spanish, or data (table rows, ids)
        assert not any(w in line for w in ("Selected", "Wrote", "Publish", "Keep", "seed")), line


def test_the_seating_summary_follows_lang(tmp_path: Path) -> None:
    args = ["tables", str(ASSEMBLY / "panel.csv"), "--table-size", "10", "--rounds", "2"]
    args += ["--balance", "gender", "--seed", "7"]
    runner = CliRunner()
    spanish = runner.invoke(cli, [*args, "--out", str(tmp_path / "es"), "--lang", "es"])
    english = runner.invoke(cli, [*args, "--out", str(tmp_path / "en")])
    assert spanish.exit_code == english.exit_code == 0
    assert "150 integrantes distribuidos en 15 mesas de 10 durante 2 ronda(s) en " in spanish.output
    assert "(búsqueda: cota inferior alcanzada)." in spanish.output
    assert "Calidad: parejas repetidas 0 (cota inferior 0, óptimo)" in spanish.output
    assert "Seated 150 members at 15 tables of 10 for 2 round(s)" in english.output
    assert "Quality: repeated pairs 0 (lower bound 0, optimal)" in english.output
    # the files are the same bytes whatever the language, but for the printed round pages
    for name in ("tables.csv", "members.csv", "members.xlsx", "summary.csv"):
        assert (tmp_path / "es" / name).read_bytes() == (tmp_path / "en" / name).read_bytes()


def test_progress_on_screen_follows_lang(capsys: pytest.CaptureFixture[str]) -> None:
    status = Status("maximin", None, 0.1, 0.125)
    assert ProgressDisplay(lang="en").describe(status) == status.describe()
    spanish = ProgressDisplay(lang="es").describe(status)
    assert spanish == live_text(Translator("es"), live_status(status))
    assert "probabilidad mínima 0,100000" in spanish and "level" not in spanish
    line = (
        "leximin: the relaxation's leximin has 5 stage(s); realizing it with real panels from "
        "its optimal faces"
    )
    ProgressDisplay(lang="es").line(line)
    ProgressDisplay(lang="en").line(line)
    assert capsys.readouterr().err.splitlines() == [
        "leximin: el leximin de la relajación tiene 5 etapa(s); realizándolo con paneles reales "
        "desde sus caras óptimas",
        line,
    ]


def test_check_quotas_and_invite_print_in_spanish(tmp_path: Path) -> None:
    rows = ["id,name,email,gender,age"]
    rows += [f"w{i},W {i},w{i}@mail.example,f,young" for i in range(10)]
    rows += [f"m{i},M {i},m{i}@mail.example,m,young" for i in range(6)]
    rows += [f"o{i},O {i},o{i}@mail.example,m,old" for i in range(6)]
    pool, quotas = tmp_path / "pool.csv", tmp_path / "quotas.csv"
    pool.write_text("\n".join(rows) + "\n", encoding="utf-8")
    quotas.write_text(
        "feature,value,min,max\ngender,f,4,6\ngender,m,4,6\nage,young,0,6\nage,old,4,6\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    checked = runner.invoke(cli, ["check", str(pool), str(quotas), "-k", "6", "--lang", "es"])
    assert checked.exit_code == 3
    out = checked.stdout
    assert "No hay inscripciones duplicadas (se compararon email)." in out
    assert "Infactible: ningún panel de 6 cumple todas las cuotas." in out
    assert "Menor relajación: 2 unidad(es) de cambio en las cuotas." in out
    assert "mín anterior" in out and "Tabla de cuotas corregida (CSV):" in out
    assert "feature,value,min,max" in out  # the CSV itself keeps its English header
    census = ROOT / "data" / "samples" / "census2017_rm_communes.csv"
    args = ["quotas", str(census), "--by", "sex", "--panel-size", "10", "--where", "commune=Renca"]
    made = runner.invoke(cli, [*args, "--out", str(tmp_path / "q.csv"), "--lang", "es"])
    assert made.exit_code == 0, made.output
    assert "Cuotas para un panel de 10 a partir de " in made.stdout
    assert "(todas las personas censadas, commune = Renca; mayor resto, tolerancia" in made.stdout
    headers = [
        "característica",
        "valor",
        "población",
        "proporción",
        "exacto",
        "cupos",
        "mín",
        "máx",
    ]
    assert headers in [line.split() for line in made.stdout.splitlines()]
    register = tmp_path / "register.csv"
    register.write_text("id,commune\n" + "".join(f"r{i},c{i % 2}\n" for i in range(10)), "utf-8")
    invite = ["invite", str(register), "--invitations", "4", "--strata", "commune"]
    invited = runner.invoke(
        cli, [*invite, "--seed", "1", "--out", str(tmp_path / "i.csv"), "--lang", "es"]
    )
    assert invited.exit_code == 0, invited.output
    assert "4 invitaciones sorteadas entre 10 residentes de " in invited.stdout
    assert "Números aleatorios: semilla 1 (indicada)." in invited.stdout
    assert "Probabilidad de inclusión: 0,400000 en total" in invited.stdout
    assert "Mantener en privado (datos personales): " in invited.stdout


def test_the_command_lines_own_option_checks_in_spanish(tmp_path: Path) -> None:
    given = renca_args("select", "--cooldown", "3", "--as-of", "2026-01-01")
    result = CliRunner().invoke(cli, [*given, "--out", str(tmp_path / "o"), "--lang", "es"])
    assert result.exit_code == 2
    assert (
        "[E200] --cooldown y --as-of solo funcionan con --history, que falta. Cómo corregirlo: "
        "indique --history ARCHIVO con las selecciones anteriores, o quite --cooldown y --as-of"
    ) in result.stderr
    assert not (tmp_path / "o").exists()


def test_a_seating_with_repeats_says_how_to_have_fewer(tmp_path: Path) -> None:
    """Six rounds balancing four columns of the 150-member sample never reach zero repeated
    pairs (benchmarks/RESULTS.md); the summary says what leaves more room, in its language."""
    args = ["tables", str(ASSEMBLY / "panel.csv"), "--table-size", "10", "--rounds", "6"]
    args += ["--balance", "gender,age_band,comuna,education", "--seed", "7", "--time-limit", "1"]
    runner = CliRunner()
    english = runner.invoke(cli, [*args, "--out", str(tmp_path / "en")])
    spanish = runner.invoke(cli, [*args, "--out", str(tmp_path / "es"), "--lang", "es"])
    assert english.exit_code == spanish.exit_code == 0
    assert "balance fewer columns (--spread the others) or seat fewer rounds." in english.stdout
    assert "equilibre menos columnas (--spread para las demás)" in spanish.stdout
    three = ["tables", str(ASSEMBLY / "panel.csv"), "--table-size", "10", "--rounds", "2"]
    quick = runner.invoke(cli, [*three, "--balance", "gender", "--out", str(tmp_path / "q")])
    assert "Quality: repeated pairs 0" in quick.stdout and "fewer" not in quick.stdout


def test_an_invitation_log_is_verified_in_spanish(tmp_path: Path) -> None:
    register = tmp_path / "register.csv"
    register.write_text("id,commune\n" + "".join(f"r{i},c{i % 3}\n" for i in range(30)), "utf-8")
    runner = CliRunner()
    invite = ["invite", str(register), "--invitations", "6", "--strata", "commune", "--seed", "3"]
    assert runner.invoke(cli, [*invite, "--out", str(tmp_path / "inv.csv")]).exit_code == 0
    log = str(tmp_path / "inv-log.json")
    checked = runner.invoke(cli, ["verify", log, "--register", str(register), "--lang", "es"])
    assert checked.exit_code == 0, checked.output
    for line in (
        "CUMPLE     El registro no fue editado  el registro está tal como se escribió",
        "semilla '3' (indicada)",
        "Invitaciones por estrato    3 estratos, mayor resto de 6 sobre 30",
        "los 6 ids sorteados con la semilla son los registrados",
    ):
        assert line in checked.output, checked.output
    assert checked.output.startswith(f"Verificando {log} (sorteo de invitaciones (semilla))")
    english = runner.invoke(cli, ["verify", log, "--register", str(register)])
    assert english.output.startswith(f"Verifying {log} (invitation lottery (seed))")
    assert "PASS    allocation     3 strata, largest remainder of 6 over 30" in english.output


@pytest.mark.parametrize(
    ("args", "environ", "first", "second"),
    [
        (
            ["serve", "--lang", "es"],
            {},
            "carpeta de trabajo",
            "Abra esta dirección en un navegador",
        ),
        (["--lang", "es", "serve"], {}, "carpeta de trabajo", "Abra esta dirección"),
        (["serve"], {"LANG": "es_CL.UTF-8"}, "carpeta de trabajo", "Abra esta dirección"),
        (["serve"], {"LANG": "C"}, "work folder", "Open this address in a browser"),
    ],
)
def test_serve_greets_the_organizer_in_the_apps_language(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    args: list[str],
    environ: dict[str, str],
    first: str,
    second: str,
) -> None:
    import sortition.web.server as server

    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    started: list[str] = []
    monkeypatch.setattr(server, "run_server", lambda config, **_: started.append(config.lang))
    work = ["--workdir", str(tmp_path / "work"), "--no-browser"]
    result = CliRunner().invoke(cli, [*args, *work], prog_name="sortition")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("sortition serve: ") and first in lines[0]
    assert second in lines[1]
    assert started == ["en" if "work folder" in first else "es"]
