"""Options and helpers shared by the commands: each click option the commands share is declared
once here (a factory where its help or default differs by command), grouped by decorators, and
`draw_inputs` turns the parsed values of `draw_input_options` into the library's `DrawInputs`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click
from click.core import ParameterSource

from sortition.algorithms import ALGORITHM_NAMES, DEFAULT_ALGORITHM
from sortition.cli.errors import column_list
from sortition.cli.progress_display import ProgressDisplay
from sortition.errors import UsageError
from sortition.inputs.history import (
    DEFAULT_COOLDOWN_MONTHS,
    DEFAULT_HISTORY_FACTOR,
    HISTORY_MODES,
    HistoryRule,
)
from sortition.options import DEFAULT_FAIRNESS_SLACK, SOLVERS, SolveOptions
from sortition.process.inputs import DrawInputs


def progress(message: str) -> None:
    """Progress lines go to stderr, so stdout stays the result."""
    click.echo(message, err=True)


def progress_callbacks(quiet: bool, lang: str = "en") -> dict[str, Any]:
    """SolveOptions' `progress` and `status`: a bar on a terminal, plain lines otherwise
    (see progress_display.py), in `lang`; nothing with --quiet."""
    return {} if quiet else ProgressDisplay(lang=lang).callbacks()


_F = TypeVar("_F", bound=Callable[..., Any])


def _apply(decorators: Sequence[Callable[[_F], _F]], command: _F) -> _F:
    """`decorators` applied as if written above `command` in this order (help lists them so)."""
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


# The input files of the commands that read a pool and a quota table
pool_argument = click.argument("pool", type=click.Path(dir_okay=False))
quotas_argument = click.argument("quotas", type=click.Path(dir_okay=False))

# `--panel-size`, `-k`
panel_size_option = click.option(
    "--panel-size", "-k", type=int, required=True, help="Number of people on the panel."
)

# `--quiet`: no progress on stderr
quiet_option = click.option("--quiet", "-q", is_flag=True, help="Do not report progress on stderr.")

TIME_LIMIT_HELP = (
    "Stop after SECONDS. MAXIMIN, LEXIMIN, NASH and GOLDILOCKS then keep the best distribution "
    "found, labelled 'stopped by the time limit' with the gap it provably reached; with none "
    "yet (or LEGACY), stop with an error."
)


def seed_option(help: str, default: str | None = None) -> Callable[[_F], _F]:
    """`--seed TEXT` (the help says what the seed repeats; a default is shown)."""
    return click.option("--seed", default=default, show_default=default is not None, help=help)


def sources_option(help: str, *, required: bool = False) -> Callable[[_F], _F]:
    """`--source NUMBERS`, repeatable: public random numbers, in the announced order."""
    return click.option(
        "--source", "sources", multiple=True, required=required, metavar="NUMBERS", help=help
    )


def pool_file_option(help: str) -> Callable[[_F], _F]:
    """`--pool FILE` of the commands that read a pool beside a log or lottery file."""
    return click.option(
        "--pool", "pool_path", type=click.Path(dir_okay=False), default=None, help=help
    )


def id_column_option(
    help: str = "Column of the pool holding unique registrant ids.",
) -> Callable[[_F], _F]:
    """`--id-column` (the help names the table: pool, panel or register)."""
    return click.option("--id-column", default="id", show_default=True, help=help)


def household_columns_option(
    help: str = "Registrants equal on all these columns share a household; "
    "at most one per household is selected. Blank cells never match.",
) -> Callable[[_F], _F]:
    """`--household-columns COL[,COL...]`."""
    return click.option("--household-columns", default=None, metavar="COL[,COL...]", help=help)


def algorithm_option(
    help: str = "How to make the lottery fair; never replaced silently.",
    default: str | None = DEFAULT_ALGORITHM,
) -> Callable[[_F], _F]:
    """`--algorithm`, `-a`: one of the registered algorithms (a default is shown)."""
    return click.option(
        "--algorithm",
        "-a",
        type=click.Choice(ALGORITHM_NAMES),
        default=default,
        show_default=default is not None,
        help=help,
    )


def solver_option(
    help: str = "MILP solver: HiGHS (highspy) or CBC (bundled with PuLP).",
) -> Callable[[_F], _F]:
    """`--solver` (the help may say what it is used for)."""
    return click.option(
        "--solver", type=click.Choice(SOLVERS), default="highs", show_default=True, help=help
    )


def time_limit_option(help: str = TIME_LIMIT_HELP) -> Callable[[_F], _F]:
    """`--time-limit SECONDS` (the help says what stops)."""
    return click.option("--time-limit", type=float, default=None, metavar="SECONDS", help=help)


# `--gap G`: how close to optimal the exact algorithms must provably get
gap_option = click.option(
    "--gap",
    type=float,
    default=None,
    metavar="G",
    help="Stop the exact algorithms once provably within a relative gap G of optimal "
    "(e.g. 0.001; logged and checked by verify --deep). Default: to solver precision.",
)


# `--fairness-slack E`: how far below the MAXIMIN minimum DIVERSIMAX may push anyone
fairness_slack_option = click.option(
    "--fairness-slack",
    type=float,
    default=DEFAULT_FAIRNESS_SLACK,
    show_default=True,
    metavar="E",
    help="For --algorithm diversimax: everyone keeps a chance of at least (1 - E) times the "
    "maximin lowest probability (0 <= E < 1; logged).",
)


# `--personal-columns COL,...`: columns the organizer marks as personal data
personal_columns_option = click.option(
    "--personal-columns",
    default=None,
    metavar="COL[,COL...]",
    help="Columns holding personal data. An id column among them (or recognised as e-mails, "
    "phones, names or identity numbers) is replaced by pseudonyms in every publishable file.",
)


def instance_options(command: _F) -> _F:
    """Arguments and options shared by every command that reads a pool and a quota table."""
    return _apply(
        [
            pool_argument,
            quotas_argument,
            panel_size_option,
            id_column_option(),
            household_columns_option(),
            click.option(
                "--contact-columns",
                default=None,
                metavar="COL[,COL...]",
                help="Columns whose shared values reveal duplicate registrations "
                "(default: the pool's e-mail and phone columns, recognized by name).",
            ),
            solver_option(),
        ],
        command,
    )


correct_self_selection_option = click.option(
    "--correct-self-selection",
    "population_path",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="POPULATION.csv",
    help="Population per quota value (columns feature, value, population): aim each "
    "registrant's chance at the inverse of their estimated propensity to volunteer (raking), "
    "so residents end up with more equal chances. Needs leximin or maximin.",
)


def draw_input_options(command: _F) -> _F:
    """Everything `select` and `lottery` read alike: `instance_options`, then how to compute the
    distribution and who is kept out. The command passes these values on to `draw_inputs`."""
    return _apply(
        [
            instance_options,
            algorithm_option(),
            click.option(
                "--legacy-draws",
                type=int,
                default=1000,
                show_default=True,
                help="For --algorithm legacy: draws used to estimate probabilities.",
            ),
            gap_option,
            fairness_slack_option,
            time_limit_option(),
            personal_columns_option,
            click.option(
                "--allow-duplicates",
                is_flag=True,
                help="Draw even if registrants share an e-mail or phone (each would have two "
                "chances).",
            ),
            correct_self_selection_option,
            click.option(
                "--targets",
                "targets_path",
                type=click.Path(dir_okay=False),
                default=None,
                help="For --algorithm fair-maxentropy: CSV of target probabilities (id, "
                "probability, e.g. a probabilities.csv); default: LEXIMIN's.",
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
                default=DEFAULT_COOLDOWN_MONTHS,
                show_default=True,
                metavar="MONTHS",
                help="With --history: how long a selected registrant sits out.",
            ),
            click.option(
                "--history-mode",
                type=click.Choice(HISTORY_MODES),
                default="exclude",
                show_default=True,
                help="With --history: keep recent panelists out, or keep them in with their "
                "chance multiplied by --history-factor (leximin and maximin only).",
            ),
            click.option(
                "--history-factor",
                type=float,
                default=DEFAULT_HISTORY_FACTOR,
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
        ],
        command,
    )


def draw_inputs(
    *,
    pool: str,
    quotas: str,
    panel_size: int,
    id_column: str,
    household_columns: str | None,
    contact_columns: str | None,
    solver: str,
    algorithm: str,
    legacy_draws: int,
    gap: float | None,
    fairness_slack: float,
    time_limit: float | None,
    personal_columns: str | None,
    allow_duplicates: bool,
    history_path: str | None,
    cooldown: int,
    history_mode: str,
    history_factor: float,
    as_of: str | None,
    quiet: bool,
    population_path: str | None,
    targets_path: str | None = None,
    lang: str = "en",
) -> DrawInputs:
    """The library's `DrawInputs` from the values of `draw_input_options`, by name (progress
    shown in `lang`)."""
    history = history_rule(history_path, cooldown, as_of, history_mode, history_factor)
    return DrawInputs(
        pool_path=pool,
        quota_path=quotas,
        panel_size=panel_size,
        algorithm=algorithm,
        id_column=id_column,
        household_columns=column_list(household_columns),
        contact_columns=column_list(contact_columns) if contact_columns is not None else None,
        allow_duplicates=allow_duplicates,
        history=history,
        options=SolveOptions(
            solver=solver,
            time_limit=time_limit,
            legacy_draws=legacy_draws,
            gap=gap,
            fairness_slack=fairness_slack,
            **progress_callbacks(quiet, lang),
        ),
        personal_columns=column_list(personal_columns),
        population_path=population_path,
        targets_path=targets_path,
    )


def history_rule(
    path: str | None, cooldown: int, as_of: str | None, mode: str, factor: float
) -> HistoryRule | None:
    """The rotation rule from --history and its companions (None without --history, which
    its companions need: given alone they would be ignored, so they are refused)."""
    if path is None:
        given = _given_on_command_line("cooldown", "history_mode", "history_factor", "as_of")
        if len(given) == 1:
            raise UsageError(
                f"{given[0]} only works with --history, which is missing",
                hint=f"pass --history FILE with the earlier selections, or leave out {given[0]}",
            )
        if given:
            first, last = ", ".join(given[:-1]), given[-1]
            raise UsageError(
                f"{first} and {last} only work with --history, which is missing",
                hint=f"pass --history FILE with the earlier selections, or leave out {first} "
                f"and {last}",
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


# `--out DIR` of the commands that write a selection (select, draw)
selection_out_option = click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="selection",
    show_default=True,
    help="New or empty folder for the output files (written all or nothing).",
)

# `--overwrite` of every command that writes results
overwrite_option = click.option(
    "--overwrite",
    is_flag=True,
    help="Replace the results of an earlier run at --out, as a whole (without it they are "
    "never overwritten).",
)
