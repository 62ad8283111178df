"""The `sortition invite` command: the invitation lottery over a register (see `sortition.invite`).

Not registered here: `sortition.cli.main` adds it with `cli.add_command(invite_command)`.
"""

from __future__ import annotations

import click

from sortition.cli.errors import column_list, user_errors
from sortition.cli.shared import (
    id_column_option,
    overwrite_option,
    personal_columns_option,
    seed_option,
    sources_option,
)
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


def invitation_summary(invitations: Invitations) -> str:
    """What `sortition invite` prints: the randomness, the allocation and the probabilities."""
    register = invitations.register
    request = invitations.request
    randomness = invitations.randomness
    population = register.population
    lines = [
        f"{request.invitations:,} invitations drawn from {population:,} residents of "
        f"{register.path}, "
        + (
            f"stratified by {', '.join(register.strata_columns)} "
            f"({len(invitations.strata):,} strata, largest remainder)."
            if register.strata_columns
            else "unstratified."
        )
    ]
    if randomness.sources:
        lines.append(f"Random numbers: RFC 3797 key {randomness.seed} of the public sources.")
    elif randomness.seed_source == "generated":
        lines.append(
            f"Random numbers: seed {randomness.seed} (generated; pass --seed {randomness.seed} "
            "to repeat the draw)."
        )
    else:
        lines.append(f"Random numbers: seed {randomness.seed} (given).")
    shares = [s.invitations / s.population for s in invitations.strata]
    lines.append(
        f"Inclusion probability: {request.invitations / population:.6f} overall; by stratum "
        f"from {min(shares):.6f} to {max(shares):.6f}."
    )
    if register.strata_columns and len(invitations.strata) <= MAX_STRATA_SHOWN:
        rows = [
            [
                " / ".join(s.key),
                f"{s.population:,}",
                s.invitations,
                f"{s.invitations / s.population:.6f}",
            ]
            for s in invitations.strata
        ]
        headers = [" / ".join(register.strata_columns), "population", "invitations", "probability"]
        lines += ["", table(headers, rows)]
    elif register.strata_columns:
        lines.append(f"The allocation over all {len(invitations.strata):,} strata is in the log.")
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
    click.echo(invitation_summary(result))
    click.echo(f"\nWrote {out_path} and {log}.")
    click.echo(f"Publish: {log} (ids, strata and counts only).")
    click.echo(
        f"Keep private (personal data): {out_path} (every register column, for mailing; "
        "never publish it)."
    )
    if result.pseudonyms is not None:
        click.echo(result.pseudonyms.note(f"the column 'pseudonym' of {out_path}"))
