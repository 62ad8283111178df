"""A printable page per round for the facilitators: one card per table with its members.

Each page is self-contained (inline CSS, no scripts, no external URLs or fonts), so it can be
mailed or printed anywhere. A card lists the members' ids (with their label columns, such as
names, when the organizer chose some) and their values of the balanced columns, and the table's
composition against the panel's share; values outside the floor and ceiling of the share are
marked. When two members at a table already shared one in an earlier round, the card says so
(with the rounds), so the facilitator knows who meets again. Members absent from the rounds
seated now are named under the title. Cards never break across printed pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import numpy as np

from sortition.i18n import Translator
from sortition.tables.metrics import Quality, RepeatedPair, table_counts
from sortition.tables.model import SeatingProblem, share_bounds

_STYLE = """
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; margin: 1.5em;
       color: #111; }
h1 { font-size: 1.5em; margin: 0 0 .2em; }
p.meta { margin: 0 0 1em; color: #444; font-size: .9em; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(16em, 1fr));
        gap: .8em; }
.card { border: 1px solid #888; border-radius: 6px; padding: .6em .8em;
        break-inside: avoid; page-break-inside: avoid; }
.card h2 { font-size: 1.2em; margin: 0 0 .4em; }
.card ol { margin: 0 0 .5em 1.4em; padding: 0; }
.card li { margin: .1em 0; }
.id { font-weight: 600; }
.values { color: #555; font-size: .85em; }
table.mix { border-collapse: collapse; font-size: .8em; width: 100%; }
table.mix td { padding: 0 .3em 0 0; vertical-align: top; }
.off { color: #b00; font-weight: 700; }
.again { margin: .4em 0 0; font-size: .8em; color: #444; }
@media print { body { margin: 0; } .grid { gap: .5em; } }
"""


def round_page(
    problem: SeatingProblem,
    seating: np.ndarray,
    r: int,
    quality: Quality,
    caption: str,
    lang: str = "en",
    repeats: Sequence[RepeatedPair] = (),
) -> bytes:
    """The HTML page of round r (0-based) as UTF-8 bytes, in `lang` ('en' or 'es'); `repeats`
    lists the pairs meeting more than once with their rounds (`metrics.repeated_meetings`)."""
    t_ = Translator(lang)
    tables = seating[r]
    again = _met_before(problem, seating, r, repeats, t_)
    cards = []
    bounds = [share_bounds(c, problem.sizes, problem.n) for c in problem.balance]
    counts = [table_counts(c, tables, problem.num_tables) for c in problem.balance]
    for t in range(problem.num_tables):
        members = np.flatnonzero(tables == t)
        items = []
        for i in members:
            values = " · ".join(escape(c.values[c.codes[i]]) for c in problem.balance)
            label = problem.label(int(i))
            if label:  # the name first; the id goes with the values
                shown = " · ".join(part for part in (escape(problem.ids[i]), values) if part)
                items.append(
                    f'<li><span class="id">{escape(label)}</span> '
                    f'<span class="values">{shown}</span></li>'
                )
                continue
            extra = f' <span class="values">{values}</span>' if values else ""
            items.append(f'<li><span class="id">{escape(problem.ids[i])}</span>{extra}</li>')
        mix_rows = []
        for column, (low, high), count in zip(problem.balance, bounds, counts, strict=True):
            cells = []
            for v, value in enumerate(column.values):
                c = int(count[t, v])
                off = c < low[t, v] or c > high[t, v]
                text = f"{escape(value)} {c}"
                cells.append(f'<span class="off">{text}</span>' if off else text)
            mix_rows.append(f"<tr><td>{escape(column.name)}</td><td>{', '.join(cells)}</td></tr>")
        mix = f'<table class="mix">{"".join(mix_rows)}</table>' if mix_rows else ""
        cards.append(
            f'<section class="card"><h2>{escape(t_("seating.table", table=t + 1))}</h2>'
            f"<ol>{''.join(items)}</ol>{mix}{again.get(t, '')}</section>"
        )
    title = t_("seating.round_title", round=problem.round_number(r), rounds=problem.total_rounds)
    meta = escape(
        t_(
            "seating.meta",
            members=problem.n,
            tables=problem.num_tables,
            caption=caption,
            repeats=quality.repeated_pairs,
        )
    )
    absent = ""  # members who miss the rounds seated now (`--absent`): for the roll call
    if problem.absent:
        named = escape(t_("seating.absent", ids=", ".join(problem.absent)))
        absent = f'<p class="meta">{named}</p>\n'
    page = (
        "<!DOCTYPE html>\n"
        f'<html lang="{t_.lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f'<h1>{escape(title)}</h1>\n<p class="meta">{meta}</p>\n{absent}'
        f'<div class="grid">\n' + "\n".join(cards) + "\n</div>\n</body>\n</html>\n"
    )
    return page.encode("utf-8")


def _met_before(
    problem: SeatingProblem,
    seating: np.ndarray,
    r: int,
    repeats: Sequence[RepeatedPair],
    t_: Translator,
) -> dict[int, str]:
    """Per table of round r, the line naming its members who shared a table in an earlier
    round, held rounds included, with those rounds (numbered from 1, as `repeats` counts them:
    held rounds first); tables without such a pair are absent."""
    pairs: dict[int, list[str]] = {}
    now = problem.round_number(r) - 1  # (0-based, as `repeats` counts rounds)
    for i, j, rounds in repeats:
        earlier = [q + 1 for q in rounds if q < now]
        if now not in rounds or not earlier:
            continue
        key = "seating.met_round" if len(earlier) == 1 else "seating.met_rounds"
        text = t_(
            key,
            a=problem.label(i) or problem.ids[i],
            b=problem.label(j) or problem.ids[j],
            rounds=", ".join(str(q) for q in earlier),
        )
        pairs.setdefault(int(seating[r, i]), []).append(text)
    return {
        table: f'<p class="again">{escape(t_("seating.met_before", pairs="; ".join(texts)))}</p>'
        for table, texts in pairs.items()
    }
