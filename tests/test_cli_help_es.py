"""The command line's help pages and click's usage errors in Spanish under `--lang es`
(sortition/cli/help_language.py, sortition/i18n/es_help.py); English unchanged without it."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from sortition.cli.help_language import requested_language, short_help, spanish_message
from sortition.cli.main import cli
from sortition.i18n.es_help import CLICK, HELP

RENCA = Path(__file__).resolve().parent.parent / "data" / "samples" / "renca"
COMMANDS = sorted(cli.commands)


def invoke(args: list[str]) -> Result:
    return CliRunner().invoke(cli, args, prog_name="sortition")


def declared_help_texts() -> set[str]:
    """Every help text the command line declares: the group's, each command's, each option's."""
    texts = {inspect.cleandoc(cli.help or "")}
    texts |= {inspect.cleandoc(p.help) for p in cli.params if getattr(p, "help", None)}
    for command in cli.commands.values():
        texts.add(inspect.cleandoc(command.help or ""))
        for param in command.params:
            if isinstance(param, click.Option) and param.help:
                texts.add(inspect.cleandoc(param.help))
    return texts - {""}


def test_every_help_text_has_its_spanish_and_no_entry_is_left_over():
    declared = declared_help_texts() - set(CLICK)  # (--version's help is click's own)
    assert sorted(declared - set(HELP)) == []
    assert sorted(set(HELP) - declared) == []
    assert all(HELP[text] != text for text in declared)


def has_lang(command: str) -> bool:
    return any(param.name == "lang" for param in cli.commands[command].params)


@pytest.mark.parametrize("command", COMMANDS)
def test_each_commands_help_reads_in_spanish(command):
    result = invoke(["--lang", "es", command, "--help"])
    assert result.exit_code == 0, result.output
    if has_lang(command):  # the command's own --lang, after --help or before it
        own = invoke([command, "--help", "--lang", "es"]).output
        assert invoke([command, "--lang", "es", "--help"]).output == own
        # (given before the command, es is also the default the page shows for --lang)
        assert own == result.output.replace("defecto: es]", "defecto: en]", 1)
    out = result.output
    assert out.startswith(f"Uso: sortition {command} [OPCIONES]")
    assert "\nOpciones:\n" in out
    assert "Muestra este mensaje y termina." in out
    assert "Usage:" not in out and "Options:" not in out and "Show this message" not in out
    assert "[default:" not in out and "required]" not in out
    spanish = " ".join(HELP[inspect.cleandoc(cli.commands[command].help or "")].split())
    assert spanish[:60] in " ".join(out.split())
    for param in cli.commands[command].params:
        if isinstance(param, click.Option) and param.help and len(param.help) > 30:
            assert " ".join(param.help.split())[:30] not in " ".join(out.split())


@pytest.mark.parametrize("command", COMMANDS)
def test_each_commands_help_stays_english_without_lang_es(command):
    result = invoke([command, "--help"])
    assert result.exit_code == 0
    assert result.output.startswith(f"Usage: sortition {command} [OPTIONS]")
    assert "Opciones" not in result.output and "por defecto" not in result.output


def test_the_command_list_reads_in_spanish_and_defaults_follow_the_language():
    result = invoke(["--lang", "es", "--help"])
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("Uso: sortition [OPCIONES] COMANDO [ARGUMENTOS]...")
    assert "\nComandos:\n" in out
    assert "  select    Sortea un panel con una lotería justa" in out
    assert "Muestra la versión y termina." in out
    select = invoke(["select", "--help", "--lang", "es"]).output
    assert "[por defecto: leximin]" in select and "[obligatorio]" in select


def test_the_language_alone_shows_the_spanish_help_as_a_bare_command_shows_the_english():
    bare = invoke([])  # click: the help on stderr, exit 2
    assert bare.exit_code == 2
    assert bare.stderr.startswith("Usage: sortition [OPTIONS] COMMAND [ARGS]...")
    for args in (["--lang", "es"], ["--lang=es"]):
        spanish = invoke(args)
        assert spanish.exit_code == 2 and spanish.stdout == ""
        assert spanish.stderr == invoke(["--lang", "es", "--help"]).output


def test_a_language_before_the_command_applies_to_it():
    args = ["check", str(RENCA / "pool.csv"), str(RENCA / "quotas.csv"), "-k", "40"]
    spanish = invoke(["--lang", "es", *args])
    assert spanish.exit_code == 0, spanish.output
    assert "\nFactible: un panel de 40" in spanish.output
    assert "\nFeasible" in invoke(args).output
    # the command's own --lang still wins
    assert "\nFeasible" in invoke(["--lang", "es", *args, "--lang", "en"]).output


