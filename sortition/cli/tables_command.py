"""The `sortition tables` command: seat the selected assembly at diverse tables, round after round.

Not registered here: `sortition.cli.main` adds it with `cli.add_command(tables_command)`. Parses
the options, calls `sortition.tables`, prints the quality line; exit 3 when the seating rules
conflict.
"""

from __future__ import annotations

import click

from sortition.cli.errors import column_list, language_option, user_errors
from sortition.cli.help_language import LocalizedCommand
from sortition.cli.progress_display import ProgressDisplay
from sortition.cli.shared import id_column_option, overwrite_option, seed_option, time_limit_option
from sortition.i18n import Translator, screen_number
from sortition.outputs.result_set import check_result_folder
from sortition.randomness import new_seed
from sortition.tables import (
    METHODS,
    absent_line,
    earlier_line,
    quality_line,
    read_problem,
    repeats_line,
    seat,
    write_seating,
)
from sortition.tables.seating import problem_inputs


@click.command("tables", cls=LocalizedCommand)
@click.argument("panel", type=click.Path(dir_okay=False))
@click.option("--table-size", "-s", type=int, required=True, help="Most members at one table.")
@click.option(
    "--rounds",
    "-r",
    type=int,
    required=True,
    help="Number of seating rounds (with --earlier: the rounds still ahead).",
)
@click.option(
    "--balance",
    required=True,
    metavar="COL[,COL...]",
    help="Columns whose values every table should hold in proportion to the panel.",
)
@click.option(
    "--spread",
    default=None,
    metavar="COL[,COL...]",
    help="Further columns to spread across tables, after balance and new encounters.",
)
@id_column_option("Column of the panel holding member ids.")
@click.option(
    "--label",
    default=None,
    metavar="COL[,COL...]",
    help="Columns shown beside each id on the printable pages and in members.csv, such as "
    "first_name,last_name, so facilitators know who is who (the files then hold personal data).",
)
@click.option(
    "--keep-together",
    type=click.Path(dir_okay=False),
    default=None,
    help="CSV/XLSX with columns group,id: each group shares a table in every round.",
)
@click.option(
    "--keep-apart",
    type=click.Path(dir_okay=False),
    default=None,
    help="CSV/XLSX with columns id_a,id_b: these two never share a table.",
)
@click.option(
    "--earlier",
    type=click.Path(dir_okay=False),
    default=None,
    help="tables.csv of the rounds already held: the new rounds follow them, members who met "
    "there count as having met, members no longer on the panel are left out.",
)
@click.option(
    "--held",
    type=int,
    default=None,
    metavar="N",
    help="With --earlier: how many of its rounds took place (default: all of them).",
)
@click.option(
    "--absent",
    default=None,
    metavar="ID[,ID...]",
    help="Panel members who miss the rounds seated now: they get no seat, and the tables are "
    "balanced among those who attend (with --earlier, their held rounds still count later).",
)
@seed_option(
    "Any integer or text; the same inputs and seed give the same seating "
    "(default: a fresh seed, printed)."
)
@click.option(
    "--method",
    type=click.Choice(METHODS),
    default="search",
    show_default=True,
    help="search: local search from the greedy seating; greedy: the greedy seating alone.",
)
@time_limit_option(
    "Stop the search then and keep the best seating found (it then depends on the "
    "machine's speed, not on the seed alone)."
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="tables",
    show_default=True,
    help="New or empty folder for tables.csv, members.csv (and .xlsx), summary.csv, "
    "repeats.csv and round-N.html (written all or nothing).",
)
@overwrite_option
@language_option("the printable round-N.html pages, the summary on screen")
@user_errors
def tables_command(
    panel: str,
    table_size: int,
    rounds: int,
    balance: str,
    spread: str | None,
    id_column: str,
    label: str | None,
    keep_together: str | None,
    keep_apart: str | None,
    earlier: str | None,
    held: int | None,
    absent: str | None,
    seed: str | None,
    method: str,
    time_limit: float | None,
    out_dir: str,
    overwrite: bool,
    lang: str,
) -> None:
    """Seat the panel at tables for several rounds: balanced tables, new faces each round.

    Hard rules: every member at one table per round, table sizes differ by at most one,
    keep-together groups share a table, keep-apart pairs never do. Then, in this order: each
    table's count of every --balance value within the floor and ceiling of its share, the fewest
    repeated encounters, the --spread columns spread across tables.

    \b
    Example: sortition tables data/samples/assembly-150/panel.csv --table-size 10 --rounds 6
      --balance gender,age_band,comuna,education --seed 7 --out tables

    After sessions already held, and changes to the panel, seat the rest with --earlier (the
    earlier tables.csv) and --held (the rounds that took place); --absent leaves out members who
    miss them.
    """
    problem = read_problem(
        panel,
        table_size=table_size,
        rounds=rounds,
        balance=column_list(balance),
        spread=column_list(spread),
        id_column=id_column,
        keep_together=keep_together,
        keep_apart=keep_apart,
        label=column_list(label),
        earlier=earlier,
        held=held,
        absent=column_list(absent),
    )
    check_result_folder(out_dir, problem_inputs(problem), overwrite=overwrite)
    t = Translator(lang)
    if problem.earlier is not None:
        click.echo(earlier_line(problem, lang))
    if problem.absent:
        click.echo(absent_line(problem, lang))
    if seed is None:
        seed = new_seed()
        click.echo(t("cli.tables.seed", seed=seed))
    display = ProgressDisplay(lang=lang)
    result = seat(
        problem, seed=seed, method=method, time_limit=time_limit, on_progress=display.seating
    )
    write_seating(result, out_dir, overwrite=overwrite, lang=lang)
    sizes = sorted({int(s) for s in problem.sizes}, reverse=True)
    how = (
        t("cli.tables.greedy")
        if method == "greedy"
        else t(
            "cli.tables.search",
            stopped=t.get(f"cli.tables.stopped.{result.stopped}", result.stopped),
        )
    )
    seconds = screen_number(result.seconds, 1, lang)
    click.echo(
        t(
            "cli.tables.seated",
            members=problem.n,
            tables=problem.num_tables,
            sizes=t("cli.tables.size_or").join(str(s) for s in sizes),
            rounds=rounds,
            seconds=seconds,
            how=how,
        )
    )
    click.echo(quality_line(problem, result.quality, lang))
    quality = result.quality
    which = repeats_line(quality, lang)
    if which:
        click.echo(which)
    if method == "search":
        base = result.baseline
        click.echo(
            t(
                "cli.tables.start",
                outside=base.balance_violation,
                repeats=base.repeated_pairs,
                outside_now=result.quality.balance_violation,
                repeats_now=result.quality.repeated_pairs,
            )
        )
        # (only after a search: the greedy seating repeats pairs for its own reasons)
        if quality.repeated_pairs > quality.repeat_lower_bound and problem.balance:
            click.echo(t("cli.tables.fewer"))
    if not result.reproducible:
        click.echo(t("cli.tables.time_limited"), err=True)
    click.echo(
        t("cli.tables.wrote", first=problem.round_number(0), last=problem.total_rounds, out=out_dir)
    )
