"""The files of a seating and the quality line shown on screen.

- `tables.csv`: `id,round,table` for every member and round (rounds and tables numbered from 1),
  by round, then table, then panel order; after rounds already held (`sortition.tables.earlier`)
  it holds those rounds as they were (members who left too), and the new rounds' numbers follow
  theirs in every file;
- `members.csv`: one row per member in panel order, `id` (and the label columns, such as names)
  then the table of each round (for name badges), with `members.xlsx`, the same cells as an Excel
  workbook (`sortition.outputs.spreadsheet`) for a mail merge;
- `summary.csv`: per round and table, every value of every balanced (then spread) column: the
  count at the table, the panel's proportional share for a table of that size, its floor and
  ceiling, and how far the count lies outside them;
- `repeats.csv`: `id_a,id_b,rounds`, every pair meeting in more than one round with those
  rounds (space-separated), by panel order: the pairs behind the repeated-pairs figure (only the
  header when there are none);
- `round-<r>.html`: a printable page per round for the facilitators (see `sortition.tables.html`).

All text is UTF-8 with "\\n" line endings and no floating-point noise (shares with two decimals),
so that the same seating gives byte-identical files.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import numpy as np

from sortition.i18n import Translator
from sortition.outputs.spreadsheet import csv_to_xlsx, fits_a_sheet
from sortition.tables.html import round_page
from sortition.tables.metrics import (
    Quality,
    RepeatedPair,
    every_round,
    repeated_meetings,
    table_counts,
)
from sortition.tables.model import Column, SeatingProblem, share_bounds


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def tables_csv(problem: SeatingProblem, seating: np.ndarray) -> bytes:
    """`id,round,table`, by round, then table, then panel order; held rounds first, as they
    were (members no longer on the panel after those on it, in the earlier file's order), so
    that the file can be the `--earlier` of a later seating, for a member who comes back too."""
    others = problem.earlier.others if problem.earlier is not None else ()
    rows: list[list[object]] = []
    for r, tables in enumerate(every_round(problem, seating)):
        seated = [
            (int(tables[i]) + 1, i, problem.ids[i]) for i in range(problem.n) if tables[i] >= 0
        ]
        seated += [
            (table, problem.n + k, person)
            for k, (person, held, table) in enumerate(others)
            if held == r + 1
        ]
        rows.extend([person, r + 1, table] for table, _, person in sorted(seated))
    return _csv(["id", "round", "table"], rows)


def members_csv(problem: SeatingProblem, seating: np.ndarray) -> bytes:
    """One row per member: `id`, the label columns if any (such as names), then `round_1` ...
    `round_R` (table numbers)."""
    header = ["id", *problem.label_columns, *_round_columns(problem)]
    shown = problem.labels or ((),) * problem.n
    every = every_round(problem, seating)
    rows = [
        [person, *shown[i], *(int(t) + 1 if t >= 0 else "" for t in every[:, i].tolist())]
        for i, person in enumerate(problem.ids)
    ]
    return _csv(header, rows)


def _round_columns(problem: SeatingProblem) -> list[str]:
    """members.csv's columns of table numbers: round_1 ... round_R (held rounds included)."""
    return [f"round_{r + 1}" for r in range(problem.total_rounds)]


def _share_text(total: int, size: int, n: int) -> str:
    """N_v * s / n with two decimals, rounded half up in exact integer arithmetic."""
    hundredths = (200 * total * size + n) // (2 * n)
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def summary_rows(problem: SeatingProblem, seating: np.ndarray) -> list[list[object]]:
    """Rows of `summary.csv` (see the module docstring)."""
    rows: list[list[object]] = []
    kinds = [("balance", c) for c in problem.balance] + [("spread", c) for c in problem.spread]
    bounds = [share_bounds(column, problem.sizes, problem.n) for _, column in kinds]
    for r in range(problem.rounds):
        counts = [table_counts(column, seating[r], problem.num_tables) for _, column in kinds]
        for t in range(problem.num_tables):
            size = int(problem.sizes[t])
            for (kind, column), (low, high), count in zip(kinds, bounds, counts, strict=True):
                for v, value in enumerate(column.values):
                    c, lo, hi = int(count[t, v]), int(low[t, v]), int(high[t, v])
                    share = _share_text(int(column.totals[v]), size, problem.n)
                    outside = max(lo - c, 0) + max(c - hi, 0)
                    rows.append(
                        [
                            problem.round_number(r),
                            *(t + 1, size, kind, column.name, value, c, share, lo, hi, outside),
                        ]
                    )
    return rows


def summary_csv(problem: SeatingProblem, seating: np.ndarray) -> bytes:
    header = [
        "round",
        "table",
        "members",
        "rule",
        "column",
        "value",
        "count",
        "share",
        "floor",
        "ceiling",
        "outside",
    ]
    return _csv(header, summary_rows(problem, seating))


def repeats_csv(problem: SeatingProblem, repeats: Sequence[RepeatedPair]) -> bytes:
    """`id_a,id_b,rounds`: each pair of `metrics.repeated_meetings` with its rounds (from 1)."""
    rows = [
        [problem.ids[i], problem.ids[j], " ".join(str(r + 1) for r in rounds)]
        for i, j, rounds in repeats
    ]
    return _csv(["id_a", "id_b", "rounds"], rows)


def seating_files(
    problem: SeatingProblem, seating: np.ndarray, quality: Quality, caption: str, lang: str = "en"
) -> dict[str, bytes]:
    """Every output file, by name (the printable pages in `lang`)."""
    members = members_csv(problem, seating)
    files = {"tables.csv": tables_csv(problem, seating), "members.csv": members}
    if fits_a_sheet(problem.n):
        # table numbers as numbers, so that Excel sorts table 2 before table 10
        files["members.xlsx"] = csv_to_xlsx(members, "members", numbers=_round_columns(problem))
    files["summary.csv"] = summary_csv(problem, seating)
    repeats = repeated_meetings(problem, seating)
    files["repeats.csv"] = repeats_csv(problem, repeats)
    for r in range(problem.rounds):
        files[f"round-{problem.round_number(r)}.html"] = round_page(
            problem, seating, r, quality, caption, lang, repeats
        )
    return files


def quality_line(problem: SeatingProblem, quality: Quality, lang: str = "en") -> str:
    """One line for the screen: repeats against their bound, worst imbalance, rules met (in
    `lang`)."""
    t = Translator(lang)
    gap = quality.repeated_pairs - quality.repeat_lower_bound
    lower = quality.repeat_lower_bound
    bound = (
        t("cli.quality.optimal", bound=lower)
        if gap == 0
        else t("cli.quality.above", bound=lower, gap=gap)
    )
    worst = ", ".join(f"{name} {v}" for name, v in quality.worst_balance.items())
    parts = [
        t("cli.quality.repeats", repeats=quality.repeated_pairs, bound=bound),
        t("cli.quality.worst", worst=worst or t("cli.quality.none")),
    ]
    if quality.worst_spread:
        spread = ", ".join(f"{name} {v}" for name, v in quality.worst_spread.items())
        parts.append(t("cli.quality.spread", spread=spread))
    if quality.rule_violations:
        parts.append(t("cli.quality.broken", rules="; ".join(quality.rule_violations)))
    elif problem.together or problem.apart:
        parts.append(
            t("cli.quality.rules", together=len(problem.together), apart=len(problem.apart))
        )
    else:
        parts.append(t("cli.quality.sizes"))
    return t("cli.quality.line", parts="; ".join(parts))


def earlier_line(problem: SeatingProblem, lang: str = "en") -> str:
    """The line saying which rounds were held and who sat in them ('' without them)."""
    earlier = problem.earlier
    if earlier is None:
        return ""
    return Translator(lang)(
        "cli.tables.earlier",
        held=earlier.held,
        file=earlier.source,
        seated=earlier.seated,
        members=problem.n,
        new=problem.n - earlier.seated,
        left=len(earlier.away - set(problem.absent)),  # (absent members have not left)
        first=problem.round_number(0),
        last=problem.total_rounds,
    )


ABSENT_SHOWN = 12  # absent ids named on the absent line at most (then a count of the others)


def absent_line(problem: SeatingProblem, lang: str = "en") -> str:
    """The line naming the members who miss the rounds seated now ('' when nobody does)."""
    if not problem.absent:
        return ""
    t = Translator(lang)
    shown = ", ".join(problem.absent[:ABSENT_SHOWN])
    more = len(problem.absent) - ABSENT_SHOWN
    return t(
        "cli.tables.absent",
        first=problem.round_number(0),
        last=problem.total_rounds,
        count=len(problem.absent),
        ids=shown if more <= 0 else t("cli.tables.absent_more", ids=shown, more=more),
    )


def repeats_line(quality: Quality, lang: str = "en") -> str:
    """The line saying where the pairs who meet again are listed ('' when none does), and why
    their number can be below the figure (a pair meeting three times counts twice there)."""
    if not quality.pairs_met_twice:
        return ""
    key = (
        "cli.tables.which"
        if quality.pairs_met_twice == quality.repeated_pairs
        else "cli.tables.which_more"  # some pair meets three times or more
    )
    return Translator(lang)(key, pairs=quality.pairs_met_twice)


def column_summary(column: Column) -> str:
    """'gender: Mujer 76, Hombre 74' (the panel's counts)."""
    counts = ", ".join(f"{v} {int(c)}" for v, c in zip(column.values, column.totals, strict=True))
    return f"{column.name}: {counts}"
