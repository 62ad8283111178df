"""The `sortition invite` command: the invitation lottery over a register (see `sortition.invite`).

Not registered here: `sortition.cli.main` adds it with `cli.add_command(invite_command)`.
"""

from __future__ import annotations

import click

from sortition.cli.errors import column_list, language_option, user_errors
from sortition.cli.shared import (
    id_column_option,
    overwrite_option,
    personal_columns_option,
    seed_option,
    sources_option,
)
from sortition.i18n import Translator, screen_number
from sortition.invite import (
    MAX_STRATA_SHOWN,
    Invitations,
    InviteRequest,
    check_invitation_outputs,
    default_log_path,
    invite,
    write_invitations,
)
from sortition.text import table


def invitation_summary(invitations: Invitations, lang: str = "en") -> str:
    """What `sortition invite` prints: the randomness, the allocation and the probabilities (in
    `lang`)."""
    t = Translator(lang)
    register = invitations.register
    request = invitations.request
    randomness = invitations.randomness
    population = register.population
    strata = t.integer(len(invitations.strata))
    drawn = {
        "invitations": t.integer(request.invitations),
        "population": t.integer(population),
        "path": register.path,
    }
    lines = [
        t(
            "cli.invite.stratified",
            **drawn,
            columns=", ".join(register.strata_columns),
            strata=strata,
        )
        if register.strata_columns
        else t("cli.invite.unstratified", **drawn)
    ]
    if randomness.sources:
        lines.append(t("cli.invite.key", seed=randomness.seed))
    elif randomness.seed_source == "generated":
        lines.append(t("cli.invite.generated", seed=randomness.seed))
    else:
        lines.append(t("cli.invite.given", seed=randomness.seed))
    shares = [s.invitations / s.population for s in invitations.strata]
    lines.append(
        t(
            "cli.invite.probability",
            overall=screen_number(request.invitations / population, 6, lang),
            low=screen_number(min(shares), 6, lang),
            high=screen_number(max(shares), 6, lang),
        )
    )
    if register.strata_columns and len(invitations.strata) <= MAX_STRATA_SHOWN:
        rows = [
            [
                " / ".join(s.key),
                t.integer(s.population),
                s.invitations,
                screen_number(s.invitations / s.population, 6, lang),
            ]
            for s in invitations.strata
        ]
        headers = [" / ".join(register.strata_columns)] + [
            t(f"cli.invite.{h}") for h in ("population", "invitations", "probability_header")
        ]
        lines += ["", table(headers, rows)]
    elif register.strata_columns:
        lines.append(t("cli.invite.in_log", strata=strata))
    return "\n".join(lines)


@click.command("invite")
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
    "never to be published.",
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
