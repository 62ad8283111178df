"""Options and helpers shared by the commands that read a pool and a quota table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click
from click.core import ParameterSource

from sortition.algorithms import ALGORITHM_NAMES, DEFAULT_ALGORITHM
from sortition.cli.errors import column_list
from sortition.cli.progress_display import ProgressDisplay
from sortition.errors import UsageError
from sortition.inputs.history import HistoryRule
from sortition.options import SOLVERS, SolveOptions


def progress(message: str) -> None:
    """Progress lines go to stderr, so stdout stays the result."""
    click.echo(message, err=True)


def progress_callbacks(quiet: bool) -> dict[str, Any]:
    """SolveOptions' `progress` and `status`: a bar on a terminal, plain lines otherwise
    (see progress_display.py); nothing with --quiet."""
    return {} if quiet else ProgressDisplay().callbacks()


_F = TypeVar("_F", bound=Callable[..., Any])

# `--quiet`: no progress on stderr; defined once
quiet_option = click.option("--quiet", "-q", is_flag=True, help="Do not report progress on stderr.")

TIME_LIMIT_HELP = (
    "Stop after SECONDS. MAXIMIN, LEXIMIN, NASH and GOLDILOCKS then keep the best distribution "
    "found, labelled 'stopped by the time limit' with the gap it provably reached; with none "
    "yet (or LEGACY), stop with an error."
)


def solver_option(
    help: str = "MILP solver: HiGHS (highspy) or CBC (bundled with PuLP).",
) -> Callable[[_F], _F]:
    """`--solver`, defined once (the help may say what it is used for)."""
    return click.option(
        "--solver", type=click.Choice(SOLVERS), default="highs", show_default=True, help=help
    )


def time_limit_option(help: str = TIME_LIMIT_HELP) -> Callable[[_F], _F]:
    """`--time-limit SECONDS`, defined once."""
    return click.option("--time-limit", type=float, default=None, metavar="SECONDS", help=help)


# `--gap G`: how close to optimal the exact algorithms must provably get; defined once
gap_option = click.option(
    "--gap",
    type=float,
    default=None,
    metavar="G",
    help="Stop the exact algorithms once provably within a relative gap G of optimal "
    "(e.g. 0.001; logged and checked by verify --deep). Default: to solver precision.",
)


# `--personal-columns COL,...`: columns the organizer marks as personal data; defined once
personal_columns_option = click.option(
    "--personal-columns",
    default=None,
    metavar="COL[,COL...]",
    help="Columns holding personal data. An id column among them (or recognised as e-mails, "
    "phones, names or identity numbers) is replaced by pseudonyms in every publishable file.",
)


def instance_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Arguments and options shared by every command that reads a pool and a quota table."""
    decorators = [
        click.argument("pool", type=click.Path(dir_okay=False)),
        click.argument("quotas", type=click.Path(dir_okay=False)),
        click.option(
            "--panel-size", "-k", type=int, required=True, help="Number of people on the panel."
        ),
        click.option(
            "--id-column",
            default="id",
            show_default=True,
            help="Column of the pool holding unique registrant ids.",
        ),
        click.option(
            "--household-columns",
            default=None,
            metavar="COL[,COL...]",
            help="Registrants equal on all these columns share a household; "
            "at most one per household is selected. Blank cells never match.",
        ),
        click.option(
            "--contact-columns",
            default=None,
            metavar="COL[,COL...]",
            help="Columns whose shared values reveal duplicate registrations "
            "(default: the pool's e-mail and phone columns, recognized by name).",
        ),
        solver_option(),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def draw_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by the commands that compute a distribution to draw from."""
    decorators = [
        click.option(
            "--algorithm",
            "-a",
            type=click.Choice(ALGORITHM_NAMES),
            default=DEFAULT_ALGORITHM,
            show_default=True,
            help="How to make the lottery fair; never replaced silently.",
        ),
        click.option(
            "--legacy-draws",
            type=int,
            default=1000,
            show_default=True,
            help="For --algorithm legacy: draws used to estimate probabilities.",
        ),
        gap_option,
        time_limit_option(),
        personal_columns_option,
        click.option(
            "--allow-duplicates",
            is_flag=True,
            help="Draw even if registrants share an e-mail or phone (each would have two chances).",
        ),
        click.option(
            "--history",
            "history_path",
            type=click.Path(dir_okay=False),
            default=None,
            help="CSV of earlier selections (id, process, date): keep out those selected "
            "within --cooldown months before --as-of.",
        ),
        click.option(
            "--cooldown",
            type=int,
            default=24,
            show_default=True,
            metavar="MONTHS",
            help="With --history: how long a selected registrant sits out.",
        ),
        click.option(
            "--history-mode",
            type=click.Choice(["exclude", "weight"]),
            default="exclude",
            show_default=True,
            help="With --history: keep recent panelists out, or keep them in with their chance "
            "multiplied by --history-factor (leximin and maximin only).",
        ),
        click.option(
            "--history-factor",
            type=float,
            default=0.5,
            show_default=True,
            help="With --history-mode weight: recent panelists' chance relative to others'.",
        ),
        click.option(
            "--as-of",
            default=None,
            metavar="YYYY-MM-DD",
            help="With --history: the date the cooldown counts back from (required, so the "
            "draw can be repeated).",
        ),
        quiet_option,
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def history_rule(
    path: str | None, cooldown: int, as_of: str | None, mode: str, factor: float
) -> HistoryRule | None:
    """The rotation rule from --history and its companions (None without --history, which
    its companions need: given alone they would be ignored, so they are refused)."""
    if path is None:
        given = _given_on_command_line("cooldown", "history_mode", "history_factor", "as_of")
        if given:
            raise UsageError(
                f"{' and '.join(given)} only {'work' if len(given) > 1 else 'works'} with "
                "--history, which is missing",
                hint="pass --history FILE with the earlier selections, or leave out "
                + " and ".join(given),
            )
        return None
    if as_of is None:
        raise UsageError(
            "--history needs --as-of, the date the cooldown counts back from",
            hint="pass --as-of YYYY-MM-DD (e.g. the date of the draw)",
        )
    return HistoryRule(path, cooldown, as_of, mode, factor)


def _given_on_command_line(*names: str) -> list[str]:
    """The options among `names` (parameter names) that the user gave, as typed (--as-of)."""
    context = click.get_current_context(silent=True)
    if context is None:
        return []
    defaults = (None, ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP)
    return [
        "--" + name.replace("_", "-")
        for name in names
        if context.get_parameter_source(name) not in defaults
    ]


def draw_request_fields(
    pool: str,
    quotas: str,
    panel_size: int,
    algorithm: str,
    id_column: str,
    household_columns: str | None,
    contact_columns: str | None,
    allow_duplicates: bool,
    solver: str,
    time_limit: float | None,
    legacy_draws: int,
    gap: float | None,
    quiet: bool,
    history: HistoryRule | None,
    personal_columns: str | None = None,
) -> dict[str, Any]:
    """The fields `select` and `lottery` share in their requests, from their common options."""
    return {
        "personal_columns": column_list(personal_columns),
        "pool_path": pool,
        "quota_path": quotas,
        "panel_size": panel_size,
        "algorithm": algorithm,
        "id_column": id_column,
        "household_columns": column_list(household_columns),
        "contact_columns": column_list(contact_columns) if contact_columns is not None else None,
        "allow_duplicates": allow_duplicates,
        "history": history,
        "options": SolveOptions(
            solver=solver,
            time_limit=time_limit,
            legacy_draws=legacy_draws,
            gap=gap,
            **progress_callbacks(quiet),
        ),
    }


# `--out DIR` of the commands that write a selection (select, draw): defined once
selection_out_option = click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="selection",
    show_default=True,
    help="New or empty folder for the output files (written all or nothing).",
)

# `--overwrite` of every command that writes results: defined once
overwrite_option = click.option(
    "--overwrite",
    is_flag=True,
    help="Replace the results of an earlier run at --out, as a whole (without it they are "
    "never overwritten).",
)