@pytest.mark.parametrize(
    ("args", "spanish", "english"),
    [
        (["check", "--lang", "es"], "Error: Falta el argumento 'POOL'.", "Missing argument 'POOL'"),
        (
            ["check", "a.csv", "b.csv", "--lang", "es"],
            "Error: Falta la opción '--panel-size' / '-k'.",
            "Missing option '--panel-size' / '-k'",
        ),
        (
            ["check", "a.csv", "b.csv", "-k", "x", "--lang", "es"],
            "Error: Valor no válido para '--panel-size' / '-k': 'x' no es un número entero válido.",
            "'x' is not a valid integer",
        ),
        (
            ["check", "a.csv", "b.csv", "-k", "3", "--solver", "glpk", "--lang", "es"],
            "Error: Valor no válido para '--solver': 'glpk' no es uno de 'highs', 'cbc'.",
            "'glpk' is not one of 'highs', 'cbc'",
        ),
        (
            ["check", "a.csv", "b.csv", "-k", "3", "--nope", "--lang", "es"],
            "Error: No existe la opción '--nope'.",
            "No such option",
        ),
        (
            ["check", "a.csv", "b.csv", "c.csv", "-k", "3", "--lang", "es"],
            "Error: Sobra un argumento (c.csv).",
            "Got unexpected extra argument (c.csv)",
        ),
        (
            ["chek", "--lang", "es"],
            "Error: No existe el comando 'chek'. ¿Quiso decir 'check'?",
            "No such command 'chek'",
        ),
    ],
)
def test_usage_errors_read_in_spanish_with_the_usage_line(args, spanish, english):
    result = invoke(args)
    assert result.exit_code == 2
    assert spanish in result.stderr
    assert "Uso: sortition" in result.stderr
    assert "Pruebe 'sortition" in result.stderr and "para ver la ayuda." in result.stderr
    plain = invoke([a for a in args if a not in ("--lang", "es")])
    assert plain.exit_code == 2
    assert english in plain.stderr and "Usage: sortition" in plain.stderr


def test_a_real_process_prints_spanish_help_and_errors():
    run = [sys.executable, "-m", "sortition"]
    shown = subprocess.run(
        [*run, "tables", "--help", "--lang", "es"], capture_output=True, text=True, check=True
    )
    assert shown.stdout.startswith("Uso: sortition tables [OPCIONES] PANEL")
    assert "Sienta al panel en mesas durante varias rondas" in shown.stdout
    failed = subprocess.run(
        [*run, "tables", "--lang", "es"], capture_output=True, text=True, check=False
    )
    assert failed.returncode == 2
    assert "Error: Falta el argumento 'PANEL'." in failed.stderr


def test_requested_language_reads_both_spellings_and_nothing_else():
    assert requested_language(["select", "--lang", "es"]) == "es"
    assert requested_language(["--lang=es", "select"]) == "es"
    assert requested_language(["select", "--lang", "en"]) == "en"
    assert requested_language(["select", "--lang"]) == "en"
    assert requested_language(["select", "es"]) == "en"


def test_spanish_messages_leave_unknown_ones_as_they_are():
    assert spanish_message("Option '--seed' requires an argument.") == (
        "La opción '--seed' necesita un valor."
    )
    assert spanish_message("Invalid value: 5 is not in the range x>=10.") == (
        "Valor no válido: 5 no está en el rango x>=10."
    )
    assert spanish_message("Something click never said.") == "Something click never said."


def test_a_path_click_cannot_read_or_write_reads_in_spanish():
    assert spanish_message("Invalid value for 'POOL': File 'x.csv' is not readable.") == (
        "Valor no válido para 'POOL': 'x.csv' no se puede leer."
    )
    assert spanish_message("Invalid value for '--out': Directory 'd' is not writable.") == (
        "Valor no válido para '--out': 'd' no se puede escribir."
    )
    assert spanish_message("Invalid value for '-k': 'x' is not 'y'.") == (
        "Valor no válido para '-k': 'x' no es 'y'."
    )


def test_short_help_is_the_first_sentence_cut_at_a_word():
    assert short_help("Uno dos. Tres cuatro.", 45) == "Uno dos."
    assert short_help("Vea p. ej. esto. Luego", 45) == "Vea p. ej. esto."
    assert short_help("palabra " * 20, 20) == "palabra palabra..."
