"""The `sortition invite` command: the invitation lottery over a register (see `sortition.invite`).

Not registered here: `sortition.cli.main` adds it with `cli.add_command(invite_command)`.
"""

from __future__ import annotations

import click

from sortition.cli.errors import column_list, language_option, user_errors
from sortition.cli.help_language import LocalizedCommand
from sortition.cli.shared import (
    id_column_option,
    overwrite_option,
    personal_columns_option,
    seed_option,
    sources_option,
)
from sortition.i18n import Translator
from sortition.invite import (
    InviteRequest,
    check_invitation_outputs,
    default_log_path,
    invite,
    write_invitations,
)
from sortition.outputs.report_tools import invitation_summary


@click.command("invite", cls=LocalizedCommand)
@click.argument("register", type=click.Path(dir_okay=False))
@click.option("--invitations", "-n", type=int, required=True, help="Number of invitations to draw.")
@click.option(
    "--strata",
    default=None,
    metavar="COL[,COL...]",
    help="Register columns to stratify by (proportional allocation by largest remainder); "
    "without it one simple random sample is drawn.",
)
@id_column_option("Register column holding unique resident ids (the only column the log lists).")
@seed_option(
    "Any integer or text; the same register, options and seed repeat the draw exactly. "
    "Without it (and without --source) a seed is generated, printed and logged."
)
@sources_option(
    "Public random numbers instead of a seed, e.g. a lottery result (repeatable; their "
    "RFC 3797 key is the seed)."
)
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False),
    required=True,
    help="CSV of the invited rows with every register column, for mailing: personal data, "
    "never to be published. Named .xlsx, an Excel workbook of the same cells.",
)
@click.option(
    "--log",
    "log_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="The publishable invitation log (ids only) [default: OUT's name + '-log.json'].",
)
@personal_columns_option
@overwrite_option
@language_option("the summary on screen")
@user_errors
def invite_command(
    register: str,
    invitations: int,
    strata: str | None,
    id_column: str,
    seed: str | None,
    sources: tuple[str, ...],
    out_path: str,
    log_path: str | None,
    personal_columns: str | None,
    overwrite: bool,
    lang: str,
) -> None:
    """Draw invitations from an address or resident register, every resident equally likely.

    REGISTER is a CSV with one row per resident (or address) and a column of unique ids.
    Within each stratum a simple random sample is drawn, of the stratum's largest-remainder
    share of the invitations.

    \b
    Example: sortition invite register.csv --invitations 10000 --strata commune
      --seed 2026 --out invitations.csv
    """
    log = log_path if log_path is not None else str(default_log_path(out_path))
    check_invitation_outputs(register, out_path, log, overwrite=overwrite)
    result = invite(
        InviteRequest(
            register,
            invitations,
            column_list(strata),
            id_column,
            seed,
            tuple(sources),
            column_list(personal_columns),
        )
    )
    write_invitations(result, out_path, log, overwrite=overwrite)
    t = Translator(lang)
    click.echo(invitation_summary(result, lang))
    click.echo("\n" + t("cli.invite.wrote", out=out_path, log=log))
    click.echo(t("cli.invite.publish", log=log))
    click.echo(t("cli.invite.private", out=out_path))
    if result.pseudonyms is not None:
        mapping_phrase = f"the column 'pseudonym' of {out_path}"
        note = result.pseudonyms.note(mapping_phrase)
        click.echo(t.library_text(note) or note)
