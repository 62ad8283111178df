"""The `sortition quotas` command: a quota table from census counts (see `sortition.inputs.census`).

Not registered here: `sortition.cli.main` adds it with `cli.add_command(quotas_command)`.
"""

from __future__ import annotations

import click

from sortition.cli.errors import language_option, user_errors
from sortition.cli.help_language import LocalizedCommand
from sortition.cli.shared import overwrite_option, panel_size_option
from sortition.errors import UsageError
from sortition.i18n import (
    Translator,
)
from sortition.inputs.census import (
    DEFAULT_ADULT_AGE,
    DEFAULT_AGE_COLUMN,
    DEFAULT_COUNT_COLUMN,
    census_quotas,
    census_rows,
    read_census,
)
from sortition.outputs.files import quotas_to_csv_bytes
from sortition.outputs.report_tools import census_quota_table
from sortition.outputs.result_set import check_output_file, write_output_file
from sortition.text import quoted


def parse_list(text: str | None) -> tuple[str, ...]:
    """'a, b,c' -> ('a', 'b', 'c'); blanks dropped."""
    return tuple(item.strip() for item in text.split(",") if item.strip()) if text else ()


def _pairs(text: str, option: str, example: str) -> list[tuple[str, str]]:
    """'a=b,c=d' -> [('a', 'b'), ('c', 'd')]."""
    pairs = []
    for item in parse_list(text):
        old, sep, new = item.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise UsageError(
                f"{option} {quoted(item)} is not of the form OLD=NEW",
                hint=f"write it like {example}",
            )
        pairs.append((old.strip(), new.strip()))
    return pairs


def parse_rename(options: tuple[str, ...]) -> dict[str, str]:
    """--rename sex=gender[,a=b] (repeatable) -> {'sex': 'gender', ...}."""
    rename: dict[str, str] = {}
    for text in options:
        for old, new in _pairs(text, "--rename", "--rename sex=gender"):
            if rename.setdefault(old, new) != new:
                raise UsageError(
                    f"--rename gives {quoted(old)} two names", hint="rename each column once"
                )
    return rename


