"""Plain-text summaries for people: quota tables with targets and achieved counts, probabilities."""

from __future__ import annotations

from collections.abc import Sequence

from sortition.audit import quota_record
from sortition.selection import Selection


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A left-aligned text table with a rule under the header."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def selection_summary(selection: Selection) -> str:
    """What `sortition select` prints: the panel, the quotas met, and the fairness figures."""
    instance = selection.loaded.instance
    fairness = selection.fairness
    quota_rows = [
        [row["feature"], row["value"], row["min"], row["max"], row["selected"]]
        for row in quota_record(instance, selection.draw.panel)
    ]
    distribution = selection.distribution
    kind = (
        "exact"
        if distribution.exact
        else (f"estimated from {distribution.details.get('draws', '?')} draws")
    )
    seed_note = (
        f"{selection.seed} (generated; pass --seed {selection.seed} to repeat this draw)"
        if selection.seed_generated
        else selection.seed
    )
    parts = [
        f"Selected {len(selection.draw.panel)} of {instance.size} registrants "
        f"with {distribution.algorithm} (seed {seed_note}).",
        "",
        table(["feature", "value", "min", "max", "selected"], quota_rows),
        "",
        f"Selection probabilities ({kind}, over {distribution.num_panels} panels): "
        f"min {fairness.minimum:.6f}, max {fairness.maximum:.6f}, "
        f"fair share k/n {instance.panel_size / instance.size:.6f}, gini {fairness.gini:.4f}.",
        "",
        "Selected ids: " + ", ".join(selection.selected_ids),
    ]
    return "\n".join(parts)
