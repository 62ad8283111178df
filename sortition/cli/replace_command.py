"""The `sortition replace` command: replace panel members who dropped out.

Not registered here: `sortition.cli.main` adds it with `cli.add_command(replace_command)`.
"""

from __future__ import annotations

import click

from sortition.cli.errors import language_option, user_errors
from sortition.cli.help_language import LocalizedCommand
from sortition.cli.shared import (
    algorithm_option,
    overwrite_option,
    pool_file_option,
    progress_callbacks,
    quiet_option,
    seed_option,
    solver_option,
    sources_option,
)
from sortition.i18n import Translator
from sortition.options import SolveOptions
from sortition.outputs.layout import where_lines
from sortition.outputs.report import (
    replacement_summary,
)
from sortition.outputs.result_set import check_result_folder
from sortition.process.replace import (
    ReplacementRequest,
    replace_dropouts,
    replacement_inputs,
    write_replacement,
)


@click.command("replace", cls=LocalizedCommand)
@click.argument("log", type=click.Path(dir_okay=False))
@click.option(
    "--dropouts",
    "dropouts_path",
    type=click.Path(dir_okay=False),
    required=True,
    help="CSV listing the ids of members who dropped out (the pool's id column or 'id', else "
    "the first column): the log's pseudonymous ids, or real ids when --pool or the private "
    "folder beside the log maps them.",
)
@click.option(
    "--after",
    "after_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="For a second (or later) wave of dropouts: the selection-log.json of the latest "
    "earlier replacement of this draw. Its completed panel is the panel now, and no one drawn "
    "before is drawn again.",
)
@pool_file_option("The full pool file, to write every column in the outputs.")
@algorithm_option("Default: the algorithm of the original draw.", default=None)
@seed_option("Seed text for the replacement draw.")
@sources_option("Public random numbers instead of a seed (their RFC 3797 key is the seed).")
@solver_option()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="replacement",
    show_default=True,
    help="New or empty folder for the output files (written all or nothing).",
)
@overwrite_option
@quiet_option
@language_option()
@user_errors
def replace_command(
    log: str,
    dropouts_path: str,
    after_path: str | None,
    pool_path: str | None,
    algorithm: str | None,
    seed: str | None,
    sources: tuple[str, ...],
    solver: str,
    out_dir: str,
    overwrite: bool,
    quiet: bool,
    lang: str,
) -> None:
    """Replace members who dropped out so that every quota holds again, as fairly as the draw.

    LOG is the original draw's selection-log.json; for a later wave of dropouts, add the latest
    replacement's log with --after.

    Example: sortition replace selection/public/selection-log.json --dropouts dropouts.csv --seed 7
    """
    request = ReplacementRequest(
        log,
        dropouts_path,
        pool_path,
        algorithm,
        seed,
        sources,
        SolveOptions(solver=solver, **progress_callbacks(quiet, lang)),
        after_path,
    )
    check_result_folder(out_dir, replacement_inputs(request), overwrite=overwrite)
    replacement = replace_dropouts(request)
    files = write_replacement(replacement, out_dir, overwrite=overwrite, lang=lang)
    t = Translator(lang)
    click.echo(replacement_summary(replacement, lang))
    click.echo("\n" + t("cli.summary.wrote", out=out_dir))
    click.echo(where_lines(out_dir, files, replacement.pseudonyms, lang))