def parse_relabel(options: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """--relabel sex:female=Mujer,male=Hombre (repeatable) -> {'sex': {'female': 'Mujer', ...}}."""
    example = "--relabel sex:female=Mujer,male=Hombre"
    relabel: dict[str, dict[str, str]] = {}
    for text in options:
        column, sep, rest = text.partition(":")
        if not sep or not column.strip() or not rest.strip():
            raise UsageError(
                f"--relabel {quoted(text)} is not of the form COLUMN:OLD=NEW[,OLD=NEW...]",
                hint=f"write it like {example}",
            )
        labels = relabel.setdefault(column.strip(), {})
        for old, new in _pairs(rest, "--relabel", example):
            if labels.setdefault(old, new) != new:
                raise UsageError(
                    f"--relabel gives {quoted(old)} in {quoted(column.strip())} two labels",
                    hint="relabel each value once",
                )
    return relabel


def parse_where(options: tuple[str, ...]) -> dict[str, list[str]]:
    """--where commune=Renca,Quilicura (repeatable) -> {'commune': ['Renca', 'Quilicura']}."""
    where: dict[str, list[str]] = {}
    for text in options:
        column, sep, rest = text.partition("=")
        values = parse_list(rest)
        if not sep or not column.strip() or not values:
            raise UsageError(
                f"--where {quoted(text)} is not of the form COLUMN=VALUE[,VALUE...]",
                hint="write it like --where commune=Renca",
            )
        where.setdefault(column.strip(), []).extend(values)
    return where


@click.command("quotas", cls=LocalizedCommand)
@click.argument("counts", type=click.Path(dir_okay=False))
@click.option(
    "--by",
    required=True,
    metavar="COL[,COL...]",
    help="Census columns to make quotas for, one feature each.",
)
@panel_size_option
@click.option(
    "--tolerance",
    type=int,
    default=1,
    show_default=True,
    help="Quotas are the apportioned seats minus/plus this (within 0 and the panel size).",
)
@click.option(
    "--bands",
    default=None,
    metavar="BAND[,BAND...]",
    help='Re-bin census age bands into these adult bands, e.g. "18-29,30-44,45-59,60+"; '
    "then only people of at least --adult-age count, in every category.",
)
@click.option(
    "--adult-age",
    type=int,
    default=DEFAULT_ADULT_AGE,
    show_default=True,
    help="With --bands: the youngest age counted (ages uniform within a census band).",
)
@click.option(
    "--age-column",
    default=DEFAULT_AGE_COLUMN,
    show_default=True,
    help="With --bands: the census column holding age bands.",
)
@click.option(
    "--count-column",
    default=DEFAULT_COUNT_COLUMN,
    show_default=True,
    help="Census column holding the population counts.",
)
@click.option(
    "--rename",
    multiple=True,
    metavar="COL=FEATURE[,...]",
    help="Name a census column as the pool's feature, e.g. sex=gender (repeatable).",
)
@click.option(
    "--relabel",
    multiple=True,
    metavar="COL:OLD=NEW[,...]",
    help="Spell census values as the pool does, e.g. sex:female=Mujer,male=Hombre (repeatable; "
    "values relabelled alike are merged).",
)
@click.option(
    "--where",
    multiple=True,
    metavar="COL=VALUE[,...]",
    help="Count only the census rows holding one of these values in COL, e.g. commune=Renca "
    "(repeatable: rows must meet every condition).",
)
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False),
    required=True,
    help="The quota table to write (CSV: feature,value,min,max).",
)
@overwrite_option
@language_option("the table on screen")
@user_errors
def quotas_command(
    counts: str,
    by: str,
    panel_size: int,
    tolerance: int,
    bands: str | None,
    adult_age: int,
    age_column: str,
    count_column: str,
    rename: tuple[str, ...],
    relabel: tuple[str, ...],
    where: tuple[str, ...],
    out_path: str,
    overwrite: bool,
    lang: str,
) -> None:
    """Make a quota table from census counts by largest-remainder apportionment.

    COUNTS is a census in long format: one row per cell, with a count column.

    \b
    Example: sortition quotas census.csv --by sex,age_band,province --panel-size 100
      --bands "18-29,30-44,45-59,60+" --rename sex=gender
      --relabel sex:female=Mujer,male=Hombre --out quotas.csv
    """
    check_output_file(out_path, {"census file": counts}, overwrite=overwrite)
    band_list = parse_list(bands) if bands is not None else None
    census = read_census(counts, count_column=count_column)
    conditions = parse_where(where)
    result = census_quotas(
        census_rows(census, conditions) if conditions else census,
        parse_list(by),
        panel_size,
        tolerance=tolerance,
        bands=band_list,
        adult_age=adult_age,
        age_column=age_column,
        rename=parse_rename(rename),
        relabel=parse_relabel(relabel),
    )
    content = quotas_to_csv_bytes(result.features)
    write_output_file(out_path, content, {"census file": counts}, overwrite=overwrite)
    t = Translator(lang)
    where_text = "".join(
        t("cli.census.where", column=column, values=t("cli.census.or").join(values))
        for column, values in conditions.items()
    )
    who = (
        t("cli.census.everyone")
        if result.adult_age is None
        else t("cli.census.adults", age=result.adult_age)
    )
    click.echo(
        t(
            "cli.census.heading",
            k=panel_size,
            file=counts,
            who=who,
            where=where_text,
            tolerance=tolerance,
        )
    )
    for label, share in result.partial_bands:
        click.echo(t("cli.census.partial", band=label, share=share))
    click.echo("")
    click.echo(census_quota_table(result, lang))
    click.echo("\n" + t("cli.census.wrote", path=out_path))
