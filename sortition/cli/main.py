"""The `sortition` command: parses options, calls one library function, prints the result.

No selection logic lives here; errors from the library become one-line messages and exit codes
(1 bad input, 2 bad usage, 3 infeasible quotas, 4 solver failure or time limit).
"""

from __future__ import annotations

import click

from sortition import __version__
from sortition.cli.audit_commands import draw_command, verify_command
from sortition.cli.census_command import quotas_command
from sortition.cli.check_command import check_command
from sortition.cli.compare_command import compare_command
from sortition.cli.generate_command import generate_command
from sortition.cli.help_language import LocalizedGroup
from sortition.cli.invite_command import invite_command
from sortition.cli.replace_command import replace_command
from sortition.cli.selection_commands import lottery_command, select_command
from sortition.cli.serve_command import serve_command
from sortition.cli.sweep_command import sweep_command
from sortition.cli.tables_command import tables_command
from sortition.i18n import LANGUAGES


@click.group(cls=LocalizedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sortition")
@click.option(
    "--lang",
    type=click.Choice(sorted(LANGUAGES)),
    default=None,
    help="Language of this help and of every command (as if each were given --lang): en "
    "(English) or es (español).",
)
@click.pass_context
def cli(ctx: click.Context, lang: str | None) -> None:
    """Fair, reproducible and auditable selection of citizens' panels by lottery."""
    if lang is not None:  # `sortition --lang es select ...`: each command's --lang defaults to it
        ctx.default_map = {name: {"lang": lang} for name in cli.commands}


for command in (
    check_command,
    select_command,
    lottery_command,
    draw_command,
    verify_command,
    replace_command,
    quotas_command,
    invite_command,
    generate_command,
    compare_command,
    sweep_command,
    serve_command,
    tables_command,
):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="sortition")


if __name__ == "__main__":
    main()
